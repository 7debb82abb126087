// yuncang console: the device key of this browser, the one signer the
// pages share (console.js signs the reveal with it, floor.js the pack
// station's print). An Ed25519 key imported once from the enrolment of
// an office desk or a packing station, kept in IndexedDB as a
// non-extractable WebCrypto key (no script, this one included, can read
// it back), signing a request the way every enrolled device signs
// (package devicekey). Loaded before console.js and floor.js.
"use strict";

var deviceKey = (function () {
  // The store keeps its first name (desks imported before keep working).
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
    // save imports a base64 Ed25519 seed (the private key of the
    // desk or station, from its enrolment) as a
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
    // sign resolves to the four device headers for a request (method, URL
    // as the page will fetch it, body bytes; offset: server time minus
    // this clock, in seconds), or to null when this browser has no key.
    sign: function (method, url, body, offset) {
      return this.get().then(function (d) { return d ? headers(d, method, url, body, offset || 0) : null; });
    }
  };
  function headers(d, method, url, body, offset) {
    // The request URI as sent: escaped path and raw query.
    var u = new URL(url, window.location.href), uri = u.pathname + u.search;
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
})();
