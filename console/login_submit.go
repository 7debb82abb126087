package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/httpapi"
)

// loginSubmit signs in with the API's own login (password, account state,
// lockout, one-time code) and keeps the session token in a cookie.
func (c *Console) loginSubmit(w http.ResponseWriter, r *http.Request) error {
	f := &loginForm{Username: r.PostFormValue("username"), Next: localPath(r.PostFormValue("next"))}
	sess, err := c.sessions.Login(r.Context(), auth.LoginRequest{Username: f.Username, Password: r.PostFormValue("password"),
		TOTP: r.PostFormValue("totp"), Source: c.api.ClientAddr(r)})
	if err != nil {
		p := c.newPage(r, "login.title", f)
		p.PreCSRF = preSession(w, r)
		status := http.StatusUnauthorized
		switch {
		case yuncang.ErrorCode(err) == yuncang.EUNAUTHORIZED && yuncang.ErrorField(err) == "totp":
			f.NeedTOTP = true
			p.Flash = "login.totp_needed"
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
	http.SetCookie(w, cookie(httpapi.SessionCookie, sess.Token, sess.ExpiresAt))
	// A new pre-session value: the one the sign-in form carried is spent.
	http.SetCookie(w, cookie(httpapi.PreSessionCookie, randomToken(), sess.ExpiresAt))
	return seeOther(w, r, f.Next)
}
