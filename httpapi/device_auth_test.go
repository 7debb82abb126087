package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang/devicekey"
)

// TestDeviceSignature: a device proves itself with the private key it
// keeps. Its id (or anything else copied off it) without the key is
// refused, as are a replayed or stale signed request, a packing station
// used for a reveal, and another person's office desk.
func TestDeviceSignature(t *testing.T) {
	f := newFixture(t)
	path := fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", f.orderA)
	body := `{"purpose":"delivery_exception","note":"courier cannot find building"}`
	cs := f.tokens["customer_service"]
	send := func(req *http.Request) *httptest.ResponseRecorder {
		req.RemoteAddr = "10.0.0.7:40000"
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+cs)
		rec := httptest.NewRecorder()
		f.srv.ServeHTTP(rec, req)
		return rec
	}
	newReq := func() *http.Request { return httptest.NewRequest("POST", path, strings.NewReader(body)) }

	// The desk's id with a key generated elsewhere (a copied device id and
	// whatever else can be copied without the private key): refused.
	desk := f.signers["DESK-customer_service"]
	_, otherKey, _ := devicekey.Generate()
	forged := &devicekey.Signer{DeviceID: desk.DeviceID, Key: otherKey, Now: f.clock.Now}
	req := newReq()
	forged.Sign(req, []byte(body))
	if rec := send(req); rec.Code != http.StatusUnauthorized {
		t.Fatalf("reveal signed with another key: %d %s", rec.Code, rec.Body)
	}
	// The old bearer-secret header: refused.
	req = newReq()
	req.Header.Set(devicekey.HeaderDevice, "ycd_copied-station-secret")
	if rec := send(req); rec.Code != http.StatusUnauthorized {
		t.Fatalf("reveal with a copied device secret: %d %s", rec.Code, rec.Body)
	}
	// A packing station, correctly signed, is no place for a reveal.
	req = newReq()
	f.signers["YW1-DESK"].Sign(req, []byte(body))
	if rec := send(req); rec.Code != http.StatusForbidden {
		t.Fatalf("reveal from a packing station: %d %s", rec.Code, rec.Body)
	}
	// Another person's desk: refused at the door.
	req = newReq()
	f.signers["DESK-merchant_staff@ta"].Sign(req, []byte(body))
	if rec := send(req); rec.Code != http.StatusForbidden {
		t.Fatalf("reveal from another person's desk: %d %s", rec.Code, rec.Body)
	}
	// A signature over another body: refused.
	req = newReq()
	desk.Sign(req, []byte(`{"purpose":"return","note":"x"}`))
	if rec := send(req); rec.Code != http.StatusUnauthorized {
		t.Fatalf("reveal with a signature over another body: %d", rec.Code)
	}
	// The own desk works once; the same signed request again is a replay.
	req = newReq()
	desk.Sign(req, []byte(body))
	replay := req.Header.Clone()
	if rec := send(req); rec.Code != http.StatusOK {
		t.Fatalf("reveal from the own desk: %d %s", rec.Code, rec.Body)
	}
	req = newReq()
	req.Header = replay
	if rec := send(req); rec.Code != http.StatusUnauthorized {
		t.Fatalf("replayed signed reveal: %d %s", rec.Code, rec.Body)
	}
	// Signed too long ago (or ahead): refused.
	stale := &devicekey.Signer{DeviceID: desk.DeviceID, Key: desk.Key, Now: func() time.Time { return f.clock.Now().Add(-devicekey.MaxSkew - time.Second) }}
	req = newReq()
	stale.Sign(req, []byte(body))
	if rec := send(req); rec.Code != http.StatusUnauthorized {
		t.Fatalf("stale signed reveal: %d %s", rec.Code, rec.Body)
	}
}
