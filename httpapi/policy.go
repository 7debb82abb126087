package httpapi

import (
	"context"
	"net/http"
	"slices"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
)

// Policy is what a route requires. Every route declares one; a route without
// roles and not marked public is reachable by nobody.
type Policy struct {
	Public bool     // no authentication at all (health, login, documents)
	Roles  []string // roles allowed; empty means none
	// Scope is what an API token must carry to call the route; sessions
	// carry all of their role's permissions. Empty: no token may call it.
	Scope string
	// Tenant makes the route act on one tenant's data: merchant roles act on
	// their own tenant; platform roles must name one with ?tenant=CODE.
	Tenant bool
	// Warehouse makes the route act in the warehouse named by the
	// {warehouse} path segment; warehouse-scoped roles only in their own.
	Warehouse bool
	// StepUp requires a second factor taken within the step-up window.
	StepUp bool
	// Device requires the request to be signed by an enrolled device the
	// actor may use (label printing, revealing personal data).
	Device bool
	// DeviceKinds are the device kinds the route accepts (empty: any).
	DeviceKinds []string
	// Gateway makes the route a print gateway's: no account and no bearer
	// token, only a request signed by an enrolled, active device of kind
	// print_gateway, which becomes the actor.
	Gateway bool
	// Page makes the route a web console page (package console): the
	// credential is the session cookie, never a bearer token; a request
	// that changes something must carry the page's CSRF token; errors are
	// rendered as pages. See pages.go.
	Page bool
}

// Token scopes.
const (
	ScopeAny          = "any" // every token: /me, /logout
	ScopeOrdersWrite  = "orders:write"
	ScopeOrdersRead   = "orders:read"
	ScopeCatalogRead  = "catalog:read"
	ScopeCatalogWrite = "catalog:write"
	ScopeStockWrite   = "stock:write"
	ScopeCarrier      = "carrier"
	// ScopeMetrics reads GET /metrics and nothing else (not even /me; see
	// ExclusiveScopes): Prometheus's scrape token, issued by a platform
	// admin or security officer to their own account.
	ScopeMetrics       = "metrics"
	scopeNeverForToken = "" // administrative routes: sessions only
)

// An ExclusiveScope confines the API tokens that hold it to the routes of
// that scope: such a token may call only a route whose policy names Scope,
// not even ScopeAny's /me or /logout. Used on any other route it is
// refused with Refusal and alerted under the guard rule Rule, and the
// refusal is not counted as its person's scope probing: it is a
// misconfigured client or a stolen token (Misuse), and counting it would
// suspend the person.
type ExclusiveScope struct {
	Scope   string
	Refusal string // the 403's message
	Rule    string // the alert's guard rule
	Misuse  string // what such a use most likely is, for the alert
}

// ExclusiveScopes declares the exclusive scopes; authorize applies them.
var ExclusiveScopes = []ExclusiveScope{
	{Scope: ScopeMetrics, Refusal: "a metrics token reads GET /metrics and nothing else",
		Rule: "scrape_token_misuse", Misuse: "a misconfigured scraper or a stolen token"},
}

// confinedAway returns the exclusive scope of decl that keeps the actor's
// API token from route p, if any: one the token holds and p is not of.
func confinedAway(decl []ExclusiveScope, a *yuncang.Actor, p Policy) (ExclusiveScope, bool) {
	if a.Kind != yuncang.CredentialAPIToken {
		return ExclusiveScope{}, false
	}
	for _, e := range decl {
		if a.HasScope(e.Scope) && p.Scope != e.Scope {
			return e, true
		}
	}
	return ExclusiveScope{}, false
}

// TokenScopes lists the scopes a token may be given.
var TokenScopes = []string{ScopeOrdersWrite, ScopeOrdersRead, ScopeCatalogRead, ScopeCatalogWrite, ScopeStockWrite, ScopeCarrier, ScopeMetrics}

