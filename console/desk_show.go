package console

import (
	"net/http"
)

// deskShow sets up this browser as the person's enrolled device: an
// office desk (customer service) or a packing station (the floor). The
// device's private key (from its enrolment) is imported by device.js into
// the browser as a non-extractable WebCrypto key kept in IndexedDB; from
// then on the reveal dialog and the pack station's print sign their
// requests with it, as any enrolled device signs (package devicekey). The
// key never reaches the server; the route's policy still decides which
// device kind a request needs.
func (c *Console) deskShow(w http.ResponseWriter, r *http.Request) error {
	return c.render(w, http.StatusOK, "desk", c.newPage(r, "desk.title", nil))
}
