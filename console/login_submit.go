package console

import (
	"net/http"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/httpapi"
)

// loginSubmit signs in with the API's own login (password, account state,
// lockout, one-time code) and keeps the session token in a cookie.
func (c *Console) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	f := &loginForm{Username: r.PostFormValue("username"), Next: localPath(r.PostFormValue("next"))}
	req := auth.LoginRequest{Username: f.Username, Password: r.PostFormValue("password"),
		TOTP: r.PostFormValue("totp"), Source: c.api.ClientAddr(r), Console: true}
	pre := cookieValue(r, httpapi.PreSessionCookie)
	if resp := r.PostFormValue("key_response"); resp != "" {
		req.TOTP, req.Key = "", c.checkAssertion(r, "login", pre, resp)
	}
	sess, err := c.sessions.Login(r.Context(), req)
	if err != nil {
		p := c.newPage(r, "login.title", f)
		p.PreCSRF = preSession(w, r)
		status := http.StatusUnauthorized
		switch {
		case yuncang.ErrorCode(err) == yuncang.EUNAUTHORIZED && yuncang.ErrorField(err) == "totp":
			f.NeedTOTP = true
			p.Flash = "login.totp_needed"
			c.offerKey(r, f, pre)
		case yuncang.ErrorCode(err) == yuncang.EUNAUTHORIZED:
			p.Flash = "login.failed"
		case yuncang.ErrorCode(err) == yuncang.EINTERNAL:
			return err
		default:
			status = map[string]int{yuncang.EFORBIDDEN: 403, yuncang.ERATELIMITED: 429, yuncang.EINVALID: 400}[yuncang.ErrorCode(err)]
			if status == 0 {
				status = http.StatusUnauthorized
			}
			p.Error = yuncang.ErrorMessage(err)
		}
		return c.render(w, status, "login", p)
	}
	c.ceremonies.take("password", pre) // the proven password is spent with the pre-session
	http.SetCookie(w, cookie(httpapi.SessionCookie, sess.Token, sess.ExpiresAt))
	// A new pre-session value: the one the sign-in form carried is spent.
	http.SetCookie(w, cookie(httpapi.PreSessionCookie, randomToken(), sess.ExpiresAt))
	return seeOther(w, r, f.Next)
}

// offerKey, after a right password, lets this pre-session begin a sign-in
// with the account's security key (POST /login/key) instead of the code.
func (c *Console) offerKey(r *http.Request, f *loginForm, pre string) {
	u, err := c.store.UserByUsername(r.Context(), f.Username)
	if err != nil || !c.hasKeys(r, u.ID) {
		return
	}
	f.HasKey = true
	c.ceremonies.put("password", pre, ceremony{userID: u.ID, expires: time.Now().Add(5 * time.Minute)})
}

// loginKeyBegin starts the sign-in assertion for the account whose
// password this pre-session has just proven: its own keys only.
func (c *Console) loginKeyBegin(w http.ResponseWriter, r *http.Request) error {
	pre := cookieValue(r, httpapi.PreSessionCookie)
	proven, ok := c.ceremonies.get("password", pre)
	if !ok {
		return &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "password", Message: "enter your password first"}
	}
	return c.beginAssertion(w, r, &yuncang.User{ID: proven.userID}, "login", pre)
}
