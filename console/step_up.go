package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// stepUpForm is the step-up prompt's data.
type stepUpForm struct {
	Next   string
	HasKey bool // the account has a security key: offer it
}

// stepUp takes a fresh second factor (the API's step-up) and returns to
// the page that asked for it.
func (c *Console) stepUp(w http.ResponseWriter, r *http.Request) error {
	f := &stepUpForm{Next: localPath(r.PostFormValue("next"))}
	a := yuncang.ActorFromContext(r.Context())
	var err error
	if resp := r.PostFormValue("key_response"); resp != "" {
		err = c.sessions.StepUpWithKey(r.Context(), a, c.checkAssertion(r, "stepup", cookieValue(r, httpapi.SessionCookie), resp))
	} else {
		err = c.sessions.StepUp(r.Context(), a, r.PostFormValue("totp"))
	}
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.EINTERNAL {
			return err
		}
		f.HasKey = c.hasKeys(r, a.UserID)
		p := c.newPage(r, "stepup.title", f)
		p.Error = yuncang.ErrorMessage(err)
		return c.render(w, http.StatusUnauthorized, "step_up", p)
	}
	return seeOther(w, r, f.Next)
}

// stepUpKeyBegin starts a step-up assertion with the person's own keys,
// the challenge bound to this session.
func (c *Console) stepUpKeyBegin(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	return c.beginAssertion(w, r, &yuncang.User{ID: a.UserID, Username: a.Username}, "stepup", cookieValue(r, httpapi.SessionCookie))
}
