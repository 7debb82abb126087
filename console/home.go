package console

import (
	"net/http"
)

// home is the landing page: who is signed in, the session's limits, the
// pages of the role.
func (c *Console) home(w http.ResponseWriter, r *http.Request) error {
	return c.render(w, http.StatusOK, "home", c.newPage(r, "home.title", nil))
}
