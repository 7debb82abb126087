// yuncang console: check an audit record's inclusion proof in the page.
// The proof comes from the server; the check does not trust it: the leaf
// hash is recomputed from the record (SHA-256 of 0x00 || record), the path
// is walked as RFC 6962 (9162 §2.1.3.2) says, with WebCrypto's SHA-256 and
// 0x01 || left || right for interior nodes, and the result must equal the
// root of the signed checkpoint shown on the page.
"use strict";

(function auditProofs() {
  var root = document.getElementById("audit");
  var cp = document.getElementById("checkpoint");
  if (!root || !cp) return;

  function b64(s) {
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function sha256(prefix, parts) {
    var n = 1;
    parts.forEach(function (p) { n += p.length; });
    var buf = new Uint8Array(n), off = 1;
    buf[0] = prefix;
    parts.forEach(function (p) { buf.set(p, off); off += p.length; });
    return crypto.subtle.digest("SHA-256", buf).then(function (h) { return new Uint8Array(h); });
  }
  function equal(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  // verifyInclusion resolves true when record is leaf index of the tree of
  // size whose root is rootHash, by the proof (base64 hashes, leaf upward).
  async function verifyInclusion(index, size, record, proof, rootHash) {
    if (index < 0 || index >= size) return false;
    var r = await sha256(0, [record]);
    var fn = index, sn = size - 1;
    for (var i = 0; i < proof.length; i++) {
      var p = b64(proof[i]);
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(1, [p, r]);
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = await sha256(1, [r, p]);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 && equal(r, rootHash);
  }
  window.yuncangVerifyInclusion = verifyInclusion;

  var size = parseInt(cp.getAttribute("data-size"), 10);
  var rootHash = b64(cp.getAttribute("data-root"));
  root.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button.verify");
    if (!btn) return;
    var index = parseInt(btn.getAttribute("data-index"), 10);
    var out = document.getElementById("proof-" + index);
    out.textContent = root.getAttribute("data-wait");
    out.className = "proof-result";
    fetch(root.getAttribute("data-proof-url") + "?index=" + index, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (p) {
        // The proof must be for this record in the checkpoint's tree.
        if (p.index !== index && !(index === 0 && p.index === undefined)) return false;
        if (p.size !== size) return false;
        return verifyInclusion(index, size, b64(p.record), p.proof, rootHash);
      })
      .then(function (ok) {
        out.textContent = root.getAttribute(ok ? "data-ok" : "data-bad");
        out.className = "proof-result " + (ok ? "ok" : "bad");
      }, function () {
        out.textContent = root.getAttribute("data-bad");
        out.className = "proof-result bad";
      });
  });
})();
