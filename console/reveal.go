package console

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// reveal is the reveal dialog's request (sent by console.js with fetch,
// signed by the browser's desk key; the policy has required the revealing
// role, the enrolled office desk and a fresh second factor, taken in place
// from the dialog's code field). It calls the API's reveal and answers JSON
// that the script shows once and removes again: the plaintext is never in
// a URL, a page the browser keeps, or its cache (no-store).
func (c *Console) reveal(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	resp, err := c.orders.RevealOrder(r, id, httpapi.RevealRequest{Purpose: r.PostFormValue("purpose"), Note: r.PostFormValue("note")})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(resp)
}
