package httpapi

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/pii"
)

// DataRequestCreate records a data-subject request (POST /api/v1/data-requests).
type DataRequestCreate struct {
	Kind  string `json:"kind"`  // access, correction, deletion, withdrawal
	Phone string `json:"phone"` // the requester's phone: used once, through the blind index, never stored
	// ReceivedAt is when the merchant received it (default now; at most 30 days ago).
	ReceivedAt *time.Time `json:"received_at,omitempty"`
}

// DataRequestCloseRequest closes one (POST /api/v1/data-requests/{id}/close).
type DataRequestCloseRequest struct {
	Outcome string `json:"outcome"` // answered, corrected, erased, refused
	Reason  string `json:"reason,omitempty"`
	// Recipient is the corrected recipient (outcome corrected), validated
	// and masked as intake does.
	Recipient *RecipientInput `json:"recipient,omitempty"`
}

// DataRequestJSON is a data-subject request.
type DataRequestJSON struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	Status     string     `json:"status"`
	OrderIDs   []int64    `json:"order_ids"`
	ReceivedAt time.Time  `json:"received_at"`
	DueAt      time.Time  `json:"due_at"`
	Overdue    bool       `json:"overdue"`
	ClosedAt   *time.Time `json:"closed_at,omitempty"`
	Reason     string     `json:"reason,omitempty"`
	CreatedBy  string     `json:"created_by"`
	ClosedBy   string     `json:"closed_by,omitempty"`
}

func init() {
	for k, v := range map[string]struct {
		req, resp any
		status    string
	}{
		"POST /api/v1/data-requests":            {DataRequestCreate{}, DataRequestJSON{}, "201"},
		"GET /api/v1/data-requests":             {nil, pageOf(DataRequestJSON{}), "200"},
		"POST /api/v1/data-requests/{id}/close": {DataRequestCloseRequest{}, DataRequestJSON{}, "200"},
	} {
		apiDocs[k] = v
	}
}

func (s *Server) toDataRequestJSON(d *yuncang.DataRequest) DataRequestJSON {
	j := DataRequestJSON{ID: d.ID, Kind: d.Kind, Status: d.Status, OrderIDs: d.OrderIDs, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt,
		Reason: d.Reason, CreatedBy: d.CreatedBy, ClosedBy: d.ClosedBy}
	if j.OrderIDs == nil {
		j.OrderIDs = []int64{}
	}
	if !d.ClosedAt.IsZero() {
		t := d.ClosedAt
		j.ClosedAt = &t
	}
	j.Overdue = d.Status == yuncang.DataRequestOpen && s.auth.Now().After(d.DueAt)
	return j
}

func (s *Server) createDataRequest(w http.ResponseWriter, r *http.Request) error {
	var req DataRequestCreate
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if !slices.Contains(yuncang.DataRequestKinds, req.Kind) {
		return yuncang.Invalid("kind", "must be one of access, correction, deletion, withdrawal")
	}
	ph, err := pii.ParsePhone(req.Phone)
	if err != nil {
		return yuncang.Invalid("phone", "is not a valid phone number")
	}
	now := s.auth.Now()
	received := now
	if req.ReceivedAt != nil {
		received = *req.ReceivedAt
		if received.After(now) || received.Before(now.AddDate(0, 0, -30)) {
			return yuncang.Invalid("received_at", "must be within the last 30 days")
		}
	}
	// Finding the orders is a phone search: the guard counts it.
	if err := s.observe(r, ActivityPhoneSearch); err != nil {
		return err
	}
	t := tenantFrom(r.Context())
	os, err := s.store.Orders(r.Context(), yuncang.OrderFilter{TenantID: t.ID, Phone: ph.Digits, Limit: 500}, nil)
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	due := s.DataRequestDueDays
	if due <= 0 {
		due = yuncang.DataRequestDueWorkingDays
	}
	d := &yuncang.DataRequest{TenantID: t.ID, Kind: req.Kind, ReceivedAt: received.UTC(), DueAt: yuncang.AddWorkingDays(received, due).UTC(), CreatedBy: a.Username}
	for _, o := range os {
		d.OrderIDs = append(d.OrderIDs, o.ID)
	}
	ev := actorEvent(r, yuncang.EventDataRequest)
	ev.Detail = fmt.Sprintf("%s request; %d orders found through the blind phone index; due %s", req.Kind, len(d.OrderIDs), d.DueAt.Format("2006-01-02"))
	if err := s.store.CreateDataRequest(r.Context(), d, ev); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.toDataRequestJSON(d))
	return nil
}

