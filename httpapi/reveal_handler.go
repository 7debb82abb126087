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
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	resp, err := s.RevealOrder(r, id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// RevealOrder is the one reveal of a recipient for a stated purpose: the
// guard's observation and quota, the audit record written with the read,
// plaintext only after it committed. The API's reveal and the console's
// reveal dialog both call it.
func (s *Server) RevealOrder(r *http.Request, id int64, req RevealRequest) (RevealResponse, error) {
	if !slices.Contains(yuncang.Purposes, req.Purpose) {
		return RevealResponse{}, yuncang.Invalid("purpose", "must be one of delivery_exception, customer_callback, return, legal_request")
	}
	if req.Note == "" || utf8.RuneCountInString(req.Note) > 200 {
		return RevealResponse{}, yuncang.Invalid("note", "is required, at most 200 characters")
	}
	if err := s.observe(r, ActivityReveal, fmt.Sprintf("order:%d", id)); err != nil {
		return RevealResponse{}, err
	}
	t := tenantFrom(r.Context())
	a := yuncang.ActorFromContext(r.Context())
	note, _ := pii.MaskText(req.Note)
	ev := actorEvent(r, yuncang.EventReveal)
	ev.Purpose, ev.Detail = req.Purpose, "note: "+note
	rec, remarks, err := s.store.RevealRecipient(r.Context(), t.ID, id, ev, s.quotaFor(r, ActivityReveal))
	if err != nil {
		s.quotaRefused(r, err)
		return RevealResponse{}, err
	}
	now := s.auth.Now()
	return RevealResponse{OrderID: id, Purpose: req.Purpose, Name: rec.Name, Phone: rec.Phone, Address: rec.Address,
		Remarks: remarks, Watermark: fmt.Sprintf("%s %s %s", a.Username, now.In(s.auth.Policy.ShiftZone).Format("2006-01-02 15:04 MST"), req.Purpose)}, nil
}
