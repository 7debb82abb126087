package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

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

// ErrorBody is the JSON shape of every error response.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail names the code, the offending field and a safe message.
type ErrorDetail struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

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
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, ErrorBody{Error: ErrorDetail{Code: code, Field: yuncang.ErrorField(err), Message: yuncang.ErrorMessage(err)}})
}
