package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// logout ends the session the way the API's logout does.
func (c *Console) logout(w http.ResponseWriter, r *http.Request) error {
	if err := c.api.EndSession(r.Context(), yuncang.ActorFromContext(r.Context())); err != nil {
		return err
	}
	clearCookie(w, httpapi.SessionCookie)
	return seeOther(w, r, "/login?signed_out=1")
}
