package console

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// errorPage is the error page's data.
type errorPage struct {
	Status  int
	Heading string // message key
}

// renderError shows a refused or failed page request: the sign-in form for
// no session (401, at the page's own address), the step-up prompt in place
// for an action that needs a fresh second factor, else an error page with
// the error's safe message.
func (c *Console) renderError(w http.ResponseWriter, r *http.Request, status int, err error) {
	var rerr error
	switch {
	case strings.Contains(r.Header.Get("Accept"), "application/json"):
		// The page's scripts (reveal, import status) read errors as JSON.
		c.api.WriteProblem(w, r, err)
	case status == http.StatusUnauthorized && r.Pattern != "POST /step-up":
		clearCookie(w, httpapi.SessionCookie)
		next := "/"
		if r.Method == http.MethodGet {
			next = r.URL.RequestURI()
		}
		p := c.newPage(r, "login.title", &loginForm{Next: localPath(next)})
		p.Actor, p.Nav = nil, nil
		p.PreCSRF = preSession(w, r)
		p.Flash = "login.expired"
		rerr = c.render(w, status, "login", p)
	case status == http.StatusForbidden && yuncang.ErrorField(err) == "totp":
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			next = "/"
		}
		f := &stepUpForm{Next: localPath(next)}
		if a := yuncang.ActorFromContext(r.Context()); a != nil {
			f.HasKey = c.hasKeys(r, a.UserID)
		}
		p := c.newPage(r, "stepup.title", f)
		p.Error = yuncang.ErrorMessage(err)
		rerr = c.render(w, status, "step_up", p)
	default:
		p := c.newPage(r, "error.title", &errorPage{Status: status, Heading: fmt.Sprintf("error.%d", status)})
		switch {
		case yuncang.ErrorField(err) == httpapi.CSRFField:
			p.Flash = "error.csrf"
		case errors.Is(err, httpapi.ErrNoPage):
			p.Error = translate(p.Lang, "error.no_page")
		default:
			p.Error = errorText(p.Lang, err)
		}
		rerr = c.render(w, status, "error", p)
	}
	if rerr != nil {
		c.log.Error("render error page", "err", rerr.Error())
	}
}
