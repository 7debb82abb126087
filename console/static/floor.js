// yuncang console: the floor scanner pages (receive, put away, pick, pack).
// A keyboard-wedge scanner types the code and Enter into the one focused
// input; each scan is one fetch() with the page's CSRF token; the answer
// is a small JSON object. Red and a low tone on a refusal, green on a
// taken scan. No personal data is kept here.
"use strict";

(function floorScanner() {
  var root = document.getElementById("floor");
  var form = document.getElementById("scan-form");
  var input = document.getElementById("scan");
  if (!root || !form || !input) return;
  var status = document.getElementById("scan-status");
  var prompt = document.getElementById("scan-prompt");
  var mode = root.getAttribute("data-mode");
  var csrf = root.getAttribute("data-csrf");
  var first = {receive: "asn", putaway: "item", pick: "location", pack: "parcel"}[mode];
  var st = {answers: 0, step: first, busy: false, asn: "", sku: "", loc: "", parcel: 0, barcodes: []};

  function attr(name) { return root.getAttribute(name) || ""; }
  function byId(id) { return document.getElementById(id); }
  function digits(s) { return parseInt(String(s).replace(/\D/g, ""), 10) || 0; }

  function setStep(step) {
    if (!step) return;
    st.step = step;
    var p = attr("data-prompt-" + step);
    if (p) prompt.textContent = p;
    root.setAttribute("data-step", step);
  }

  var audio = null;
  function tone(ok) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = ok ? 1200 : 220;
      g.gain.value = 0.2;
      o.connect(g); g.connect(audio.destination);
      o.start(); o.stop(audio.currentTime + (ok ? 0.08 : 0.4));
    } catch (e) { /* no sound: the colour still says it */ }
  }

  function show(ok, msg) {
    status.textContent = msg;
    status.className = "scan-status " + (ok ? "ok" : "bad");
    root.classList.toggle("refused", !ok);
    tone(ok);
  }

  // post sends a scan's JSON; a signed one (the print) carries this
  // device's signature over the exact bytes sent (device.js), and is not
  // sent at all when this browser holds no device key.
  var offset = parseInt(attr("data-server-now"), 10) - Date.now() / 1000 || 0;
  function post(url, body, signed) {
    var bytes = new TextEncoder().encode(JSON.stringify(body));
    var sign = signed ? deviceKey.sign("POST", url, bytes, offset) : Promise.resolve({});
    return sign.then(function (h) {
      if (!h) return {ok: false, message: attr("data-no-device")};
      h["Content-Type"] = "application/json";
      h["X-CSRF-Token"] = csrf;
      return fetch(url, {method: "POST", credentials: "same-origin", headers: h, body: bytes}).then(answer, function () {
        return {ok: false, message: attr("data-refused")};
      });
    }, function () { return {ok: false, message: attr("data-no-device")}; });
  }
  function answer(r) {
    var ct = r.headers.get("Content-Type") || "";
    if (ct.indexOf("application/json") !== 0) return {ok: false, message: attr("data-refused") + " (" + r.status + ")"};
    return r.json();
  }

  var scanUrl = attr("data-scan-url");

  // handle returns the request a scan makes, what to do with the answer
  // and whether the request is signed by this device (the print only).
  function handle(code) {
    switch (mode) {
    case "receive":
      if (st.step === "asn") {
        return [scanUrl, {asn: code, code: ""}, function (a) { if (a.ok) { st.asn = code; asnLines(a.data); } }];
      }
      return [scanUrl, {asn: st.asn, code: code, damaged: byId("damaged").checked}, function (a) { if (a.ok) asnLines(a.data); }];
    case "putaway":
      if (st.step === "item") {
        return [scanUrl, {code: code, to: "", qty: 0}, function (a) { if (a.ok) st.sku = a.data.sku; }];
      }
      return [scanUrl, {code: st.sku, to: code, qty: parseInt(byId("qty").value, 10) || 0}, function (a) {
        if (!a.ok) return;
        var li = document.createElement("li");
        li.textContent = a.data.sku + " × " + a.data.qty + " → " + a.data.to;
        byId("moves").prepend(li);
      }];
    case "pick":
      var wave = parseInt(attr("data-wave"), 10);
      if (st.step === "location") {
        return [scanUrl, {wave: wave, location: "", code: code}, function (a) { if (a.ok) st.loc = code; }];
      }
      return [scanUrl, {wave: wave, location: st.loc, code: code}, function (a) {
        if (!a.ok) return;
        var stops = document.querySelectorAll("#stops .stop");
        stops.forEach(function (li) { li.classList.remove("next"); });
        if (a.data.done >= 0) stops[a.data.done].classList.add("done");
        if (a.data.next) stops[a.data.next.index].classList.add("next");
      }];
    case "pack":
      if (st.step === "parcel") {
        return [scanUrl, {parcel: digits(code), barcodes: []}, function (a) {
          if (!a.ok) return;
          st.parcel = a.data.id; st.barcodes = [];
          byId("parcel-id").textContent = String(a.data.id);
          byId("parcel-items").textContent = "0 / " + a.data.items;
          byId("parcel-weight").textContent = String(a.data.weight_g);
          byId("parcel-label").textContent = "–";
        }];
      }
      if (st.step === "item") {
        st.barcodes.push(code);
        return [scanUrl, {parcel: st.parcel, barcodes: st.barcodes}, function (a) {
          if (!a.ok) { st.barcodes.pop(); return; }
          var total = byId("parcel-items").textContent.split("/ ")[1];
          byId("parcel-items").textContent = st.barcodes.length + " / " + total;
        }];
      }
      if (st.step === "weigh") {
        return [attr("data-weigh-url"), {parcel: st.parcel, gross_g: digits(code), tare_g: parseInt(byId("tare").value, 10) || 0}, function (a) {
          if (a.ok) byId("parcel-weight").textContent = a.data.weighed_g + " / " + a.data.weight_g;
        }];
      }
      return [attr("data-print-url"), {parcel: st.parcel, printer: digits(code), sender: {
        name: byId("sender-name").value, phone: byId("sender-phone").value, address: byId("sender-address").value}}, function (a) {
        if (a.ok) byId("parcel-label").textContent = a.data.waybill + " · " + a.data.recipient + " · " + a.data.status;
      }, true];
    }
    return null;
  }

  // stepUp sends a one-time code to the console's step-up (the form the
  // step-up page posts); then the scan that asked for it is repeated.
  function stepUp(code) {
    var form = new URLSearchParams({csrf_token: csrf, totp: code, next: "/"});
    return [null, form, function (a) {
      if (a.ok) a.step = st.before;
    }];
  }

  function postStepUp(form) {
    return fetch("/step-up", {method: "POST", credentials: "same-origin", body: form}).then(function (r) {
      return r.ok ? {ok: true, message: attr("data-stepup-done")} : {ok: false, message: attr("data-stepup-failed"), step: "stepup"};
    }, function () { return {ok: false, message: attr("data-refused"), step: "stepup"}; });
  }

  function asnLines(lines) {
    var body = document.querySelector("#asn-lines tbody");
    body.textContent = "";
    (lines || []).forEach(function (l) {
      var tr = document.createElement("tr");
      [l.sku, l.expected, l.received, l.damaged].forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = String(v);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var code = input.value.trim();
    input.value = "";
    if (!code) { setStep(first); return; } // an empty Enter starts over
    if (st.busy) return;
    var h = st.step === "stepup" ? stepUp(code) : handle(code);
    if (!h) return;
    st.busy = true;
    root.setAttribute("data-busy", "1");
    (h[0] === null ? postStepUp(h[1]) : post(h[0], h[1], h[3])).then(function (a) {
      if (a.step === "stepup" && st.step !== "stepup") st.before = st.step;
      h[2](a);
      show(a.ok, a.message || "");
      setStep(a.step);
    }).finally(function () {
      st.busy = false;
      st.answers++;
      root.setAttribute("data-answers", String(st.answers));
      root.removeAttribute("data-busy");
      input.focus();
    });
  });

  // One input has the focus: a scan never lands elsewhere (the station's
  // settings may still be typed into).
  document.addEventListener("click", function (ev) {
    if (!ev.target.closest("input, select, textarea, summary, a, button")) input.focus();
  });
  setStep(first);
  input.focus();
})();
