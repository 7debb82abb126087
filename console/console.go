package console

import (
	"context"
	"log/slog"
	"net/http"
	"sort"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/intake"
)

// API is what the console needs from the API server: the one place that
// registers routes and authorizes requests.
type API interface {
	HandlePage(pattern string, h httpapi.PageHandler)
	PagePolicy(pattern string) (httpapi.Policy, bool)
	SetPageErrorWriter(f func(w http.ResponseWriter, r *http.Request, status int, err error))
	ClientAddr(r *http.Request) string
	// ObserveResubmissions counts an import's rows naming existing orders
	// with the guard, as the API's import does.
	ObserveResubmissions(r *http.Request, rep *intake.Report) error
	EndSession(ctx context.Context, a *yuncang.Actor) error
	WriteProblem(w http.ResponseWriter, r *http.Request, err error)
}

// Sessions is the existing authentication (package auth) as the console
// uses it: the same logins, sessions and step-ups as the API's.
type Sessions interface {
	Login(ctx context.Context, req auth.LoginRequest) (*auth.Session, error)
	StepUp(ctx context.Context, a *yuncang.Actor, code string) error
	// StepUpWithKey records a step-up taken with a security key, as StepUp
	// records one taken with a one-time code.
	StepUpWithKey(ctx context.Context, a *yuncang.Actor, check auth.KeyCheck) error
}

// Config wires the console.
type Config struct {
	API      API
	Sessions Sessions
	Store    Store
	Orders   Orders // the API server
	Logger   *slog.Logger
	Now      func() time.Time
	// IdleTimeout is the session's idle limit, shown on every page.
	IdleTimeout time.Duration
	// Zone is the time zone pages and the watermark show times in.
	Zone *time.Location
	// WebAuthn is the security keys' relying party (empty: the request's
	// host, on loopback only).
	WebAuthn RelyingParty
}

// Console is the mounted web console.
type Console struct {
	api      API
	sessions Sessions
	store    Store
	orders   Orders
	log      *slog.Logger
	now      func() time.Time
	idle     time.Duration
	zone     *time.Location
	views    *views
	nav      []navItem
	// rp and ceremonies are the security keys' (webauthn.go).
	rp         RelyingParty
	ceremonies ceremonies
}

// navItem is one entry of the navigation; a role sees it if the page's
// policy admits the role.
type navItem struct {
	Pattern string // the GET page it links to
	Path    string
	Label   string // message key
	Order   int
	Tenant  bool // the page acts on one tenant: platform roles carry ?tenant=
	roles   []string
}

// area registers one area's pages (one routes_AREA.go file each).
type area struct {
	order    int
	register func(c *Console)
}

var areas []area

// addArea is called from each routes_AREA.go file's init.
func addArea(order int, register func(c *Console)) {
	areas = append(areas, area{order, register})
}

// Mount registers every page of every area on the API server.
func Mount(cfg Config) (*Console, error) {
	v, err := loadViews()
	if err != nil {
		return nil, err
	}
	c := &Console{api: cfg.API, sessions: cfg.Sessions, store: cfg.Store, orders: cfg.Orders, log: cfg.Logger, now: cfg.Now, idle: cfg.IdleTimeout, zone: cfg.Zone, views: v, rp: cfg.WebAuthn}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.zone == nil {
		c.zone = time.FixedZone("CST", 8*3600)
	}
	sort.SliceStable(areas, func(i, j int) bool { return areas[i].order < areas[j].order })
	for _, a := range areas {
		a.register(c)
	}
	sort.SliceStable(c.nav, func(i, j int) bool { return c.nav[i].Order < c.nav[j].Order })
	c.api.SetPageErrorWriter(c.renderError)
	return c, nil
}

// page registers a page action; its policy is httpapi's.
func (c *Console) page(pattern string, h httpapi.PageHandler) {
	c.api.HandlePage(pattern, h)
}

// navigation adds a navigation entry for a GET page registered with page.
func (c *Console) navigation(order int, pattern, label string) {
	p, ok := c.api.PagePolicy(pattern)
	if !ok {
		panic("console: navigation to " + pattern + ", which has no policy")
	}
	path := pattern[len("GET "):]
	if path == "/{$}" {
		path = "/"
	}
	c.nav = append(c.nav, navItem{Pattern: pattern, Path: path, Label: label, Order: order, Tenant: p.Tenant, roles: p.Roles})
}
