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
