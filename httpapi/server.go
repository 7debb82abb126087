// Package httpapi is yuncang's REST API: routes with their authorization
// policies, middleware, JSON wire types separate from the domain types, the
// error-to-status table, Prometheus metrics and the OpenAPI document.
package httpapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/fulfil"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/printing"
	"github.com/yuncang/yuncang/reveal"
)

// Store is the storage the API needs.
type Store interface {
	yuncang.TenantService
	yuncang.WarehouseService
	yuncang.SKUService
	yuncang.OrderService
	yuncang.UserService
	yuncang.DeviceService
	yuncang.EventService
	yuncang.ShipmentService
	yuncang.InventoryService
	yuncang.GuardService
	yuncang.ApprovalService
	yuncang.EnrolmentService
	yuncang.ComplianceService
	yuncang.DataRequestService
	printing.Store
	allocate.Store
	fulfil.SenderStore
	AuditLog
}

// AuditLog is the tamper-evident log as the API reads it.
type AuditLog interface {
	AuditSize(ctx context.Context) (int64, error)
	AuditHashReader(ctx context.Context) tlog.HashReader
	AuditRecord(ctx context.Context, idx int64) ([]byte, error)
	Checkpoints(ctx context.Context) ([][]byte, error)
}

// Server serves the API.
type Server struct {
	store   Store
	auth    *auth.Authenticator
	log     *slog.Logger
	metrics *metrics
	mux     *http.ServeMux
	routes  []Route
	ready   func() error
	version string
	vkey    string

	guard       *guard.Engine
	guardPolicy GuardPolicy
	notifier    *guard.Notifier
	bases       baselines
	canaries    canaryCache
	imports     chan struct{} // one slot per import running; see importOrders
	printing    *printing.Service
	allocation  *allocate.Service
	reveal      *reveal.Service
	senders     *fulfil.Senders
	waves       *fulfil.Waves
	pageError   func(w http.ResponseWriter, r *http.Request, status int, err error) // see pages.go
	// policyOverride: see Config.
	policyOverride func(pattern string, p Policy) Policy
	// exclusiveScopes: ExclusiveScopes (a test may declare more; see Config).
	exclusiveScopes []ExclusiveScope
	// Compliance (issue 14): the inspection signing key, the covering
	// checkpoint signer and the report font; see Config.
	inspectionSigner note.Signer
	checkpoint       func(ctx context.Context) ([]byte, error)
	reportFont       string
	compliance       complianceState
	// TrustedProxies are the reverse proxies whose X-Forwarded-For the
	// server believes; empty means the peer address is the client.
	TrustedProxies []netip.Prefix
	// DataRequestDueDays is the working days to answer a data-subject
	// request (0: yuncang.DataRequestDueWorkingDays).
	DataRequestDueDays int
}

// Route is one registered endpoint, kept for the OpenAPI document and the
// authorization matrix test.
type Route struct {
	Method, Path string
	Summary      string
	Policy       Policy
	Tag          string
}

// Pattern returns the ServeMux pattern of the route.
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// Config wires a server.
type Config struct {
	Store   Store
	Auth    *auth.Authenticator
	Logger  *slog.Logger
	Ready   func() error // readiness check for /healthz (e.g. a database ping)
	Version string
	// AuditVerifierKey is the public key checkpoints are signed with.
	AuditVerifierKey string
	// Guard watches access to personal data; nil turns it off (benchmarks).
	Guard       *guard.Engine
	GuardPolicy *GuardPolicy
	Notifier    *guard.Notifier
	// InspectionSigner signs special inspection reports (nil: inspections
	// answer that no key is configured).
	InspectionSigner note.Signer
	// Checkpoint signs a fresh audit checkpoint to cover an inspection and
	// returns its note (nil: the latest stored checkpoint covers it).
	Checkpoint func(ctx context.Context) ([]byte, error)
	// ReportFont is the CJK font for reports ("" : installed or built in).
	ReportFont string
	// policyOverride lets the authorization matrix test widen a route's
	// policy and check that the matrix notices (set only by export_test.go).
	policyOverride func(pattern string, p Policy) Policy
	// exclusiveScopes replaces ExclusiveScopes, so that a test can declare
	// another scope exclusive (set only by export_test.go).
	exclusiveScopes []ExclusiveScope
}

