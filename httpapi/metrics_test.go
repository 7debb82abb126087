package httpapi_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// TestMetricsNeedAuthorization: /metrics shows the guard's decisions, so it
// answers only a platform admin, security officer or auditor, or a token of
// scope metrics issued (audited) to such an account; that token reads
// nothing else, not even what its account's session may.
func TestMetricsNeedAuthorization(t *testing.T) {
	f := newFixture(t)
	pa := f.tokens["platform_admin"]
	if rec := f.do(t, "GET", "/metrics", "", ""); rec.Code != 401 {
		t.Fatalf("metrics without a credential: %d", rec.Code)
	}
	for _, key := range []string{"customer_service", "merchant_admin@ta", "operator", "carrier"} {
		if rec := f.do(t, "GET", "/metrics", f.tokens[key], ""); rec.Code != 403 {
			t.Errorf("metrics as %s: %d, want 403", key, rec.Code)
		}
	}
	rec := f.do(t, "POST", "/api/v1/tokens", pa, `{"username":"auditor","label":"prometheus","scopes":["metrics"]}`)
	if rec.Code != 201 {
		t.Fatalf("issue a scrape token: %d %s", rec.Code, rec.Body)
	}
	var tok httpapi.TokenResponse
	must(t, json.Unmarshal(rec.Body.Bytes(), &tok))
	evs, err := f.db.Events(context.Background(), yuncang.EventFilter{Kind: yuncang.EventTokenIssue, UserID: f.users["auditor"].ID, Limit: 10})
	must(t, err)
	if len(evs) != 1 || evs[0].ActorName != "platform_admin" || evs[0].Detail != "token prometheus" {
		t.Fatalf("the scrape token's issue is not audited: %+v", evs)
	}
	if rec := f.do(t, "GET", "/metrics", tok.Token, ""); rec.Code != 200 {
		t.Fatalf("metrics with the scrape token: %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/api/v1/audit/events", "/api/v1/audit/checkpoint", "/api/v1/tenants", "/api/v1/access-review", "/api/v1/devices"} {
		if rec := f.do(t, "GET", path, f.tokens["auditor"], ""); rec.Code != 200 {
			t.Fatalf("GET %s as the auditor's session: %d", path, rec.Code)
		}
		if rec := f.do(t, "GET", path, tok.Token, ""); rec.Code != 403 {
			t.Errorf("GET %s with the scrape token: %d, want 403", path, rec.Code)
		}
	}
	// The scope is only for accounts that may read metrics, and only for it.
	for _, c := range []struct{ actor, body string }{
		{"merchant_admin@ta", `{"username":"merchant_staff-ta","scopes":["metrics"]}`},
		{"platform_admin", `{"username":"carrier","scopes":["metrics"]}`},
		{"platform_admin", `{"username":"auditor","scopes":["metrics","orders:read"]}`},
		{"platform_admin", `{"username":"operator","scopes":["metrics"]}`},
	} {
		if rec := f.do(t, "POST", "/api/v1/tokens", f.tokens[c.actor], c.body); rec.Code != 400 {
			t.Errorf("%s issuing %s: %d, want 400", c.actor, c.body, rec.Code)
		}
	}
}
