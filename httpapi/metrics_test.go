package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
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
	rec := f.do(t, "POST", "/api/v1/tokens", pa, `{"username":"platform_admin","label":"prometheus","scopes":["metrics"]}`)
	if rec.Code != 201 {
		t.Fatalf("issue a scrape token: %d %s", rec.Code, rec.Body)
	}
	var tok httpapi.TokenResponse
	must(t, json.Unmarshal(rec.Body.Bytes(), &tok))
	evs, err := f.db.Events(context.Background(), yuncang.EventFilter{Kind: yuncang.EventTokenIssue, UserID: f.users["platform_admin"].ID, Limit: 10})
	must(t, err)
	if len(evs) != 1 || evs[0].Username != "platform_admin" || evs[0].Detail != "token prometheus" {
		t.Fatalf("the scrape token's issue is not audited: %d %+v", len(evs), *evs[0])
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
		{"platform_admin", `{"username":"platform_admin","scopes":["metrics","orders:read"]}`},
		{"platform_admin", `{"username":"operator","scopes":["metrics"]}`},
	} {
		if rec := f.do(t, "POST", "/api/v1/tokens", f.tokens[c.actor], c.body); rec.Code != 400 {
			t.Errorf("%s issuing %s: %d, want 400", c.actor, c.body, rec.Code)
		}
	}
}

// TestScrapeTokenCannotLockOutItsPerson: a metrics token used on routes
// other than /metrics (its person's /me and /session too) is refused, and
// those refusals are a scraper's misuse, alerted, not the person's scope
// probing: the account is not suspended and its session keeps working. A
// metrics token is issued only to the issuer's own account.
func TestScrapeTokenCannotLockOutItsPerson(t *testing.T) {
	gc := guard.DefaultConfig()
	f := newFixtureWith(t, &gc)
	so := f.tokens["security_officer"]
	for _, c := range []struct{ actor, body string }{
		{"platform_admin", `{"username":"security_officer","scopes":["metrics"]}`},
		{"security_officer", `{"username":"auditor","scopes":["metrics"]}`},
	} {
		if rec := f.do(t, "POST", "/api/v1/tokens", f.tokens[c.actor], c.body); rec.Code != 400 || !strings.Contains(rec.Body.String(), "your own account") {
			t.Errorf("%s issuing %s (another person's account): %d %s, want 400", c.actor, c.body, rec.Code, rec.Body)
		}
	}
	rec := f.do(t, "POST", "/api/v1/tokens", so, `{"username":"security_officer","label":"scr","scopes":["metrics"],"ttl_hours":168}`)
	if rec.Code != 201 {
		t.Fatalf("issue one's own scrape token: %d %s", rec.Code, rec.Body)
	}
	var tok httpapi.TokenResponse
	must(t, json.Unmarshal(rec.Body.Bytes(), &tok))
	if rec := f.do(t, "GET", "/metrics", tok.Token, ""); rec.Code != 200 {
		t.Fatalf("metrics with the scrape token: %d", rec.Code)
	}
	paths := []string{"/api/v1/alerts", "/api/v1/users", "/api/v1/tenants", "/api/v1/audit/events", "/api/v1/compliance/ledger",
		"/api/v1/me", "/api/v1/session", "/api/v1/access-review", "/api/v1/devices"}
	for _, p := range paths {
		if rec := f.do(t, "GET", p, tok.Token, ""); rec.Code != 403 {
			t.Errorf("GET %s with the scrape token: %d, want 403", p, rec.Code)
		}
	}
	u, err := f.db.UserByID(context.Background(), f.users["security_officer"].ID)
	must(t, err)
	if u.Status != yuncang.UserActive {
		t.Fatalf("the scrape token's misuse suspended its person: %s (%s)", u.Status, u.DisabledReason)
	}
	if rec := f.do(t, "GET", "/api/v1/me", so, ""); rec.Code != 200 {
		t.Fatalf("the person's session after the token's misuse: %d", rec.Code)
	}
	if rec := f.do(t, "GET", "/metrics", tok.Token, ""); rec.Code != 200 {
		t.Fatalf("the scrape token itself after its misuse: %d", rec.Code)
	}
	als, err := f.db.Alerts(context.Background(), "", 100)
	must(t, err)
	misuse := 0
	for _, al := range als {
		if al.Rule == "scope_probing" {
			t.Errorf("a scope_probing alert for the scrape token's refusals: %+v", al)
		}
		if al.Rule == "scrape_token_misuse" && al.UserID == u.ID {
			misuse++
		}
	}
	if misuse != len(paths) {
		t.Errorf("%d scrape_token_misuse alerts, want %d", misuse, len(paths))
	}
}