// MetricsRoles are the roles that may read GET /metrics (with a session, or
// with a token of scope metrics an account of such a role issued itself).
var MetricsRoles = []string{yuncang.RolePlatformAdmin, yuncang.RoleSecurityOfficer, yuncang.RoleAuditor}

func roles(rs ...string) []string { return rs }

type tenantKey struct{}
type warehouseKey struct{}

// tenantFrom returns the tenant the authorization step resolved.
func tenantFrom(ctx context.Context) *yuncang.Tenant {
	t, _ := ctx.Value(tenantKey{}).(*yuncang.Tenant)
	return t
}

// warehouseFrom returns the warehouse the authorization step resolved.
func warehouseFrom(ctx context.Context) *yuncang.Warehouse {
	w, _ := ctx.Value(warehouseKey{}).(*yuncang.Warehouse)
	return w
}

func forbid(msg string) error { return yuncang.Errorf(yuncang.EFORBIDDEN, "%s", msg) }

// authorize is the single authorization decision for every request: it
// authenticates the bearer token (and the device's request signature), checks role, token scope,
// shift, step-up and device against the route's policy, and resolves the
// tenant and warehouse the request may act on. It returns the request
// context to continue with.
func (s *Server) authorize(r *http.Request, p Policy) (context.Context, error) {
	ctx := r.Context()
	if p.Public {
		if p.Page {
			return ctx, checkPreSessionCSRF(r)
		}
		return ctx, nil
	}
	if p.Gateway {
		return s.authorizeGateway(r)
	}
	token, ok := bearer(r)
	if p.Page {
		token, ok = sessionCookie(r)
	}
	if !ok {
		if p.Page {
			return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "sign in first")
		}
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "a bearer token is required")
	}
	device, err := s.signedDevice(nil, r)
	if err != nil {
		return nil, err
	}
	actor, err := s.auth.Authenticate(ctx, token, device, s.clientAddr(r))
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			err = yuncang.Errorf(yuncang.EUNAUTHORIZED, "credential is invalid or expired")
		}
		return nil, err
	}
	ctx = yuncang.NewContextWithActor(ctx, actor)
	if p.Page {
		if ctx, err = s.pageSession(ctx, r, actor, token); err != nil {
			return ctx, err
		}
	} else if actor.Kind == yuncang.CredentialConsole {
		// The console's cookie is no bearer token: a copied cookie does
		// not open the API (nor, above, an API credential the pages).
		return ctx, yuncang.Errorf(yuncang.EUNAUTHORIZED, "a console session is not an API credential; log in to the API")
	}
	if e, ok := confinedAway(s.exclusiveScopes, actor, p); ok {
		// A token of an exclusive scope used elsewhere: alerted, never
		// counted as the account's scope probing (see ExclusiveScope).
		s.exclusiveScopeMisused(r, ctx, actor, e)
		return context.WithValue(ctx, notProbingKey{}, true), forbid(e.Refusal)
	}
	if !slices.Contains(p.Roles, actor.Role) {
		return ctx, forbid("your role may not do this")
	}
	if actor.Kind == yuncang.CredentialAPIToken && (p.Scope == scopeNeverForToken || (p.Scope != ScopeAny && !actor.HasScope(p.Scope))) {
		return ctx, forbid("this API token's scopes do not allow this")
	}
	if !s.auth.InShift(actor) {
		if actor.Shift.Mode != yuncang.ShiftStepUp {
			s.securityEvent(ctx, actor, yuncang.EventOutsideShift, yuncang.OutcomeDenied, r.Pattern)
			return ctx, forbid("outside your shift")
		}
		if !s.auth.SteppedUp(actor) && r.Pattern != "POST /api/v1/step-up" {
			s.securityEvent(ctx, actor, yuncang.EventOutsideShift, yuncang.OutcomeDenied, r.Pattern)
			return ctx, &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: "totp", Message: "outside your shift: step up with a one-time code first"}
		}
		s.securityEvent(ctx, actor, yuncang.EventOutsideShift, yuncang.OutcomeAlert, r.Pattern)
	}
	if p.StepUp && !s.auth.SteppedUp(actor) && p.Page {
		if err := s.pageStepUp(r, actor); err != nil {
			return ctx, err
		}
	}
	if p.StepUp && !s.auth.SteppedUp(actor) {
		return ctx, &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: "totp", Message: "this action needs a fresh second factor: POST /api/v1/step-up"}
	}
	if p.Tenant {
		t, err := s.resolveTenant(ctx, r, actor)
		if err != nil {
			return ctx, err
		}
		ctx = context.WithValue(ctx, tenantKey{}, t)
	}
	if p.Warehouse {
		w, err := s.store.WarehouseByCode(ctx, r.PathValue("warehouse"))
		if err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return ctx, yuncang.Invalid("warehouse", "no such warehouse")
			}
			return ctx, err
		}
		if !actor.InWarehouse(w.ID) {
			return ctx, forbid("this warehouse is outside your scope")
		}
		ctx = context.WithValue(ctx, warehouseKey{}, w)
	}
	if p.Device {
		if why := deviceAllowed(p, actor, warehouseFrom(ctx)); why != "" {
			return ctx, forbid(why)
		}
	}
	return ctx, nil
}

