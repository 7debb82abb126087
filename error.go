package yuncang

import (
	"errors"
	"fmt"
)

// Error codes. They are the only failure kinds a client ever sees; each maps
// to one HTTP status in httpapi.
const (
	EINVALID      = "invalid"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	ERATELIMITED  = "rate_limited"
	EINTERNAL     = "internal"
)

// Error is the application's one error type. Message is safe to show a client:
// it never contains personal data. Field names the offending input field, if
// any. Internal failures are wrapped with EINTERNAL and their cause is kept
// for the log only.
type Error struct {
	Code    string
	Field   string
	Message string
	Err     error // underlying cause; never shown to clients
}

func (e *Error) Error() string {
	s := e.Code
	if e.Field != "" {
		s += " " + e.Field
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with the given code and a safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming the field and the problem.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure. The cause is logged, never returned.
func Internal(err error, op string) *Error {
	return &Error{Code: EINTERNAL, Message: op, Err: err}
}

// ErrorCode returns the code of an application error, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of an error. Internal errors get
// a generic message so that no driver or library text reaches a client.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the offending field of an application error, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
