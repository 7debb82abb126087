package httpapi_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
)

// TestExclusiveScopesConfineTokens walks every route with a token of each
// declared exclusive scope (httpapi.ExclusiveScopes: metrics): the routes
// of its scope let it through; every other route that takes a bearer token
// refuses it with the declared message and an alert under the declared
// rule, and none of those refusals counts as its person's scope probing.
// The second run declares one more scope exclusive (carrier) through the
// server's configuration alone, and the same walk confines its tokens: the
// mechanism knows no scope by name.
func TestExclusiveScopesConfineTokens(t *testing.T) {
	t.Run("declared", func(t *testing.T) {
		if !slices.ContainsFunc(httpapi.ExclusiveScopes, func(e httpapi.ExclusiveScope) bool { return e.Scope == httpapi.ScopeMetrics }) {
			t.Fatal("metrics is not declared exclusive")
		}
		walkExclusiveScopes(t, httpapi.ExclusiveScopes)
	})
	t.Run("one more declared", func(t *testing.T) {
		decl := append(slices.Clone(httpapi.ExclusiveScopes), httpapi.ExclusiveScope{Scope: httpapi.ScopeCarrier,
			Refusal: "a carrier token calls the carrier routes and nothing else", Rule: "carrier_token_misuse", Misuse: "a test's declaration"})
		walkExclusiveScopes(t, decl)
	})
}

// walkExclusiveScopes runs the walk of TestExclusiveScopesConfineTokens on a
// server whose exclusive scopes are decl.
func walkExclusiveScopes(t *testing.T, decl []httpapi.ExclusiveScope) {
	gc := guard.DefaultConfig()
	f := newFixtureConfig(t, &gc, func(c *httpapi.Config) { *c = httpapi.WithExclusiveScopes(*c, decl) })
	ctx := context.Background()
	routes := f.srv.Routes()
	for _, e := range decl {
		// The token goes to an account of a role its scope's routes allow
		// (one of each platform role is in the fixture, named after it).
		var holder *yuncang.User
		for _, rt := range routes {
			for _, role := range rt.Policy.Roles {
				if u := f.users[role]; rt.Policy.Scope == e.Scope && u != nil && holder == nil {
					holder = u
				}
			}
		}
		if holder == nil {
			t.Fatalf("scope %s: no route of the scope, or none a fixture account may call", e.Scope)
		}
		tok, _, err := f.auth.IssueAPIToken(ctx, holder.ID, "exclusive", []string{e.Scope}, 24*time.Hour)
		must(t, err)
		own, refused := 0, 0
		for _, rt := range routes {
			if rt.Policy.Public || rt.Policy.Gateway || rt.Policy.Page {
				continue // no bearer token authenticates these
			}
			f.clock.Advance(time.Minute) // one call a minute: no rate rule speaks
			rec := f.do(t, rt.Method, samplePath(rt.Path), tok, "")
			confined := rec.Code == 403 && strings.Contains(rec.Body.String(), e.Refusal)
			switch {
			case rt.Policy.Scope == e.Scope && confined:
				t.Errorf("%s: a %s token is refused on a route of its own scope", rt.Pattern(), e.Scope)
			case rt.Policy.Scope == e.Scope:
				own++
			case !confined:
				t.Errorf("%s (scope %q): a %s token answers %d %s, want 403 %q", rt.Pattern(), rt.Policy.Scope, e.Scope, rec.Code, strings.TrimSpace(rec.Body.String()), e.Refusal)
			default:
				refused++
			}
		}
		if own == 0 || refused < 50 {
			t.Fatalf("scope %s: %d routes of its own, %d refused: the walk proves nothing", e.Scope, own, refused)
		}
		u, err := f.db.UserByID(ctx, holder.ID)
		must(t, err)
		if u.Status != yuncang.UserActive {
			t.Errorf("scope %s: the refusals suspended the token's person: %s (%s)", e.Scope, u.Status, u.DisabledReason)
		}
		als, err := f.db.Alerts(ctx, "", 1000)
		must(t, err)
		alerts := 0
		for _, al := range als {
			if al.UserID != holder.ID {
				continue
			}
			if al.Rule == "scope_probing" {
				t.Errorf("scope %s: a scope_probing alert for the refusals: %+v", e.Scope, al)
			}
			if al.Rule == e.Rule {
				alerts++
			}
		}
		if alerts != refused {
			t.Errorf("scope %s: %d %s alerts for %d refusals", e.Scope, alerts, e.Rule, refused)
		}
		t.Logf("scope %s: %d routes of its own, %d refused and alerted", e.Scope, own, refused)
	}
}

var pathParam = regexp.MustCompile(`\{[^}]*\}`)

// samplePath fills a route path's parameters with 1 (authorization decides
// before any handler reads them).
func samplePath(path string) string {
	return pathParam.ReplaceAllStringFunc(path, func(m string) string {
		if m == "{$}" {
			return ""
		}
		return "1"
	})
}