// revealDevice is revealing's device rule: a request signed by an enrolled
// office desk assigned to the person. Closing a data request as erased or
// corrected (which destroys or rewrites a recipient) takes the same.
var revealDevice = Policy{Device: true, DeviceKinds: []string{yuncang.DeviceOfficeDesk}}

// requireRevealDevice applies revealDevice inside a handler whose route
// serves outcomes that need it and outcomes that do not (a data request's
// close): the same rule as the reveal route's policy, checked by the same
// function.
func requireRevealDevice(ctx context.Context, what string) error {
	if why := deviceAllowed(revealDevice, yuncang.ActorFromContext(ctx), nil); why != "" {
		return forbid(what + ": " + why + " (your own enrolled office desk, as for a reveal)")
	}
	return nil
}

// notProbingKey marks a refusal that is not the account's own scope
// probing (observeDenied skips it).
type notProbingKey struct{}

// exclusiveScopeMisused alerts (and so audits) a token of exclusive scope
// e used on a route of another scope. The alert names the route pattern
// only.
func (s *Server) exclusiveScopeMisused(r *http.Request, ctx context.Context, a *yuncang.Actor, e ExclusiveScope) {
	d := guard.Decision{Signals: []guard.Signal{{Rule: e.Rule, Severity: guard.Alert,
		Detail: "a " + e.Scope + " token was used on " + r.Pattern + " (refused; " + e.Misuse + ")"}}}
	s.raise(r.WithContext(ctx), a, d, "refused")
}

