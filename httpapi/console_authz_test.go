package httpapi_test

import (
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/console"
	"github.com/yuncang/yuncang/httpapi"
)

// The web console's pages in the authorization matrix (authz_test.go):
// they pass the same authorize() as the API, with the session cookie as
// the credential and the CSRF token on every post.

// mountConsole mounts the console on the fixture's server, as the real
// wiring does.
func mountConsole(t *testing.T, f *fixture) {
	t.Helper()
	_, err := console.Mount(console.Config{API: f.srv, Sessions: f.auth, Store: f.db, Orders: f.srv, Now: f.clock.Now, IdleTimeout: f.auth.Policy.IdleTimeout,
		WebAuthn: console.RelyingParty{ID: "example.com", Origins: []string{"https://example.com"}}})
	must(t, err)
}

// consoleSessionPage are the pages about the session itself, which an
// auditor (read-only otherwise) may post to.
var consoleSessionPage = map[string]bool{"POST /logout": true, "POST /step-up": true}

var people = []string{pa, so, ws, op, cs, ma, ms, au}

// pageJSONBody is the sample body of a page action that takes JSON from
// fetch() (a scan) instead of a form; the CSRF token goes in the header.
var pageJSONBody = map[string]string{}

func init() {
	for p, rs := range map[string][]string{
		"GET /login":         {"*"},
		"POST /login":        {"*"},
		"GET /lang/{lang}":   {"*"},
		"GET /static/{file}": {"*"},
		"GET /{$}":           people,
		"GET /watermark.svg": people,
		"POST /logout":       people,
		"POST /step-up":      people,

		"GET /orders":                        {ma, ms, cs},
		"GET /orders/{id}":                   {ma, ms, cs},
		"GET /skus":                          {pa, ma, ms},
		"GET /planning":                      {pa, ma, ms},
		"GET /analytics":                     {pa, ma, ms},
		"GET /orders/import":                 {ma, ms},
		"POST /orders/import":                {ma, ms},
		"GET /orders/import/template.csv":    {ma, ms},
		"GET /orders/import/{import}":        {ma, ms},
		"GET /orders/import/{import}/status": {ma, ms},

		"GET /search":              {ma, ms, cs},
		"POST /search":             {ma, ms, cs},
		"GET /desk":                {cs, ms, ws, op},
		"POST /orders/{id}/reveal": {cs, ms},
	} {
		allowed[p] = rs
		if strings.HasPrefix(p, "GET /orders") || strings.HasPrefix(p, "POST /orders") || strings.HasSuffix(p, " /search") || p == "GET /skus" || p == "GET /planning" || p == "GET /analytics" {
			tenantScoped = append(tenantScoped, p)
		}
	}
	okStatus["POST /orders/import"] = http.StatusSeeOther // to the job's progress page
	okStatus["POST /login"] = http.StatusUnauthorized     // the sample signs in with a wrong password
	okStatus["POST /step-up"] = http.StatusUnauthorized   // the sample's one-time code is wrong
	okStatus["GET /lang/{lang}"] = http.StatusSeeOther
	okStatus["POST /logout"] = http.StatusSeeOther
}

