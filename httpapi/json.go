package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/yuncang/yuncang"
)

// Body size limits.
const (
	maxJSONBody   = 1 << 20  // 1 MiB
	maxImportBody = 32 << 20 // 32 MiB
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// decodeJSON reads one JSON object into v, rejecting unknown fields,
// trailing data and oversized bodies. Its errors name the field and never
// echo the submitted values.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	// The body is read as JSON whatever the Content-Type says (curl -d sends
	// form encoding); credentials are bearer tokens, never cookies, so a
	// cross-site form post carries no authority.
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/") {
		return yuncang.Invalid("body", "must be JSON, not a multipart form")
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxJSONBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return yuncang.Invalid("body", "must contain a single JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return yuncang.Invalid("body", "must contain a single JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		return yuncang.Invalid("body", "is larger than %d bytes", big.Limit)
	case errors.As(err, &syn):
		return yuncang.Invalid("body", "is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return yuncang.Invalid(field, "must be a %s", jsonKind(typ.Type.Kind().String()))
	case errors.Is(err, io.EOF):
		return yuncang.Invalid("body", "is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return yuncang.Invalid("body", "is truncated JSON")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// The field name is the client's own key, not a value.
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if len(name) > 64 {
			name = name[:64]
		}
		return yuncang.Invalid(name, "is not a known field")
	}
	return yuncang.Invalid("body", "is not valid JSON")
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "number"
	case "slice":
		return "list"
	case "struct", "map":
		return "object"
	}
	return k
}

// newLineEncoder writes one JSON value per line (JSON Lines).
func newLineEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