// resolveTenant decides which tenant a tenant-scoped request acts on.
func (s *Server) resolveTenant(ctx context.Context, r *http.Request, actor *yuncang.Actor) (*yuncang.Tenant, error) {
	code := r.URL.Query().Get("tenant")
	if actor.TenantID != 0 {
		t, err := s.store.TenantByID(ctx, actor.TenantID)
		if err != nil {
			return nil, err
		}
		if code != "" && code != t.Code {
			return nil, forbid("you may act only on your own tenant")
		}
		return t, nil
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
	return t, nil
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const p = "Bearer "
	if len(h) > len(p) && (h[:len(p)] == p || h[:len(p)] == "bearer ") {
		return h[len(p):], true
	}
	return "", false
}

// actorEvent is an audit event of kind by the request's actor.
func actorEvent(r *http.Request, kind string) *yuncang.Event {
	a := yuncang.ActorFromContext(r.Context())
	e := &yuncang.Event{UserID: a.UserID, Username: a.Username, Role: a.Role, TenantID: a.TenantID, Kind: kind, Outcome: yuncang.OutcomeOK, Source: a.Source}
	if t := tenantFrom(r.Context()); t != nil {
		e.TenantID = t.ID
	}
	if a.Device != nil {
		e.DeviceID = a.Device.ID
	}
	return e
}

// securityEvent records an event about the actor; a failure to record is
// logged (the decision it describes was already a refusal or an alert).
func (s *Server) securityEvent(ctx context.Context, a *yuncang.Actor, kind, outcome, detail string) error {
	e := &yuncang.Event{UserID: a.UserID, Username: a.Username, Role: a.Role, TenantID: a.TenantID, Kind: kind, Outcome: outcome, Source: a.Source, Detail: detail}
	if a.Device != nil {
		e.DeviceID = a.Device.ID
	}
	err := s.store.RecordEvent(ctx, e)
	if err != nil {
		s.log.Error("record security event", "kind", kind, "err", err.Error())
	}
	return err
}

// authorizeGateway admits a print gateway: a request signed by an active
// device of kind print_gateway standing in a warehouse, and nothing else
// (no bearer token opens these routes, and the gateway's key opens no
// other route: it has no account).
func (s *Server) authorizeGateway(r *http.Request) (context.Context, error) {
	ctx := r.Context()
	if _, ok := bearer(r); ok {
		return nil, forbid("print gateway routes take the gateway's device signature, not a bearer token")
	}
	d, err := s.signedDevice(nil, r)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "a print gateway's device signature is required")
	}
	if d.Kind != yuncang.DevicePrintGateway || d.WarehouseID == 0 {
		return nil, forbid("only a print gateway may call this")
	}
	actor := &yuncang.Actor{Username: "gateway:" + d.Code, Device: d, Source: s.clientAddr(r), Warehouses: []int64{d.WarehouseID}}
	return yuncang.NewContextWithActor(ctx, actor), nil
}