// pageRequest makes a matrix case's request to a console page: the path
// with its segments filled in, a form body, and the session cookie and
// CSRF token of the case's actor (or, for public forms, a pre-session
// token).
func pageRequest(t *testing.T, m *matrixFixture, rt httpapi.Route, sc scene, path string) (string, string, []string) {
	t.Helper()
	path = strings.NewReplacer("{$}", "", "{lang}", "en", "{file}", "console.css", "{key}", "999999").Replace(path)
	form := url.Values{}
	switch rt.Pattern() {
	case "POST /login":
		form.Set("username", fmt.Sprintf("nobody-%d", sc.n))
		form.Set("password", "wrong-password-123")
	case "POST /step-up":
		form.Set("totp", "000000")
	case "POST /security-keys":
		form.Set("label", "YubiKey") // no ceremony begun: refused after authorization
	case "POST /search":
		form.Set("phone", "13812345678")
	case "POST /orders/{id}/reveal":
		form.Set("purpose", "delivery_exception")
		form.Set("note", "courier cannot find the door")
	}
	var headers []string
	jsonBody, isJSON := pageJSONBody[rt.Pattern()]
	if rt.Method != http.MethodGet {
		ctype := "application/x-www-form-urlencoded"
		if isJSON {
			ctype = "application/json"
		}
		headers = append(headers, "Content-Type", ctype)
	}
	token := m.pages[sc.key]
	if strings.Contains(path, "{import}") {
		path = strings.ReplaceAll(path, "{import}", m.importJob(t, sc, token))
	}
	if rt.Pattern() == "POST /logout" && token != "" {
		token = m.freshSession(t, sc.key) // signing out must not end the session later cases use
	}
	switch {
	case rt.Policy.Public:
		pre := fmt.Sprintf("pre-session-token-%08d", sc.n)
		headers = append(headers, "Cookie", httpapi.PreSessionCookie+"="+pre)
		form.Set(httpapi.CSRFField, pre)
	case token != "":
		headers = append(headers, "Cookie", httpapi.SessionCookie+"="+token, httpapi.CSRFHeader, httpapi.CSRFToken(token))
		form.Set(httpapi.CSRFField, httpapi.CSRFToken(token))
	}
	if rt.Policy.Device {
		// As the API rows: a desk page is signed by the actor's own desk,
		// a floor page by the warehouse's station.
		dev := map[string]string{"YW1": "YW1-DESK", "GZ1": "GZ1-DESK"}[sc.wh]
		if slices.Contains(rt.Policy.DeviceKinds, yuncang.DeviceOfficeDesk) {
			dev = "DESK-" + sc.key
		}
		headers = append(headers, "X-Yuncang-Device", m.devices[dev])
	}
	body := ""
	switch {
	case isJSON:
		body = jsonBody
	case rt.Method != http.MethodGet:
		body = form.Encode()
	}
	if rt.Pattern() == "POST /orders/import" {
		ctype, mp := importForm(form, fmt.Sprintf("MX-IMP-%d", sc.n))
		headers[1], body = ctype, mp
	}
	return path, body, headers
}

// importForm is a multipart import form with one order in a CSV file.
func importForm(fields url.Values, moid string) (ctype, body string) {
	var b strings.Builder
	mw := multipart.NewWriter(&b)
	for k := range fields {
		mw.WriteField(k, fields.Get(k))
	}
	fw, _ := mw.CreateFormFile("file", "orders.csv")
	fmt.Fprintf(fw, "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n%s,欧阳娜娜,13900001111,浙江省金华市义乌市稠城街道工人北路1088号3单元502室,SKU-1,1\n", moid)
	mw.Close()
	return mw.FormDataContentType(), b.String()
}

// importJob starts an import as the case's actor (when it may) and
// returns the job's id; otherwise a made-up id (the policy refuses first).
func (m *matrixFixture) importJob(t *testing.T, sc scene, token string) string {
	t.Helper()
	if (sc.role != ma && sc.role != ms) || sc.tenant != "ta" || token == "" {
		return "no-such-job"
	}
	ctype, body := importForm(url.Values{httpapi.CSRFField: {httpapi.CSRFToken(token)}}, fmt.Sprintf("MX-JOB-%d", m.next()))
	rec := m.do(t, "POST", "/orders/import?tenant=ta", "", body, "Cookie", httpapi.SessionCookie+"="+token, "Content-Type", ctype)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/orders/import/") {
		t.Fatalf("start an import: %d %s", rec.Code, rec.Body)
	}
	id, _, _ := strings.Cut(strings.TrimPrefix(loc, "/orders/import/"), "?")
	return id
}

// freshSession opens another stepped-up session for the account behind an
// actor key.
func (m *matrixFixture) freshSession(t *testing.T, key string) string {
	t.Helper()
	old, _, err := m.db.CredentialByHash(t.Context(), auth.HashToken(m.pages[key]), m.clock.Now())
	must(t, err)
	tok, th := auth.NewToken(false)
	must(t, m.db.CreateCredential(t.Context(), &yuncang.Credential{UserID: old.UserID, Kind: yuncang.CredentialConsole, TokenHash: th,
		ExpiresAt: m.clock.Now().Add(8 * time.Hour), SteppedUpAt: m.clock.Now()}))
	return tok
}

// TestMatrixCatchesWidenedPage widens two console pages to every role, as
// a careless edit of policy.go would, and checks the matrix notices.
func TestMatrixCatchesWidenedPage(t *testing.T) {
	widened := map[string]bool{"GET /{$}": true, "POST /step-up": true}
	m := newMatrixFixture(t, func(c *httpapi.Config) {
		*c = httpapi.WithPolicyOverride(*c, func(pattern string, p httpapi.Policy) httpapi.Policy {
			if widened[pattern] {
				p.Roles = append([]string(nil), yuncang.Roles...)
			}
			return p
		})
	})
	failures, _ := m.checkMatrix(t, func(p string) bool { return widened[p] })
	for p := range widened {
		found := false
		for _, f := range failures {
			found = found || strings.HasPrefix(f, p+" as carrier ")
		}
		if !found {
			t.Errorf("the matrix did not notice %s opened to carriers: %v", p, failures)
		}
	}
}

