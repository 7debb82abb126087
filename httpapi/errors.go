package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
)

// statusOf is the one table from error codes to HTTP statuses.
var statusOf = map[string]int{
	yuncang.EINVALID:      http.StatusBadRequest,
	yuncang.EUNAUTHORIZED: http.StatusUnauthorized,
	yuncang.EFORBIDDEN:    http.StatusForbidden,
	yuncang.ENOTFOUND:     http.StatusNotFound,
	yuncang.ECONFLICT:     http.StatusConflict,
	yuncang.ERATELIMITED:  http.StatusTooManyRequests,
	yuncang.EINTERNAL:     http.StatusInternalServerError,
}

// problemContentType is the media type of every error response (RFC 9457).
const problemContentType = "application/problem+json"

// Problem is the body of every error response: an RFC 9457 problem
// document. Code is the machine-readable error code of statusOf; Errors
// lists every invalid field of the request at once; RequestID is the
// X-Request-Id of the response, to quote to support.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	Instance  string         `json:"instance,omitempty"`
	Code      string         `json:"code"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []FieldProblem `json:"errors,omitempty"`
	// OrderID is, on a 409 to an order whose merchant order id exists, the
	// stored order it names (nothing was stored; see POST /api/v1/orders).
	OrderID int64 `json:"order_id,omitempty"`
}

// FieldProblem is one invalid field of a request and what is wrong with it
// (never the submitted value).
type FieldProblem struct {
	Field   string `json:"field"`
	Problem string `json:"problem"`
}

// problemType is the type URI of a problem with the given code.
func problemType(code string) string { return "urn:yuncang:problem:" + code }

// writeError sends an application error. Internal causes go to the log only
// (they may name tables or driver states, never personal data, which no
// error in this code base carries).
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := yuncang.ErrorCode(err)
	if code == yuncang.EINTERNAL {
		if errors.Is(err, context.Canceled) {
			return
		}
		s.log.LogAttrs(r.Context(), slog.LevelError, "internal error", slog.String("route", r.Pattern), slog.String("err", err.Error()))
	}
	writeProblem(w, r, code, yuncang.ErrorMessage(err), yuncang.ErrorFields(err))
}

// WriteProblem sends err as the API would: the console's scripts read the
// same problem documents.
func (s *Server) WriteProblem(w http.ResponseWriter, r *http.Request, err error) {
	s.writeError(w, r, err)
}

// writeProblem writes a problem document for code with a safe detail.
func writeProblem(w http.ResponseWriter, r *http.Request, code, detail string, fields []yuncang.FieldError) {
	sendProblem(w, problemOf(r, code, detail, fields))
}

// problemOf builds the problem document for code with a safe detail.
func problemOf(r *http.Request, code, detail string, fields []yuncang.FieldError) Problem {
	status, ok := statusOf[code]
	if !ok {
		code, status = yuncang.EINTERNAL, http.StatusInternalServerError
	}
	p := Problem{Type: problemType(code), Title: http.StatusText(status), Status: status, Detail: detail, Code: code,
		Instance: r.URL.Path, RequestID: requestID(r.Context())}
	for _, f := range fields {
		p.Errors = append(p.Errors, FieldProblem{Field: f.Field, Problem: f.Problem})
	}
	switch {
	case len(fields) > 1:
		p.Detail = strconv.Itoa(len(fields)) + " fields are invalid (see errors)"
	case len(fields) == 1 && fields[0].Field != "":
		p.Detail = fields[0].Field + ": " + fields[0].Problem
	}
	return p
}

func sendProblem(w http.ResponseWriter, p Problem) {
	w.Header().Set("Content-Type", problemContentType)
	w.WriteHeader(p.Status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(p)
}
