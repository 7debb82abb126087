// yuncang console: the little behaviour pages need. Loaded from /static
// (the Content-Security-Policy allows no inline script).
"use strict";

// Idle countdown: the server ends a session left idle; show the minutes
// left and go to the sign-in page when they run out.
(function idleCountdown() {
  var secs = parseInt(document.body.getAttribute("data-idle-seconds") || "0", 10);
  var el = document.getElementById("idle-left");
  if (!secs || !el) return;
  var deadline = Date.now() + secs * 1000;
  setInterval(function () {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 60000));
    el.textContent = String(left);
    if (Date.now() >= deadline) window.location.assign("/login");
  }, 15000);
})();

// Import progress: poll the job's status (no personal data) and move the
// bar; reload for the report when the job is over.
(function importProgress() {
  var bar = document.getElementById("import-progress");
  if (!bar) return;
  var state = bar.getAttribute("data-state");
  if (state === "done" || state === "failed") return;
  var url = bar.getAttribute("data-status-url");
  var count = document.getElementById("import-count");
  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (s) {
        bar.value = s.percent;
        if (count) count.textContent = s.done + " / " + s.total;
        if (s.state === "done" || s.state === "failed") { window.location.reload(); return; }
        setTimeout(poll, 400);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 300);
})();

// The office desk key of this browser: an Ed25519 key imported once from
// the desk's enrolment, kept in IndexedDB as a non-extractable WebCrypto
// key (no script, this one included, can read it back), used to sign the
// reveal request the way every enrolled device signs (package devicekey).
var desk = (function () {
  function db() {
    return new Promise(function (ok, fail) {
      var req = indexedDB.open("yuncang-desk", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore("desk"); };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
  }
  function tx(mode, fn) {
    return db().then(function (d) {
      return new Promise(function (ok, fail) {
        var t = d.transaction("desk", mode);
        var r = fn(t.objectStore("desk"));
        t.oncomplete = function () { ok(r && r.result); };
        t.onerror = function () { fail(t.error); };
      });
    });
  }
  function b64(bytes) {
    var s = "";
    bytes = new Uint8Array(bytes);
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }
  function unb64(s) {
    var bin = atob(s.trim()), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }
  return {
    get: function () { return tx("readonly", function (s) { return s.get("key"); }); },
    forget: function () { return tx("readwrite", function (s) { return s.delete("key"); }); },
    // save imports a base64 Ed25519 seed (the desk's private key) as a
    // non-extractable signing key.
    save: function (id, seedB64) {
      var seed = unb64(seedB64);
      if (seed.length !== 32) return Promise.reject(new Error("key"));
      var der = new Uint8Array(48);
      der.set([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
      der.set(seed, 16);
      return crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]).then(function (key) {
        return tx("readwrite", function (s) { return s.put({ id: String(id), key: key }, "key"); });
      });
    },
    // headers signs a request: method, request URI as sent, body bytes.
    headers: function (d, method, uri, body, offset) {
      var nonceBytes = new Uint8Array(18);
      crypto.getRandomValues(nonceBytes);
      var nonce = b64(nonceBytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
      var ts = String(Math.floor(Date.now() / 1000 + offset));
      return crypto.subtle.digest("SHA-256", body).then(function (sum) {
        var msg = ["yuncang-device-v1", d.id, method, uri, hex(sum), ts, nonce].join("\n");
        return crypto.subtle.sign({ name: "Ed25519" }, d.key, new TextEncoder().encode(msg));
      }).then(function (sig) {
        return { "X-Yuncang-Device": d.id, "X-Yuncang-Device-Time": ts, "X-Yuncang-Device-Nonce": nonce, "X-Yuncang-Device-Signature": b64(sig) };
      });
    }
  };
})();

(function deskPage() {
  var form = document.getElementById("desk-form");
  if (!form) return;
  var status = document.getElementById("desk-status");
  function show() {
    desk.get().then(function (d) {
      status.textContent = d ? status.getAttribute("data-set") + " #" + d.id : status.getAttribute("data-none");
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var id = document.getElementById("desk-id"), key = document.getElementById("desk-key");
    desk.save(id.value, key.value).then(function () { key.value = ""; id.value = ""; show(); })
      .catch(function () { key.value = ""; status.textContent = status.getAttribute("data-unsupported"); });
  });
  document.getElementById("desk-forget").addEventListener("click", function () { desk.forget().then(show); });
  show();
})();

// The reveal dialog: purpose, note and (when the second factor is stale)
// a one-time code; the request is signed by the desk key. The recipient is
// shown once, under the watermark, not selectable or copyable, and masked
// again after a short time; nothing of it goes into a URL or the history.
(function revealDialog() {
  var box = document.getElementById("reveal-box");
  if (!box) return;
  var form = document.getElementById("reveal-form");
  var msg = document.getElementById("reveal-message");
  var out = document.getElementById("revealed");
  var done = document.getElementById("reveal-done");
  var offset = parseInt(box.getAttribute("data-server-now"), 10) - Date.now() / 1000;
  var fields = ["name", "phone", "address", "remarks"];
  ["copy", "cut", "contextmenu", "dragstart", "selectstart"].forEach(function (ev) {
    out.addEventListener(ev, function (e) { e.preventDefault(); });
  });
  function say(text) { msg.textContent = text; msg.classList.remove("hidden"); }
  function remask() {
    fields.forEach(function (f) { document.getElementById("revealed-" + f).textContent = ""; });
    document.getElementById("revealed-watermark").textContent = "";
    out.classList.add("hidden");
    done.classList.remove("hidden");
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    msg.classList.add("hidden");
    var url = box.getAttribute("data-reveal-url");
    var params = new URLSearchParams();
    params.set("purpose", document.getElementById("reveal-purpose").value);
    params.set("note", document.getElementById("reveal-note").value);
    var code = document.getElementById("reveal-totp");
    if (code.value) params.set("step_up_totp", code.value);
    code.value = "";
    var body = new TextEncoder().encode(params.toString());
    desk.get().then(function (d) {
      if (!d) { say(msg.getAttribute("data-no-desk")); return null; }
      return desk.headers(d, "POST", url, body, offset).then(function (h) {
        h["Content-Type"] = "application/x-www-form-urlencoded";
        h["Accept"] = "application/json";
        h["X-CSRF-Token"] = box.getAttribute("data-csrf");
        return fetch(url, { method: "POST", headers: h, body: body, credentials: "same-origin", cache: "no-store" });
      });
    }).then(function (r) {
      if (!r) return;
      return r.json().then(function (j) {
        if (!r.ok) {
          var first = (j.errors && j.errors[0]) || {};
          var err = { field: first.field, message: j.detail };
          say(err.field === "totp" ? msg.getAttribute("data-step-up") : (err.message || String(r.status)));
          if (err.field === "totp") code.focus();
          return;
        }
        fields.forEach(function (f) { document.getElementById("revealed-" + f).textContent = j[f] || ""; });
        document.getElementById("revealed-watermark").textContent = j.watermark;
        done.classList.add("hidden");
        out.classList.remove("hidden");
        form.reset();
        var left = parseInt(box.getAttribute("data-remask"), 10);
        var cd = document.getElementById("reveal-countdown");
        cd.textContent = String(left);
        var timer = setInterval(function () {
          left -= 1;
          cd.textContent = String(left);
          if (left <= 0) { clearInterval(timer); remask(); }
        }, 1000);
      });
    }).catch(function () { say("error"); });
  });
})();
