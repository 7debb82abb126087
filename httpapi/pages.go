package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"

	"github.com/yuncang/yuncang"
)

// The web console (package console) registers its pages here, so that a
// page passes the same authorize() as an API call: its Policy is declared
// in policy.go (pagePolicies), the authorization matrix covers it, and
// only the credential differs: a session cookie instead of a bearer token,
// with a CSRF token on every request that changes something.

// Cookie and field names shared by the console and the authorization step.
const (
	// SessionCookie holds the session token (HttpOnly, Secure, SameSite=Strict).
	SessionCookie = "yc_session"
	// PreSessionCookie holds a random value that public forms (sign-in)
	// repeat in CSRFField: a double-submit token before there is a session.
	PreSessionCookie = "yc_pre"
	// CSRFField is the form field, and CSRFHeader the header for fetch(),
	// that carry the CSRF token.
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
	// StepUpField carries a one-time code typed into a page's step-up
	// prompt: the step-up is taken in place, in the same request.
	StepUpField = "step_up_totp"
)

// PageHandler serves a console page; an error it returns is rendered as a
// page by the console's error writer.
type PageHandler func(w http.ResponseWriter, r *http.Request) error

// HandlePage registers a console page. Its policy comes from policy.go;
// a pattern without one panics (deny by default: the console cannot
// declare its own rules).
func (s *Server) HandlePage(pattern string, h PageHandler) {
	p, ok := pagePolicies[pattern]
	if !ok {
		panic(fmt.Sprintf("console page %s has no policy in httpapi/policy.go", pattern))
	}
	p.Page = true
	method, path, _ := strings.Cut(pattern, " ")
	s.handle(method, path, "console", "Console page", p, h)
}

// PagePolicy returns the policy of a console page (the console shows a
// page in a role's navigation only if the policy lets that role in).
func (s *Server) PagePolicy(pattern string) (Policy, bool) {
	p, ok := pagePolicies[pattern]
	return p, ok
}

// ErrNoPage is the error a console address that names no page is shown
// with (the API's unknown paths stay problem documents).
var ErrNoPage = &yuncang.Error{Code: yuncang.ENOTFOUND, Message: "no such page"}

// SetPageErrorWriter sets how refused or failed page requests are shown.
func (s *Server) SetPageErrorWriter(f func(w http.ResponseWriter, r *http.Request, status int, err error)) {
	s.pageError = f
}

func (s *Server) writePageError(w http.ResponseWriter, r *http.Request, err error) {
	if s.pageError == nil {
		s.writeError(w, r, err)
		return
	}
	status, ok := statusOf[yuncang.ErrorCode(err)]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "route", r.Pattern, "err", err.Error())
		err = yuncang.Errorf(yuncang.EINTERNAL, "internal error")
	}
	s.pageError(w, r, status, err)
}

// ContentSecurityPolicy is every page's: no inline script or style, no
// framing, nothing from elsewhere.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func setPageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), clipboard-read=()")
}

func sessionCookie(r *http.Request) (string, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return "", false
	}
	return c.Value, true
}

// CSRFToken is the CSRF token of a session: derived from the session
// token, so it is the same on every server, ends with the session, and
// cannot be computed by a page that cannot read the HttpOnly cookie.
func CSRFToken(sessionToken string) string {
	h := sha256.Sum256([]byte("yuncang console csrf\x00" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// PageSession is what the authorization step learnt about a page request.
type PageSession struct {
	CSRF string // the token forms of this session carry
}

type pageSessionKey struct{}

// PageSessionFrom returns the page session of an authorized page request.
func PageSessionFrom(ctx context.Context) *PageSession {
	p, _ := ctx.Value(pageSessionKey{}).(*PageSession)
	return p
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

var errCSRF = &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: CSRFField, Message: "the form is missing its security token or it is stale; reload the page"}

// sameOrigin refuses a request a browser says came from another site.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return false
	}
	if o := r.Header.Get("Origin"); o != "" && o != "null" {
		return strings.TrimPrefix(strings.TrimPrefix(o, "http://"), "https://") == r.Host
	}
	return true
}

func submittedCSRF(r *http.Request) string {
	if v := r.Header.Get(CSRFHeader); v != "" {
		return v
	}
	r.Body = http.MaxBytesReader(nil, r.Body, MaxPageBody)
	return r.PostFormValue(CSRFField)
}

func equalToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// checkPreSessionCSRF guards public forms (sign-in): the form must repeat
// the pre-session cookie.
func checkPreSessionCSRF(r *http.Request) error {
	if !unsafeMethod(r.Method) {
		return nil
	}
	c, err := r.Cookie(PreSessionCookie)
	if err != nil || !sameOrigin(r) || !equalToken(c.Value, submittedCSRF(r)) {
		return errCSRF
	}
	return nil
}

// pageSession checks what only pages need: a console session (neither an
// API session nor an API token is a cookie), and the CSRF token on a
// request that changes something.
func (s *Server) pageSession(ctx context.Context, r *http.Request, a *yuncang.Actor, token string) (context.Context, error) {
	if a.Kind != yuncang.CredentialConsole {
		return ctx, yuncang.Errorf(yuncang.EUNAUTHORIZED, "sign in first")
	}
	ps := &PageSession{CSRF: CSRFToken(token)}
	ctx = context.WithValue(ctx, pageSessionKey{}, ps)
	if unsafeMethod(r.Method) && (!sameOrigin(r) || !equalToken(ps.CSRF, submittedCSRF(r))) {
		return ctx, errCSRF
	}
	return ctx, nil
}

// pageStepUp takes the second factor a page's step-up prompt sent along
// with the action; without one the route's step-up refusal follows and the
// console shows the prompt.
func (s *Server) pageStepUp(r *http.Request, a *yuncang.Actor) error {
	if !unsafeMethod(r.Method) {
		return nil
	}
	code := r.PostFormValue(StepUpField)
	if code == "" {
		return nil
	}
	return s.auth.StepUp(r.Context(), a, code)
}

// ClientAddr is the client address login throttling and the audit log key
// on (see clientAddr); the console's sign-in uses it.
func (s *Server) ClientAddr(r *http.Request) string { return s.clientAddr(r) }

// EndSession revokes the actor's session and records the logout, for the
// API's logout and the console's sign-out alike.
func (s *Server) EndSession(ctx context.Context, a *yuncang.Actor) error {
	if err := s.store.DeleteCredential(ctx, a.CredentialID); err != nil {
		return err
	}
	s.securityEvent(ctx, a, yuncang.EventLogout, yuncang.OutcomeOK, a.Kind)
	return nil
}

// TenantFrom returns the tenant the authorization step resolved for a
// tenant-scoped route (API or page).
func TenantFrom(ctx context.Context) *yuncang.Tenant { return tenantFrom(ctx) }

// ActorEvent is an audit event of kind by the request's actor, in the
// request's tenant (the API's handlers record theirs the same way).
func ActorEvent(r *http.Request, kind string) *yuncang.Event { return actorEvent(r, kind) }

// MaxPageBody bounds what a page request may send (an order file is the
// largest): the CSRF check reads the form before any handler runs.
const MaxPageBody = maxImportBody
