// yuncang console: security keys (WebAuthn). The server sends the
// ceremony's options as JSON (binary fields base64url); this turns them
// into what navigator.credentials wants, and the authenticator's answer
// back into JSON, which the page's form then posts (with its CSRF token).
"use strict";

(function securityKeys() {
  if (!window.PublicKeyCredential) return;
  function toBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), b = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
    return b.buffer;
  }
  function toB64u(buf) {
    var b = new Uint8Array(buf), s = "";
    for (var i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function options(url, csrf) {
    return fetch(url, { method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } })
      .then(function (r) {
        if (r.ok) return r.json();
        // The server's reason (e.g. "open the console at localhost") is safe to show.
        return r.json().catch(function () { return {}; }).then(function (p) { throw new Error(p.detail || String(r.status)); });
      });
  }
  function say(key, err) {
    var m = document.getElementById("key-message");
    if (!m) return;
    var text = m.getAttribute("data-" + key) || "";
    if (err && err.message && !/^\d+$/.test(err.message) && err.name === "Error") text += " " + err.message;
    m.textContent = text;
    m.classList.remove("hidden");
  }
  function ids(list) {
    (list || []).forEach(function (c) { c.id = toBuf(c.id); });
  }
  function answer(cred, response) {
    return JSON.stringify({ id: cred.id, rawId: toB64u(cred.rawId), type: cred.type, response: response,
      clientExtensionResults: cred.getClientExtensionResults() });
  }

  // Sign-in and step-up: an assertion with the account's own keys.
  document.querySelectorAll("button.key-assert").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var form = document.getElementById(btn.getAttribute("data-form"));
      var pw = form.querySelector("input[name=password]");
      if (pw && !pw.value) { say("password"); pw.focus(); return; }
      btn.disabled = true;
      options(btn.getAttribute("data-options-url"), btn.getAttribute("data-csrf")).then(function (o) {
        var pk = o.publicKey;
        pk.challenge = toBuf(pk.challenge);
        ids(pk.allowCredentials);
        return navigator.credentials.get({ publicKey: pk });
      }).then(function (cred) {
        var r = cred.response, resp = { clientDataJSON: toB64u(r.clientDataJSON),
          authenticatorData: toB64u(r.authenticatorData), signature: toB64u(r.signature) };
        if (r.userHandle) resp.userHandle = toB64u(r.userHandle);
        document.getElementById(btn.getAttribute("data-response")).value = answer(cred, resp);
        form.submit(); // the server takes the key's answer instead of the code
      }).catch(function (err) { btn.disabled = false; say("failed", err); });
    });
  });

  // Registration: create a credential for this session's challenge.
  var reg = document.getElementById("key-register-form");
  if (!reg) return;
  var out = document.getElementById("key-register-response");
  reg.addEventListener("submit", function (ev) {
    if (out.value) return;
    ev.preventDefault();
    var btn = document.getElementById("key-register");
    btn.disabled = true;
    options(reg.getAttribute("data-options-url"), reg.querySelector("input[name=csrf_token]").value).then(function (o) {
      var pk = o.publicKey;
      pk.challenge = toBuf(pk.challenge);
      pk.user.id = toBuf(pk.user.id);
      ids(pk.excludeCredentials);
      return navigator.credentials.create({ publicKey: pk });
    }).then(function (cred) {
      var r = cred.response;
      out.value = answer(cred, { clientDataJSON: toB64u(r.clientDataJSON), attestationObject: toB64u(r.attestationObject),
        transports: r.getTransports ? r.getTransports() : [] });
      reg.submit();
    }).catch(function (err) { btn.disabled = false; say("failed", err); });
  });
})();
