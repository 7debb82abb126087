package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/pii"
)

// createOrder submits one order: 201 when created; 409 with the stored
// order's id (order_id) when its merchant order id exists, whatever the
// content sent. Answering an exact repeat differently from a changed one
// would let anyone with intake rights confirm a guessed recipient's name,
// phone and address against an existing order id, so the content is not
// compared: an idempotent client treats this 409 as "already stored, as
// order_id" and reads that order if it needs to check it.
func (s *Server) createOrder(w http.ResponseWriter, r *http.Request) error {
	var req OrderRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t := tenantFrom(r.Context())
	p, err := intake.Prepare(t.ID, req.toInput())
	if err != nil {
		s.countIntake(yuncang.IntakeInvalid, 1)
		return err
	}
	res, _, err := s.store.CreateOrders(r.Context(), t.ID, []*yuncang.PreparedOrder{p}, true, actorEvent(r, yuncang.EventOrderCreate))
	if err != nil {
		return err
	}
	out := res[0]
	s.countIntake(out.Outcome, 1)
	switch out.Outcome {
	case yuncang.IntakeCreated:
		w.Header().Set("Location", fmt.Sprintf("/api/v1/orders/%d", out.Order.ID))
		writeJSON(w, http.StatusCreated, toOrderJSON(out.Order))
	case yuncang.IntakeExists:
		// Counted by the guard: many re-submissions are probing.
		if err := s.observe(r, ActivityResubmit, fmt.Sprintf("order:%d", out.Order.ID)); err != nil {
			return err
		}
		p := problemOf(r, yuncang.ErrorCode(out.Err), yuncang.ErrorMessage(out.Err), yuncang.ErrorFields(out.Err))
		p.OrderID = out.Order.ID
		sendProblem(w, p)
	default:
		return out.Err
	}
	return nil
}

func (s *Server) countIntake(outcome string, n int) {
	if n == 0 {
		return
	}
	s.metrics.intake.WithLabelValues(outcome).Add(float64(n))
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("id", "must be a positive integer")
	}
	o, err := s.OrderDetail(r, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, o)
	return nil
}

// OrderDetail is one of the request's tenant's orders, masked, its view
// observed by the guard and audited: the API's GET /orders/{id} and the
// console's order page both call it.
func (s *Server) OrderDetail(r *http.Request, id int64) (OrderJSON, error) {
	if err := s.observe(r, ActivityListPage, fmt.Sprintf("order:%d", id)); err != nil {
		return OrderJSON{}, err
	}
	o, err := s.store.Order(r.Context(), tenantFrom(r.Context()).ID, id, actorEvent(r, yuncang.EventOrderView))
	if err != nil {
		return OrderJSON{}, err
	}
	return toOrderJSON(o), nil
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if q.Has("phone") {
		return yuncang.Invalid("phone", "is not accepted in the URL; use POST /api/v1/orders/search")
	}
	limit := 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return yuncang.Invalid("limit", "must be an integer")
		}
		limit = n
	}
	moid := q.Get("merchant_order_id")
	if q.Has("merchant_order_id") && (moid == "" || len(moid) > yuncang.MaxMerchantOrderID) {
		return yuncang.Invalid("merchant_order_id", "must be 1 to %d bytes", yuncang.MaxMerchantOrderID)
	}
	return s.orderPage(w, r, yuncang.OrderFilter{Status: q.Get("status"), MerchantOrderID: moid}, limit, q.Get("cursor"), actorEvent(r, yuncang.EventListPage))
}

func (s *Server) searchOrders(w http.ResponseWriter, r *http.Request) error {
	var req OrderSearchRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Phone == "" {
		return yuncang.Invalid("phone", "is required")
	}
	ph, err := pii.ParsePhone(req.Phone)
	if err != nil {
		return yuncang.Invalid("phone", "is not a valid phone number")
	}
	return s.orderPage(w, r, yuncang.OrderFilter{Status: req.Status, Phone: ph.Digits}, req.Limit, req.Cursor, actorEvent(r, yuncang.EventPhoneSearch))
}

// orderPage serves one page of the tenant's orders. The cursor is opaque to
// clients.
func (s *Server) orderPage(w http.ResponseWriter, r *http.Request, f yuncang.OrderFilter, limit int, cursor string, ev *yuncang.Event) error {
	page, err := s.orderList(r, f, limit, cursor, ev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// OrderList is one page of the request's tenant's orders, masked, newest
// first, observed by the guard and audited as kind (EventListPage or
// EventPhoneSearch): the API's list and search and the console's order
// pages all call it.
func (s *Server) OrderList(r *http.Request, f yuncang.OrderFilter, limit int, cursor, kind string) (OrderPage, error) {
	return s.orderList(r, f, limit, cursor, actorEvent(r, kind))
}

func (s *Server) orderList(r *http.Request, f yuncang.OrderFilter, limit int, cursor string, ev *yuncang.Event) (OrderPage, error) {
	if f.Status != "" && !yuncang.ValidOrderStatus(f.Status) {
		return OrderPage{}, yuncang.Invalid("status", "is not a known order status")
	}
	if limit == 0 {
		limit = 50
	} else if limit < 1 || limit > 200 {
		return OrderPage{}, yuncang.Invalid("limit", "must be between 1 and 200")
	}
	if cursor != "" {
		n, err := decodeCursor(cursor)
		if err != nil {
			return OrderPage{}, err
		}
		f.AfterID = n
	}
	kind := ActivityListPage
	if f.Phone != "" {
		kind = ActivityPhoneSearch
	}
	if err := s.observe(r, kind); err != nil {
		return OrderPage{}, err
	}
	f.TenantID = tenantFrom(r.Context()).ID
	f.Limit = limit
	os, err := s.store.Orders(r.Context(), f, ev)
	if err != nil {
		return OrderPage{}, err
	}
	page := OrderPage{Items: make([]OrderJSON, len(os))}
	for i, o := range os {
		page.Items[i] = toOrderJSON(o)
	}
	if len(os) > 0 {
		page.Next = nextCursor(len(os), limit, os[len(os)-1].ID)
	}
	return page, nil
}

// remaskRemarks masks an order's stored masked remarks again on the way out.
// Orders taken before the scanner knew a form (a name after 收件人, a room
// number, a phone in Chinese numerals) hold a masked copy that still shows
// it; masking is idempotent, so a copy made today is returned unchanged.
// Only the audited reveal returns remarks in full.
func remaskRemarks(s string) string {
	m, _ := pii.MaskText(s)
	return m
}