func (s *Server) listDataRequests(w http.ResponseWriter, r *http.Request) error {
	ds, err := s.store.DataRequests(r.Context(), tenantFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	out := make([]DataRequestJSON, len(ds))
	for i, d := range ds {
		out[i] = s.toDataRequestJSON(d)
	}
	writeList(w, out)
	return nil
}

func (s *Server) closeDataRequest(w http.ResponseWriter, r *http.Request) error {
	var req DataRequestCloseRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	switch req.Outcome {
	case yuncang.DataRequestAnswered, yuncang.DataRequestErased, yuncang.DataRequestRefused:
		if req.Recipient != nil {
			return yuncang.Invalid("recipient", "is only for the outcome corrected")
		}
	case yuncang.DataRequestCorrected:
		return s.correctDataRequest(w, r, id, req)
	default:
		return yuncang.Invalid("outcome", "must be answered, corrected, erased or refused")
	}
	if utf8.RuneCountInString(req.Reason) > 200 || req.Outcome == yuncang.DataRequestRefused && req.Reason == "" {
		return yuncang.Invalid("reason", "is required to refuse, at most 200 characters")
	}
	reason, _ := pii.MaskText(req.Reason)
	t := tenantFrom(r.Context())
	ds, err := s.store.DataRequests(r.Context(), t.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ds, func(d *yuncang.DataRequest) bool { return d.ID == id })
	if i < 0 {
		return yuncang.Errorf(yuncang.ENOTFOUND, "data request not found")
	}
	d := ds[i]
	switch {
	case req.Outcome == yuncang.DataRequestErased && d.Kind != yuncang.DataRequestDeletion && d.Kind != yuncang.DataRequestWithdrawal:
		return yuncang.Invalid("outcome", "erased closes deletion and withdrawal requests only")
	case req.Outcome == yuncang.DataRequestAnswered && d.Kind == yuncang.DataRequestAccess && d.Status == yuncang.DataRequestOpen:
		if err := s.revealedForRequest(r, d); err != nil {
			return err
		}
	}
	if req.Outcome == yuncang.DataRequestErased {
		if err := requireRevealDevice(r.Context(), "erasing"); err != nil {
			return err
		}
	}
	a := yuncang.ActorFromContext(r.Context())
	ev := actorEvent(r, yuncang.EventDataRequestClose)
	ev.Detail = fmt.Sprintf("%s request closed: %s", d.Kind, req.Outcome)
	if reason != "" {
		ev.Detail += "; reason: " + reason
	}
	d, err = s.store.CloseDataRequest(r.Context(), t.ID, id, req.Outcome, reason, a.Username, ev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toDataRequestJSON(d))
	return nil
}

// correctDataRequest validates the corrected recipient exactly as intake
// would and seals it into the request's orders.
func (s *Server) correctDataRequest(w http.ResponseWriter, r *http.Request, id int64, req DataRequestCloseRequest) error {
	if req.Recipient == nil {
		return yuncang.Invalid("recipient", "is required to correct")
	}
	if err := requireRevealDevice(r.Context(), "correcting"); err != nil {
		return err
	}
	t := tenantFrom(r.Context())
	a := yuncang.ActorFromContext(r.Context())
	ds, err := s.store.DataRequests(r.Context(), t.ID)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ds, func(d *yuncang.DataRequest) bool { return d.ID == id })
	if i < 0 {
		return yuncang.Errorf(yuncang.ENOTFOUND, "data request not found")
	}
	if d := ds[i]; d.Kind == yuncang.DataRequestCorrection && d.Status == yuncang.DataRequestOpen && d.CreatedBy == a.Username {
		// Four eyes: a correction rewrites where parcels and calls go. The
		// person who recorded the recipient's request is not the one who
		// writes the new recipient in.
		return forbid("a correction is closed by a different person from the one who recorded the request")
	}
	p, err := intake.Prepare(t.ID, yuncang.OrderInput{MerchantOrderID: "data-request-correction", Lines: []yuncang.OrderLine{{SKUCode: "CORRECTION", Quantity: 1}},
		Recipient: yuncang.Recipient{Name: req.Recipient.Name, Phone: req.Recipient.Phone, Address: req.Recipient.Address}})
	if err != nil {
		return err
	}
	ev := actorEvent(r, yuncang.EventDataRequestClose)
	ev.Detail = "correction request closed: corrected (name, phone and address re-sealed)"
	d, err := s.store.CorrectDataRequest(r.Context(), t.ID, id, p, a.Username, ev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.toDataRequestJSON(d))
	return nil
}

// revealedForRequest checks that every order of an access request was
// revealed for it (purpose data_subject_request, after it was received):
// the answer goes out through the audited, quota-bound reveal, never
// around it.
func (s *Server) revealedForRequest(r *http.Request, d *yuncang.DataRequest) error {
	for _, o := range d.OrderIDs {
		evs, err := s.store.Events(r.Context(), yuncang.EventFilter{TenantID: d.TenantID, Kind: yuncang.EventReveal,
			Target: fmt.Sprintf("order:%d", o), Since: d.ReceivedAt, Limit: 50})
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(evs, func(e *yuncang.Event) bool {
			return e.Purpose == yuncang.PurposeDataSubject && e.Outcome == yuncang.OutcomeOK
		}) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "outcome",
				Message: fmt.Sprintf("reveal order %d with purpose data_subject_request before answering", o)}
		}
	}
	return nil
}