// pagePolicies are the web console's pages (package console registers the
// handlers with HandlePage; a page without an entry here cannot be
// registered). The same roles and tenant/warehouse rules as the API apply;
// every entry is a row of the authorization matrix (console_authz_test.go).
// Add a page: its line here, its row in the matrix, its handler in console.
var pagePolicies = func() map[string]Policy {
	const (
		pa = yuncang.RolePlatformAdmin
		so = yuncang.RoleSecurityOfficer
		ws = yuncang.RoleWarehouseSupervisor
		op = yuncang.RoleOperator
		cs = yuncang.RoleCustomerService
		ma = yuncang.RoleMerchantAdmin
		ms = yuncang.RoleMerchantStaff
		au = yuncang.RoleAuditor
	)
	public := Policy{Public: true}
	people := roles(pa, so, ws, op, cs, ma, ms, au)
	floorStaff := roles(pa, ws, op)
	floorPage := Policy{Roles: floorStaff, Tenant: true, Warehouse: true}
	return map[string]Policy{
		// Sign-in, language, assets, the session's own pages.
		"GET /login":         public,
		"POST /login":        public,
		"GET /lang/{lang}":   public,
		"GET /static/{file}": public,
		"GET /{$}":           {Roles: people},
		"GET /watermark.svg": {Roles: people},
		"POST /logout":       {Roles: people},
		"POST /step-up":      {Roles: people},

		// Security keys (WebAuthn): one's own, registered and removed after a
		// fresh step-up; their assertions at sign-in and step-up.
		"GET /security-keys":               {Roles: people},
		"GET /security-keys/new":           {Roles: people, StepUp: true},
		"POST /security-keys/new":          {Roles: people, StepUp: true},
		"POST /security-keys":              {Roles: people, StepUp: true},
		"POST /security-keys/{key}/remove": {Roles: people, StepUp: true},
		"POST /login/key":                  public,
		"POST /step-up/key":                {Roles: people},

		// Merchant admin and staff (customer service reads orders too, as in the API).
		"GET /orders":                        {Roles: roles(ma, ms, cs), Tenant: true},
		"GET /orders/{id}":                   {Roles: roles(ma, ms, cs), Tenant: true},
		"GET /skus":                          {Roles: roles(pa, ma, ms), Tenant: true},
		"GET /planning":                      {Roles: roles(pa, ma, ms), Tenant: true},
		"GET /analytics":                     {Roles: roles(pa, ma, ms), Tenant: true},
		"GET /orders/import":                 {Roles: roles(ma, ms), Tenant: true},
		"POST /orders/import":                {Roles: roles(ma, ms), Tenant: true},
		"GET /orders/import/template.csv":    {Roles: roles(ma, ms), Tenant: true},
		"GET /orders/import/{import}":        {Roles: roles(ma, ms), Tenant: true},
		"GET /orders/import/{import}/status": {Roles: roles(ma, ms), Tenant: true},

		// Customer service (and merchant staff, who may reveal too, as in the API).
		"GET /search":              {Roles: roles(ma, ms, cs), Tenant: true},
		"POST /search":             {Roles: roles(ma, ms, cs), Tenant: true},
		"GET /desk":                {Roles: roles(cs, ms, ws, op)}, // this browser's device key: a desk or a packing station
		"POST /orders/{id}/reveal": {Roles: roles(cs, ms), Tenant: true, StepUp: true, Device: true, DeviceKinds: []string{yuncang.DeviceOfficeDesk}},
		// Warehouse floor (handheld scanners, pack stations): the API's floor
		// rules: operators and supervisors in their own warehouses, on the
		// merchant named with ?tenant=CODE; a label is printed only from an
		// enrolled packing station, as POST .../print-jobs.
		"GET /floor":                           {Roles: floorStaff},
		"GET /floor/{warehouse}":               floorPage,
		"POST /floor/{warehouse}/waves":        floorPage,
		"GET /floor/{warehouse}/receive":       floorPage,
		"POST /floor/{warehouse}/receive/scan": floorPage,
		"GET /floor/{warehouse}/putaway":       floorPage,
		"POST /floor/{warehouse}/putaway/scan": floorPage,
		"GET /floor/{warehouse}/pick":          floorPage,
		"POST /floor/{warehouse}/pick/scan":    floorPage,
		"GET /floor/{warehouse}/pack":          floorPage,
		"POST /floor/{warehouse}/pack/scan":    floorPage,
		"POST /floor/{warehouse}/pack/weigh":   floorPage,
		"POST /floor/{warehouse}/pack/print": {Roles: roles(ws, op), Tenant: true, Warehouse: true,
			Device: true, DeviceKinds: []string{yuncang.DevicePackingStation}},

		// Warehouse supervisor: staff on shift, stations and devices, the
		// alerts queue of its warehouses' staff (review: the API's step-up).
		"GET /supervisor":                {Roles: roles(ws)},
		"GET /supervisor/alerts":         {Roles: roles(ws)},
		"POST /supervisor/alerts/review": {Roles: roles(ws), StepUp: true},

		// The audit log viewer (security officers, auditors, platform
		// administrators: the API's audit roles), read-only; its inclusion
		// proofs are checked in the page against the signed checkpoint.
		"GET /audit":        {Roles: roles(pa, so, au)},
		"GET /audit/proof":  {Roles: roles(pa, so, au)},
		"GET /audit/export": {Roles: roles(pa, so, au)},

		// Security officer (and platform administrator): the alerts queue,
		// the access review (the auditor reads it too) and offboarding, as
		// the API's alert, access-review and offboard routes.
		"GET /security/alerts":         {Roles: roles(pa, so)},
		"POST /security/alerts/review": {Roles: roles(pa, so), StepUp: true},
		"GET /security/access":         {Roles: roles(pa, so, au)},
		"POST /security/offboard":      {Roles: roles(pa, so), StepUp: true},
		"GET /security/approvals":      {Roles: roles(pa, so)},
		"POST /security/approvals":     {Roles: roles(pa, so), StepUp: true},
		"GET /security/guard":          {Roles: roles(pa, so, au)},

		// Platform administrator: merchants, warehouses, carriers and their
		// number ranges, devices; creating a merchant or a warehouse takes
		// the API's step-up.
		"GET /admin":             {Roles: roles(pa)},
		"POST /admin/merchants":  {Roles: roles(pa), StepUp: true},
		"POST /admin/warehouses": {Roles: roles(pa), StepUp: true},
	}
}()
