package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// stepUpForm is the step-up prompt's data.
type stepUpForm struct {
	Next string
}

// stepUp takes a fresh second factor (the API's step-up) and returns to
// the page that asked for it.
func (c *Console) stepUp(w http.ResponseWriter, r *http.Request) error {
	f := &stepUpForm{Next: localPath(r.PostFormValue("next"))}
	a := yuncang.ActorFromContext(r.Context())
	if err := c.sessions.StepUp(r.Context(), a, r.PostFormValue("totp")); err != nil {
		if yuncang.ErrorCode(err) == yuncang.EINTERNAL {
			return err
		}
		p := c.newPage(r, "stepup.title", f)
		p.Error = yuncang.ErrorMessage(err)
		return c.render(w, http.StatusUnauthorized, "step_up", p)
	}
	return seeOther(w, r, f.Next)
}
