package devicekey

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestSignVerify: a signature verifies for exactly the request it covers.
func TestSignVerify(t *testing.T) {
	pub, priv, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	req := httptest.NewRequest("POST", "/api/v1/orders/7/reveal?tenant=ta", nil)
	body := []byte(`{"purpose":"return"}`)
	(&Signer{DeviceID: 42, Key: priv, Now: func() time.Time { return now }}).Sign(req, body)
	s, ok, err := Parse(req.Header)
	if !ok || err != nil || s.DeviceID != 42 || !s.Fresh(now.Add(MaxSkew)) || s.Fresh(now.Add(MaxSkew+time.Second)) || s.Fresh(now.Add(-MaxSkew-time.Second)) {
		t.Fatalf("parse: %+v %v %v", s, ok, err)
	}
	if !s.Verify(pub, "POST", "/api/v1/orders/7/reveal?tenant=ta", body) {
		t.Fatal("a good signature does not verify")
	}
	for name, v := range map[string]bool{
		"method": s.Verify(pub, "GET", "/api/v1/orders/7/reveal?tenant=ta", body),
		"path":   s.Verify(pub, "POST", "/api/v1/orders/8/reveal?tenant=ta", body),
		"query":  s.Verify(pub, "POST", "/api/v1/orders/7/reveal?tenant=tb", body),
		"body":   s.Verify(pub, "POST", "/api/v1/orders/7/reveal?tenant=ta", []byte(`{"purpose":"legal_request"}`)),
	} {
		if v {
			t.Errorf("signature verifies with another %s", name)
		}
	}
	other, _, _ := Generate()
	if s.Verify(other, "POST", "/api/v1/orders/7/reveal?tenant=ta", body) {
		t.Error("signature verifies under another key")
	}
	s.DeviceID = 43 // the id is signed too
	if s.Verify(pub, "POST", "/api/v1/orders/7/reveal?tenant=ta", body) {
		t.Error("signature verifies for another device id")
	}
	if back, err := ParsePrivate(EncodePrivate(priv)); err != nil || !back.Equal(priv) {
		t.Error("private key does not round-trip")
	}
	if back, err := ParsePublic(EncodePublic(pub)); err != nil || !back.Equal(pub) {
		t.Error("public key does not round-trip")
	}
}

// TestParseRefusesMalformed: a bearer secret in the device header, or
// missing pieces, is an error, not a device.
func TestParseRefusesMalformed(t *testing.T) {
	if _, ok, _ := Parse(http.Header{}); ok {
		t.Fatal("no headers parsed as a device")
	}
	for _, h := range []http.Header{
		{HeaderDevice: {"ycd_secret"}},
		{HeaderDevice: {"3"}, HeaderTime: {"x"}},
		{HeaderDevice: {"3"}, HeaderTime: {"1"}, HeaderNonce: {"short"}},
		{HeaderDevice: {"3"}, HeaderTime: {"1"}, HeaderNonce: {"0123456789abcdef"}, HeaderSignature: {"AAAA"}},
	} {
		if _, ok, err := Parse(h); !ok || err == nil {
			t.Errorf("Parse(%v) accepted", h)
		}
	}
}
