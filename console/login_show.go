package console

import (
	"net/http"
)

// loginForm is the sign-in page's data.
type loginForm struct {
	Username string
	NeedTOTP bool
	HasKey   bool // the password was right and the account has a security key
	Next     string
}

func (c *Console) loginShow(w http.ResponseWriter, r *http.Request) error {
	p := c.newPage(r, "login.title", &loginForm{Next: localPath(r.URL.Query().Get("next"))})
	p.PreCSRF = preSession(w, r)
	if r.URL.Query().Get("signed_out") == "1" {
		p.Flash = "login.signed_out"
	}
	return c.render(w, http.StatusOK, "login", p)
}
