package httpapi

import (
	"bufio"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/orderfile"
)

// Imports run at most maxConcurrentImports at a time per server; one more
// is answered 429 with Retry-After.
const (
	maxConcurrentImports = 2
	importRetryAfter     = 10 // seconds
)

// importOrders accepts a CSV or XLSX file, either as the raw request body or
// as the "file" part of a multipart form. ?all_or_nothing=true stores nothing
// unless every order is good.
func (s *Server) importOrders(w http.ResponseWriter, r *http.Request) error {
	// Each import may hold its file (up to maxImportBody) and what the
	// reader keeps of it (orderfile's limits) in memory: a few at a time
	// bound the total, and the rest are told when to come back.
	select {
	case s.imports <- struct{}{}:
		defer func() { <-s.imports }()
	default:
		w.Header().Set("Retry-After", strconv.Itoa(importRetryAfter))
		return yuncang.Errorf(yuncang.ERATELIMITED, "%d imports are running; try again in %d seconds", maxConcurrentImports, importRetryAfter)
	}
	allOrNothing := false
	if v := r.URL.Query().Get("all_or_nothing"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return yuncang.Invalid("all_or_nothing", "must be true or false")
		}
		allOrNothing = b
	}
	body := http.MaxBytesReader(w, r.Body, maxImportBody)
	var src io.Reader = body
	filename, ctype := "", r.Header.Get("Content-Type")
	if mt, _, _ := mime.ParseMediaType(ctype); mt == "multipart/form-data" {
		mr, err := r.MultipartReader()
		if err != nil {
			return yuncang.Invalid("body", "is not a valid multipart form")
		}
		for {
			part, err := mr.NextPart()
			if err != nil {
				return yuncang.Invalid("file", "is required: send the file in a form field named 'file'")
			}
			if part.FormName() == "file" {
				src, filename, ctype = part, part.FileName(), part.Header.Get("Content-Type")
				break
			}
		}
	}
	br := bufio.NewReaderSize(src, 4096)
	head, _ := br.Peek(512)
	format, err := orderfile.DetectFormat(filename, ctype, head)
	if err != nil {
		return err
	}
	orders, rowErrs, err := orderfile.Read(br, format, orderfile.Options{})
	if err != nil {
		var big *http.MaxBytesError
		if errors.As(err, &big) {
			return yuncang.Invalid("body", "is larger than %d bytes", maxImportBody)
		}
		return err
	}
	rep, err := intake.Import(r.Context(), s.store, tenantFrom(r.Context()).ID, orders, rowErrs, allOrNothing, *actorEvent(r, yuncang.EventOrderImport), nil)
	if err != nil {
		return err
	}
	s.countIntake(yuncang.IntakeCreated, rep.Created)
	s.countIntake(yuncang.IntakeExists, len(rep.Existing))
	s.countIntake(yuncang.IntakeInvalid, rep.Rejected)
	if err := s.ObserveResubmissions(r, rep); err != nil {
		return err
	}
	resp := ImportResponse{Orders: rep.Orders, Created: rep.Created, Existing: len(rep.Existing), Rejected: rep.Rejected,
		NotCommitted: rep.NotCommitted, Committed: rep.Committed, Errors: make([]ImportRowError, len(rep.Issues)),
		ExistingOrders: make([]ImportExistingJSON, len(rep.Existing))}
	for i, is := range rep.Issues {
		resp.Errors[i] = ImportRowError{Row: is.Row, MerchantOrderID: is.MerchantOrderID, Code: is.Code, Field: is.Field, Message: is.Message}
	}
	for i, e := range rep.Existing {
		resp.ExistingOrders[i] = ImportExistingJSON{Row: e.Row, MerchantOrderID: e.MerchantOrderID, OrderID: e.OrderID}
	}
	status := http.StatusOK
	if !rep.Committed {
		status = http.StatusUnprocessableEntity
	}
	writeJSON(w, status, resp)
	return nil
}

// ObserveResubmissions counts an import's rows that named existing orders
// with the guard, one per order (many are someone probing which orders
// exist). The API's import and the console's import job both call it.
func (s *Server) ObserveResubmissions(r *http.Request, rep *intake.Report) error {
	if len(rep.Existing) == 0 {
		return nil
	}
	targets := make([]string, len(rep.Existing))
	for i, e := range rep.Existing {
		targets[i] = "order:" + strconv.FormatInt(e.OrderID, 10)
	}
	return s.observe(r, ActivityResubmit, targets...)
}