// TestPageCredentials: pages take only the console session's cookie, posts
// only with the CSRF token; the API takes only a bearer token, and neither
// takes the other's credential in its own place.
func TestPageCredentials(t *testing.T) {
	f := newFixture(t)
	tok := f.pages["merchant_admin@ta"]
	cookie := httpapi.SessionCookie + "=" + tok
	api := f.tokens["merchant_admin@ta"]
	issued := f.do(t, "POST", "/api/v1/tokens", api, `{"username":"merchant_staff-ta","scopes":["catalog:read"]}`)
	if issued.Code != 201 {
		t.Fatalf("issue a token: %d %s", issued.Code, issued.Body)
	}
	var machine httpapi.TokenResponse
	must(t, json.Unmarshal(issued.Body.Bytes(), &machine))
	form := "Content-Type"
	cases := []struct {
		name, method, path, token, body string
		headers                         []string
		want                            int
	}{
		{"page with cookie", "GET", "/", "", "", []string{"Cookie", cookie}, 200},
		{"page with a bearer token only", "GET", "/", tok, "", nil, 401},
		{"API with the cookie only", "GET", "/api/v1/me", "", "", []string{"Cookie", cookie}, 401},
		{"API with the console session as a bearer token", "GET", "/api/v1/me", tok, "", nil, 401},
		{"API with the console session as a bearer token, on a tenant's data", "GET", "/api/v1/skus?tenant=ta", tok, "", nil, 401},
		{"page with an API session in the cookie", "GET", "/", "", "", []string{"Cookie", httpapi.SessionCookie + "=" + api}, 401},
		{"page with an API token in the cookie", "GET", "/", "", "", []string{"Cookie", httpapi.SessionCookie + "=" + machine.Token}, 401},
		{"the API session still works", "GET", "/api/v1/me", api, "", nil, 200},
		{"post without CSRF token", "POST", "/logout", "", "", []string{"Cookie", cookie, form, "application/x-www-form-urlencoded"}, 403},
		{"post with a wrong CSRF token", "POST", "/logout", "", httpapi.CSRFField + "=" + httpapi.CSRFToken("another"), []string{"Cookie", cookie, form, "application/x-www-form-urlencoded"}, 403},
		{"post from another site", "POST", "/logout", "", httpapi.CSRFField + "=" + httpapi.CSRFToken(tok), []string{"Cookie", cookie, form, "application/x-www-form-urlencoded", "Origin", "https://evil.example"}, 403},
		{"sign-in without its token", "POST", "/login", "", "username=merchant_admin-ta&password=" + f.password, []string{form, "application/x-www-form-urlencoded"}, 403},
		{"the session still works after the refusals", "GET", "/", "", "", []string{"Cookie", cookie}, 200},
	}
	for _, c := range cases {
		rec := f.do(t, c.method, c.path, c.token, c.body, c.headers...)
		if rec.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, rec.Code, c.want)
		}
		if strings.HasPrefix(c.path, "/api/") {
			continue
		}
		if csp := rec.Header().Get("Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
			t.Errorf("%s: CSP %q", c.name, csp)
		}
	}
}

// TestImportJobIsItsStarters: an import's progress page and status are its
// starter's alone, even within the same merchant.
func TestImportJobIsItsStarters(t *testing.T) {
	m := newMatrixFixture(t, nil)
	admin, staff := m.pages["merchant_admin@ta"], m.pages["merchant_staff@ta"]
	id := m.importJob(t, scene{role: ma, tenant: "ta"}, admin)
	for _, c := range []struct {
		token string
		want  int
	}{{admin, http.StatusOK}, {staff, http.StatusNotFound}} {
		for _, path := range []string{"/orders/import/" + id + "?tenant=ta", "/orders/import/" + id + "/status?tenant=ta"} {
			if rec := m.do(t, "GET", path, "", "", "Cookie", httpapi.SessionCookie+"="+c.token); rec.Code != c.want {
				t.Errorf("GET %s: %d, want %d", path, rec.Code, c.want)
			}
		}
	}
}
