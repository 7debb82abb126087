package yuncang

import (
	"errors"
	"fmt"
	"strings"
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
	// Fields lists every invalid field when a request has more than one
	// (EINVALID only); Field and Message are then those of the first.
	Fields []FieldError
	Err    error // underlying cause; never shown to clients
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

// FieldError is one invalid field of a request and what is wrong with it.
type FieldError struct {
	Field   string
	Problem string
}

// InvalidFields returns one EINVALID error naming every field in fs, so a
// client learns of all its mistakes in one round trip; nil when fs is empty.
// Field and Message are those of the first, for callers that show one.
func InvalidFields(fs []FieldError) error {
	if len(fs) == 0 {
		return nil
	}
	if len(fs) == 1 {
		return &Error{Code: EINVALID, Field: fs[0].Field, Message: fs[0].Problem}
	}
	return &Error{Code: EINVALID, Field: fs[0].Field, Message: fmt.Sprintf("%s (and %d more invalid fields)", fs[0].Problem, len(fs)-1), Fields: fs}
}

// ErrorFields returns every invalid field an error names: its Fields, or its
// one Field with its Message.
func ErrorFields(err error) []FieldError {
	var e *Error
	if !errors.As(err, &e) || e.Code == EINTERNAL {
		return nil
	}
	if len(e.Fields) > 0 {
		return e.Fields
	}
	if e.Field != "" {
		return []FieldError{{Field: e.Field, Problem: e.Message}}
	}
	return nil
}

// Problems collects the invalid fields of one request.
type Problems struct {
	list []FieldError
	err  error // the first error that is not EINVALID
}

// Add records an invalid field.
func (p *Problems) Add(field, format string, args ...any) {
	p.list = append(p.list, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

// Check records err: the fields of an EINVALID error (each field once, with
// its first problem), or any other error, which Err then returns in
// preference (a failure that is not the client's input ends the request).
// It reports whether err was nil.
func (p *Problems) Check(err error) bool {
	if err == nil {
		return true
	}
	if ErrorCode(err) == EINVALID {
		fs := ErrorFields(err)
		if len(fs) == 0 {
			fs = []FieldError{{Problem: ErrorMessage(err)}}
		}
		for _, f := range fs {
			if !p.has(f.Field) {
				p.list = append(p.list, f)
			}
		}
		return false
	}
	if p.err == nil {
		p.err = err
	}
	return false
}

// has reports whether field, a part of it or the field it is part of is
// already named ("warehouses" and "warehouses[0]" are one mistake).
func (p *Problems) has(field string) bool {
	within := func(a, b string) bool {
		return strings.HasPrefix(a, b) && (len(a) == len(b) || a[len(b)] == '[' || a[len(b)] == '.')
	}
	for _, f := range p.list {
		if within(f.Field, field) || within(field, f.Field) {
			return true
		}
	}
	return false
}

// OK reports whether nothing has been recorded.
func (p *Problems) OK() bool { return len(p.list) == 0 && p.err == nil }

// Err returns nil, the first error that was not about input, or one
// EINVALID error naming every invalid field.
func (p *Problems) Err() error {
	if p.err != nil {
		return p.err
	}
	return InvalidFields(p.list)
}
