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
