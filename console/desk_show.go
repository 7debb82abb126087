package console

import (
	"net/http"
)

// deskShow sets up this browser as the person's enrolled office desk: the
// desk's private key (from its enrolment) is imported by console.js into
// the browser as a non-extractable WebCrypto key kept in IndexedDB; from
// then on the reveal dialog signs its request with it, as any enrolled
// device signs (package devicekey). The key never reaches the server.
func (c *Console) deskShow(w http.ResponseWriter, r *http.Request) error {
	return c.render(w, http.StatusOK, "desk", c.newPage(r, "desk.title", nil))
}
