package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/reveal"
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
// training check, the guard's judgement and the quota, the audit record
// written with the read, plaintext only after it committed. The API's
// reveal and the console's reveal dialog both call it.
func (s *Server) RevealOrder(r *http.Request, id int64, req RevealRequest) (RevealResponse, error) {
	if err := reveal.CheckReason(req.Purpose, req.Note); err != nil {
		return RevealResponse{}, err
	}
	if err := s.requireTraining(r); err != nil {
		return RevealResponse{}, err
	}
	if req.Purpose == yuncang.PurposeDataSubject {
		if err := s.requireAccessRequest(r, id); err != nil {
			return RevealResponse{}, err
		}
	}
	g, err := s.guardCheck(r, ActivityReveal, fmt.Sprintf("order:%d", id))
	if err != nil {
		return RevealResponse{}, err
	}
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
	res, err := s.reveal.Reveal(r.Context(), reveal.Request{TenantID: tenantFrom(r.Context()).ID, OrderID: id, Purpose: req.Purpose, Note: req.Note,
		Username: yuncang.ActorFromContext(r.Context()).Username, Event: actorEvent(r, yuncang.EventReveal), Quota: q})
	if g != nil {
		if refusal := g.respond(); refusal != nil {
			s.metrics.reveals.WithLabelValues("refused").Inc()
			return RevealResponse{}, refusal
		}
	}
	if err != nil {
		s.metrics.reveals.WithLabelValues("refused").Inc()
		s.quotaRefused(r, err)
		if err == yuncang.ErrRecipientErased {
			return RevealResponse{}, s.whyErased(r, id)
		}
		return RevealResponse{}, err
	}
	s.metrics.reveals.WithLabelValues("revealed").Inc()
	rec := res.Recipient
	return RevealResponse{OrderID: id, Purpose: req.Purpose, Name: rec.Name, Phone: rec.Phone, Address: rec.Address,
		Remarks: res.Remarks, Watermark: res.Watermark}, nil
}

// requireAccessRequest: the purpose data_subject_request answers a
// recipient's access request, so it needs an open one that names the order.
func (s *Server) requireAccessRequest(r *http.Request, orderID int64) error {
	ok, err := s.store.OpenAccessRequestFor(r.Context(), tenantFrom(r.Context()).ID, orderID)
	if err != nil || ok {
		return err
	}
	return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "purpose", Message: "data_subject_request needs an open access request that names this order"}
}

// whyErased says what erased an order's recipient: the merchant's
// deletion (or withdrawal) request closed as erased that names it, or else
// retention (the only other eraser).
func (s *Server) whyErased(r *http.Request, orderID int64) error {
	ds, err := s.store.DataRequests(r.Context(), tenantFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.Status == yuncang.DataRequestErased && slices.Contains(d.OrderIDs, orderID) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Message: fmt.Sprintf("the recipient's data was erased by data-subject %s request %d (closed as erased on %s by %s)",
				d.Kind, d.ID, d.ClosedAt.Format("2006-01-02"), d.ClosedBy)}
		}
	}
	return &yuncang.Error{Code: yuncang.ECONFLICT, Message: "the recipient's data was erased by retention (the merchant's retention period for the order had passed)"}
}
