package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

//go:embed templates/*.html
var templateFS embed.FS

// views holds one template set per page: the layout and the shared
// partials (templates/_*.html) with that page's "title" and "content".
type views struct {
	pages map[string]*template.Template
}

func loadViews() (*views, error) {
	base, err := template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	v := &views{pages: map[string]*template.Template{}}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return nil, err
		}
		v.pages[name] = t
	}
	return v, nil
}

// cst is China Standard Time (no daylight saving), the time pages show.
var cst = time.FixedZone("CST", 8*3600)

var funcs = template.FuncMap{
	// add is for page numbers and row counts in templates.
	"add": func(a, b int) int { return a + b },
	// datetime shows a time the way pages do; a time never set shows as
	// a dash, not as the year 1.
	"datetime": func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(cst).Format("2006-01-02 15:04")
	},
	"yuan":    func(fen int64) string { return fmt.Sprintf("%d.%02d", fen/100, fen%100) },
	"percent": func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
	// orders hands the shared order table its page and rows.
	"orders": func(p *Page, os []httpapi.OrderJSON) ordersTable { return ordersTable{p, os} },
}

// ordersTable is the data of the shared order table (_orders_table.html).
type ordersTable struct {
	Page   *Page
	Orders []httpapi.OrderJSON
}

// Page is what every template gets: the request's language, the actor,
// the navigation and the page's own data.
type Page struct {
	Lang    string
	Title   string // message key: titles carry no personal data
	Actor   *yuncang.Actor
	Nav     []navItem
	Current string // the pattern of the page shown
	Self    string // the page's own path (with ?tenant=), for the language switch
	CSRF    string // the session's CSRF token (signed-in pages)
	PreCSRF string // the pre-session token (sign-in form)
	Tenant  string // ?tenant= of the request, kept on tenant pages' links
	// SessionEnds and IdleMinutes show the session's absolute and idle timeouts.
	SessionEnds string
	IdleMinutes int
	IdleSeconds int
	Flash       string // message key of a notice
	Error       string // a safe message
	Data        any
}

// T translates a message key into the page's language.
func (p *Page) T(key string) string { return translate(p.Lang, key) }

// Link returns a page path with the request's ?tenant= kept (platform
// roles name the merchant they act on that way; a tenant code is not
// personal data).
func (p *Page) Link(path string) string {
	if p.Tenant == "" {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "tenant=" + p.Tenant
}

// NavLink is Link for navigation entries.
func (p *Page) NavLink(n navItem) string {
	if n.Tenant {
		return p.Link(n.Path)
	}
	return n.Path
}

// page starts the Page of a request.
func (c *Console) newPage(r *http.Request, title string, data any) *Page {
	p := &Page{Lang: language(r), Title: title, Data: data, Current: r.Pattern, Tenant: tenantParam(r)}
	p.Self = "/"
	if r.Method == http.MethodGet && r.URL.Path != "/login" {
		p.Self = p.Link(r.URL.Path)
	}
	if a := yuncang.ActorFromContext(r.Context()); a != nil {
		p.Actor = a
		for _, n := range c.nav {
			for _, role := range n.roles {
				if role == a.Role {
					p.Nav = append(p.Nav, n)
					break
				}
			}
		}
		if !a.ExpiresAt.IsZero() {
			p.SessionEnds = a.ExpiresAt.In(c.zone).Format("2006-01-02 15:04")
		}
		p.IdleMinutes = int(c.idle / time.Minute)
		p.IdleSeconds = int(c.idle / time.Second)
	}
	if ps := httpapi.PageSessionFrom(r.Context()); ps != nil {
		p.CSRF = ps.CSRF
	}
	return p
}

// tenantParam is the ?tenant= of a request if it is a plausible code.
func tenantParam(r *http.Request) string {
	t := r.URL.Query().Get("tenant")
	if len(t) > 64 || strings.ContainsAny(t, "&?#/ ") {
		return ""
	}
	return t
}

// render writes a page with the layout.
func (c *Console) render(w http.ResponseWriter, status int, name string, p *Page) error {
	t, ok := c.views.pages[name]
	if !ok {
		return fmt.Errorf("console: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return yuncang.Internal(err, "render page")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}
