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

(function deskPage() {
  var form = document.getElementById("desk-form");
  if (!form) return;
  var status = document.getElementById("desk-status");
  function show() {
    deviceKey.get().then(function (d) {
      status.textContent = d ? status.getAttribute("data-set") + " #" + d.id : status.getAttribute("data-none");
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var id = document.getElementById("desk-id"), key = document.getElementById("desk-key");
    deviceKey.save(id.value, key.value).then(function () { key.value = ""; id.value = ""; show(); })
      .catch(function () { key.value = ""; status.textContent = status.getAttribute("data-unsupported"); });
  });
  document.getElementById("desk-forget").addEventListener("click", function () { deviceKey.forget().then(show); });
  show();
})();

// The reveal dialog: purpose, note and (when the second factor is stale)
// a one-time code; the request is signed by this device's key (device.js). The recipient is
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
    deviceKey.sign("POST", url, body, offset).then(function (h) {
      if (!h) { say(msg.getAttribute("data-no-desk")); return null; }
      h["Content-Type"] = "application/x-www-form-urlencoded";
      h["Accept"] = "application/json";
      h["X-CSRF-Token"] = box.getAttribute("data-csrf");
      return fetch(url, { method: "POST", headers: h, body: body, credentials: "same-origin", cache: "no-store" });
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
