package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// revealOrder shows one recipient in plaintext for one stated purpose. The
// route policy has already required a revealing role, an enrolled device and
// a fresh second factor. The reveal is appended to the audit log in the
// transaction that reads the ciphertext, and decrypted only after it
// committed: if it cannot be recorded, nothing is revealed.
func (s *Server) revealOrder(w http.ResponseWriter, r *http.Request) error {
	var req RevealRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if !slices.Contains(yuncang.Purposes, req.Purpose) {
		return yuncang.Invalid("purpose", "must be one of delivery_exception, customer_callback, return, legal_request")
	}
	if req.Note == "" || utf8.RuneCountInString(req.Note) > 200 {
		return yuncang.Invalid("note", "is required, at most 200 characters")
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	g, err := s.guardCheck(r, ActivityReveal, fmt.Sprintf("order:%d", id))
	if err != nil {
		return err
	}
	t := tenantFrom(r.Context())
	a := yuncang.ActorFromContext(r.Context())
	note, _ := pii.MaskText(req.Note)
	ev := actorEvent(r, yuncang.EventReveal)
	ev.Purpose, ev.Detail = req.Purpose, "note: "+note
	// The guard decides inside the reveal's transaction, so its windows,
	// the quota and the audit record take one commit; a refusal commits the
	// windows alone. It acts (suspends, alerts) once that transaction is over.
	q := s.quotaFor(r, ActivityReveal)
	if g != nil {
		if q == nil {
			q = &yuncang.QuotaRequest{Kind: ActivityReveal} // a role without a quota: the guard alone
		}
		q.Guard = g.run
	}
	rec, remarks, err := s.store.RevealRecipient(r.Context(), t.ID, id, ev, q)
	if g != nil {
		if refusal := g.respond(); refusal != nil {
			return refusal
		}
	}
	if err != nil {
		s.quotaRefused(r, err)
		return err
	}
	now := s.auth.Now()
	writeJSON(w, http.StatusOK, RevealResponse{OrderID: id, Purpose: req.Purpose, Name: rec.Name, Phone: rec.Phone, Address: rec.Address,
		Remarks: remarks, Watermark: fmt.Sprintf("%s %s %s", a.Username, now.In(s.auth.Policy.ShiftZone).Format("2006-01-02 15:04 MST"), req.Purpose)})
	return nil
}
