package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return jsonError(err)
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
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

// checkJSONText refuses a body that encoding/json would silently repair:
// invalid UTF-8, and \u escapes of unpaired surrogates (\ud800). Both decode
// to U+FFFD, so two different order ids would become one.
func checkJSONText(b []byte) error {
	if !utf8.Valid(b) {
		return yuncang.Invalid("body", "is not valid UTF-8 (at byte %d)", len(b)-len(validPrefix(b)))
	}
	inString := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"':
			inString = !inString
		case c == '\\' && inString:
			if i+1 < len(b) && b[i+1] == 'u' {
				u, ok := hex4(b, i+2)
				switch {
				case ok && u >= 0xD800 && u < 0xDC00:
					// A high surrogate must be followed by a low one.
					if v, ok2 := hex4(b, i+8); !ok2 || i+7 >= len(b) || b[i+6] != '\\' || b[i+7] != 'u' || v < 0xDC00 || v > 0xDFFF {
						return yuncang.Invalid("body", "has an unpaired UTF-16 surrogate escape (at byte %d)", i)
					}
					i += 11
					continue
				case ok && u >= 0xDC00 && u <= 0xDFFF:
					return yuncang.Invalid("body", "has an unpaired UTF-16 surrogate escape (at byte %d)", i)
				}
			}
			i++ // the escaped character
		}
	}
	return nil
}

// validPrefix returns the longest prefix of b that is valid UTF-8.
func validPrefix(b []byte) []byte {
	n := 0
	for n < len(b) {
		r, size := utf8.DecodeRune(b[n:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		n += size
	}
	return b[:n]
}

// hex4 reads four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var v rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
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
