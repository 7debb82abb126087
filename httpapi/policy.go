package httpapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/yuncang/yuncang"
)

// Policy is what a route requires. Every route declares one; a route without
// roles and not marked public is reachable by nobody.
type Policy struct {
	Public bool     // no authentication at all (health, login, documents)
	Roles  []string // roles allowed; empty means none
	// Tenant makes the route act on one tenant's data: merchant roles act on
	// their own tenant; platform roles must name one with ?tenant=CODE.
	Tenant bool
}

// anyone is every authenticated role.
var anyone = yuncang.Roles

func roles(rs ...string) []string { return rs }

type tenantKey struct{}

// tenantFrom returns the tenant the authorization step resolved.
func tenantFrom(ctx context.Context) *yuncang.Tenant {
	t, _ := ctx.Value(tenantKey{}).(*yuncang.Tenant)
	return t
}

// authorize is the single authorization decision for every request: it
// authenticates the bearer token, checks the role against the route's policy
// and resolves the tenant the request may act on. It returns the request
// context to continue with.
func (s *Server) authorize(r *http.Request, p Policy) (context.Context, error) {
	ctx := r.Context()
	if p.Public {
		return ctx, nil
	}
	token, ok := bearer(r)
	if !ok {
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "a bearer token is required")
	}
	actor, err := s.auth.Authenticate(ctx, token)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			err = yuncang.Errorf(yuncang.EUNAUTHORIZED, "credential is invalid or expired")
		}
		return nil, err
	}
	ctx = yuncang.NewContextWithActor(ctx, actor)
	if !slices.Contains(p.Roles, actor.Role) {
		return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "your role may not do this")
	}
	if !p.Tenant {
		return ctx, nil
	}
	code := r.URL.Query().Get("tenant")
	if yuncang.IsMerchantRole(actor.Role) {
		t, err := s.store.TenantByID(ctx, actor.TenantID)
		if err != nil {
			return nil, err
		}
		if code != "" && code != t.Code {
			return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "you may act only on your own tenant")
		}
		return context.WithValue(ctx, tenantKey{}, t), nil
	}
	if code == "" {
		return nil, yuncang.Invalid("tenant", "is required: name the merchant with ?tenant=CODE")
	}
	t, err := s.store.TenantByCode(ctx, code)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return nil, yuncang.Invalid("tenant", "no such tenant")
		}
		return nil, err
	}
	return context.WithValue(ctx, tenantKey{}, t), nil
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const p = "Bearer "
	if len(h) > len(p) && (h[:len(p)] == p || h[:len(p)] == "bearer ") {
		return h[len(p):], true
	}
	return "", false
}
