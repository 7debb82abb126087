package console

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/yuncang/yuncang/httpapi"
)

// Every console cookie is HttpOnly, Secure and SameSite=Strict. Browsers
// keep Secure cookies from http://localhost and http://127.0.0.1 too, so
// the plain-HTTP demo on loopback works; anywhere else the console must be
// behind TLS.
func cookie(name, value string, expires time.Time) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", Expires: expires, HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode}
}

func clearCookie(w http.ResponseWriter, name string) {
	c := cookie(name, "", time.Unix(0, 0))
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// preSession returns the pre-session CSRF value, setting a fresh one when
// the browser has none.
func preSession(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(httpapi.PreSessionCookie); err == nil && len(c.Value) >= 22 {
		return c.Value
	}
	v := randomToken()
	http.SetCookie(w, cookie(httpapi.PreSessionCookie, v, time.Time{}))
	return v
}

func randomToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// localPath keeps only a path on this site (no open redirect): "/" else.
func localPath(next string) string {
	// Browsers drop tabs and newlines from a URL and read \ as /, so
	// "/\t/evil" leads off site: refuse every control character and
	// backslash, then anything that is not a path on this host.
	if !strings.HasPrefix(next, "/") || strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// seeOther redirects after a form (303: the browser then GETs).
func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, localPath(to), http.StatusSeeOther)
	return nil
}

// pageLink keeps the request's ?tenant= on a console path.
func pageLink(r *http.Request, path string) string {
	if t := tenantParam(r); t != "" {
		return path + "?tenant=" + t
	}
	return path
}
