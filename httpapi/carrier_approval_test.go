package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// createCarrier configures a carrier as the platform admin and has the
// security officer approve it (four eyes); it returns the created carrier
// with its webhook secret, which only the approver received.
func (f *fixture) createCarrier(t *testing.T, body string) httpapi.CreatedCarrierJSON {
	t.Helper()
	var req httpapi.ApprovalRequestedJSON
	f.api(t, 202, "POST", "/api/v1/carriers", "platform_admin", body, &req)
	var dec httpapi.ApprovalDecidedJSON
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", req.Approval.ID), "security_officer", "", &dec)
	if dec.Carrier == nil || dec.Carrier.WebhookSecret == "" {
		t.Fatalf("approved carrier without its webhook secret: %+v", dec)
	}
	return *dec.Carrier
}

// TestCarrierNeedsFourEyes: a platform admin alone cannot configure a
// carrier (its manifest key, the account that resolves virtual numbers for
// it): the request waits for a second person, the carrier does not exist
// until then, the requester cannot approve it, and request, decision and
// application are in the audit log; the approver receives the secret.
func TestCarrierNeedsFourEyes(t *testing.T) {
	f := newFixture(t)
	id, err := age.GenerateX25519Identity()
	must(t, err)
	body := fmt.Sprintf(`{"code":"JT","name":"极兔速递","public_key":%q,"account":"carrier"}`, id.Recipient().String())
	rec := f.do(t, "POST", "/api/v1/carriers", f.tokens["platform_admin"], body)
	if rec.Code != 202 {
		t.Fatalf("carrier by one admin: %d %s, want 202 (waiting for a second person)", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "webhook_secret") {
		t.Fatalf("the requester received the webhook secret: %s", rec.Body)
	}
	req := decode[httpapi.ApprovalRequestedJSON](t, rec.Body.Bytes())
	if req.Approval.Kind != yuncang.ApprovalCarrier || req.Approval.Carrier == nil || req.Approval.Carrier.PublicKey != id.Recipient().String() ||
		req.Approval.TargetUsername != "carrier" {
		t.Fatalf("the request does not show what it configures: %+v", req.Approval)
	}
	if _, err := f.db.CarrierByCode(t.Context(), "JT"); yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		t.Fatalf("the carrier exists before approval: %v", err)
	}
	approve := fmt.Sprintf("/api/v1/approvals/%d/approve", req.Approval.ID)
	if rec := f.do(t, "POST", approve, f.tokens["platform_admin"], ""); rec.Code != 403 {
		t.Fatalf("the requester approved its own carrier: %d %s", rec.Code, rec.Body)
	}
	// Refused before any request: a taken code, an account that is no carrier's.
	for _, bad := range []string{
		fmt.Sprintf(`{"code":"JT","name":"x","public_key":%q,"account":"operator"}`, id.Recipient().String()),
	} {
		if rec := f.do(t, "POST", "/api/v1/carriers", f.tokens["platform_admin"], bad); rec.Code != 400 {
			t.Errorf("carrier %s: %d %s, want 400", bad, rec.Code, rec.Body)
		}
	}
	var dec httpapi.ApprovalDecidedJSON
	f.api(t, 200, "POST", approve, "security_officer", "", &dec)
	if dec.Approval.Status != yuncang.ApprovalApplied || dec.Carrier == nil || len(dec.Carrier.WebhookSecret) != 64 {
		t.Fatalf("approved: %+v", dec)
	}
	c, err := f.db.CarrierByCode(t.Context(), "JT")
	must(t, err)
	if c.PublicKey != id.Recipient().String() || c.UserID != f.users["carrier"].ID {
		t.Fatalf("carrier as created: %+v", c)
	}
	if rec := f.do(t, "POST", "/api/v1/carriers", f.tokens["platform_admin"], body); rec.Code != 409 {
		t.Fatalf("the same code again: %d %s, want 409", rec.Code, rec.Body)
	}
	evs, err := f.db.Events(t.Context(), yuncang.EventFilter{Limit: 500})
	must(t, err)
	seen := map[string]bool{}
	for _, e := range evs {
		if strings.Contains(e.Detail, "carrier JT") || strings.Contains(e.Detail, fmt.Sprintf("request %d", req.Approval.ID)) {
			seen[e.Kind] = true
		}
	}
	for _, k := range []string{yuncang.EventApprovalRequest, yuncang.EventApprovalDecision, yuncang.EventApprovalApply} {
		if !seen[k] {
			t.Errorf("no %s event for the carrier: %v", k, seen)
		}
	}
}