// New returns a server with every route registered.
func New(c Config) *Server {
	s := &Server{store: DecoyIntake(c.Store), auth: c.Auth, log: c.Logger, metrics: newMetrics(), mux: http.NewServeMux(), ready: c.Ready, version: c.Version, vkey: c.AuditVerifierKey}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.log = slog.New(requestIDLogHandler{s.log.Handler()})
	s.guard, s.notifier, s.policyOverride = c.Guard, c.Notifier, c.policyOverride
	s.exclusiveScopes = ExclusiveScopes
	if c.exclusiveScopes != nil {
		s.exclusiveScopes = c.exclusiveScopes
	}
	s.inspectionSigner, s.checkpoint, s.reportFont = c.InspectionSigner, c.Checkpoint, c.ReportFont
	s.imports = make(chan struct{}, maxConcurrentImports)
	s.printing = &printing.Service{Store: c.Store, Renderers: &printing.Renderers{}, Now: func() time.Time { return s.auth.Now() }}
	s.allocation = allocate.New(s.store)
	s.senders = &fulfil.Senders{Store: s.store}
	s.waves = &fulfil.Waves{Store: s.store, Cutoffs: s.allocation}
	s.reveal = &reveal.Service{Store: s.store, Now: func() time.Time { return s.auth.Now() }, Zone: func() *time.Location { return s.auth.Policy.ShiftZone }}
	s.guardPolicy = DefaultGuardPolicy()
	if c.GuardPolicy != nil {
		s.guardPolicy = *c.GuardPolicy
	}
	if s.ready == nil {
		s.ready = func() error { return nil }
	}
	s.registerRoutes()
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if s.pageError != nil && !strings.HasPrefix(r.URL.Path, "/api/") && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
			// A console address that is no page: the console's own
			// error page, in the console's language, not a problem
			// document.
			s.pageError(w, r, http.StatusNotFound, ErrNoPage)
			return
		}
		writeProblem(w, r, yuncang.ENOTFOUND, "no such endpoint", nil)
	})
	return s
}

// Routes returns every registered route.
func (s *Server) Routes() []Route {
	out := append([]Route(nil), s.routes...)
	sort.Slice(out, func(i, j int) bool { return out[i].Pattern() < out[j].Pattern() })
	return out
}

// handle registers a route. A route must declare a policy: deny by default.
func (s *Server) handle(method, path, tag, summary string, p Policy, h func(w http.ResponseWriter, r *http.Request) error) {
	if !p.Public && !p.Gateway && len(p.Roles) == 0 {
		panic(fmt.Sprintf("route %s %s has no policy", method, path))
	}
	if s.policyOverride != nil {
		p = s.policyOverride(method+" "+path, p)
	}
	route := Route{Method: method, Path: path, Summary: summary, Policy: p, Tag: tag}
	s.routes = append(s.routes, route)
	declared := s.queryParams(route)
	writeError := s.writeError
	if p.Page {
		writeError = s.writePageError
	}
	s.mux.HandleFunc(route.Pattern(), func(w http.ResponseWriter, r *http.Request) {
		if p.Page {
			setPageHeaders(w.Header())
		}
		ctx, err := s.authorize(r, p)
		if err == nil && !p.Page {
			// After authorization: who may not call the route learns
			// nothing about its parameters. (Pages read their own forms.)
			var q url.Values
			if q, err = parsedQuery(r); err == nil {
				err = checkQuery(q, declared)
			}
		}
		if rec, ok := w.(*statusRecorder); ok && ctx != nil {
			rec.ctx = ctx
		}
		if err != nil {
			if ctx != nil && yuncang.ErrorCode(err) == yuncang.EFORBIDDEN {
				s.observeDenied(r, ctx)
			}
			if p.Page && ctx != nil {
				r = r.WithContext(ctx) // the error page shows who is signed in
			}
			writeError(w, r, err)
			return
		}
		if err := h(w, r.WithContext(ctx)); err != nil {
			// Probing other tenants' ids shows up as refusals and misses.
			if c := yuncang.ErrorCode(err); (c == yuncang.EFORBIDDEN || c == yuncang.ENOTFOUND) && strings.Contains(path, "{id}") {
				s.observeDenied(r, ctx)
			}
			writeError(w, r.WithContext(ctx), err)
		}
	})
}

// ServeHTTP runs the middleware chain: security headers, panic recovery,
// access log and metrics around the mux.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h := rec.Header()
	reqID := acceptRequestID(r.Header.Get(requestIDHeader))
	h.Set(requestIDHeader, reqID)
	r = r.WithContext(withRequestID(r.Context(), reqID))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	defer func() {
		if v := recover(); v != nil {
			// Log the stack, not the panic value: it might hold request data.
			s.log.ErrorContext(r.Context(), "panic serving request", slog.String("route", r.Pattern), slog.String("stack", string(debug.Stack())))
			if !rec.wrote {
				writeProblem(rec, r, yuncang.EINTERNAL, "internal error", nil)
			}
		}
		route := r.Pattern
		if route == "" || route == "/" {
			route = "unmatched"
		}
		d := time.Since(start)
		_, path, _ := strings.Cut(route, " ")
		if path == "" {
			path = route
		}
		s.metrics.observe(path, r.Method, rec.status, d)
		attrs := []slog.Attr{slog.String("method", r.Method), slog.String("route", route), slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes), slog.Duration("duration", d)}
		if rec.ctx != nil {
			if a := yuncang.ActorFromContext(rec.ctx); a != nil {
				attrs = append(attrs, slog.Int64("user_id", a.UserID), slog.String("role", a.Role))
			}
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	}()
	s.mux.ServeHTTP(rec, r)
}

// clientAddr is the address login throttling, new-source checks and the
// audit log key on. Behind trusted proxies it is the nearest address in
// X-Forwarded-For that is not itself a trusted proxy: each proxy appends the
// peer it saw, so entries to the left of that are whatever the client wrote
// and prove nothing.
func (s *Server) clientAddr(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	host = strings.Trim(host, "[]")
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trustedProxy(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return host // a malformed hop: believe nothing past our proxy
		}
		if a = a.Unmap(); !s.trustedProxy(a) {
			return a.String()
		}
	}
	return host
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}
