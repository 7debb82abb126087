package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang"
)

// Decode reads a Problem from JSON. Unknown fields, values of the wrong type
// and malformed JSON are errors; the error is a *yuncang.Error whose Field
// is the JSON path of the offending value ("orders[3].lines[0].qty"), which
// encoding/json alone does not give (it names no array index). Decode
// checks shape only; Validate (or Solve) checks meaning.
func Decode(r io.Reader) (*Problem, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := checkShape(dec, reflect.TypeFor[Problem](), "", data); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, yuncang.Invalid("", "unexpected data after the problem object at %s", position(data, dec.InputOffset()))
	}
	p := new(Problem)
	if err := json.Unmarshal(data, p); err != nil {
		// checkShape accepts only what Unmarshal accepts; this is a bug.
		return nil, yuncang.Internal(err, "decoding the problem")
	}
	return p, nil
}

// checkShape walks one JSON value against the Go type it will decode into.
func checkShape(dec *json.Decoder, t reflect.Type, path string, data []byte) error {
	if t.Kind() == reflect.Pointer {
		t = t.Elem() // an optional object, such as batch
	}
	start := dec.InputOffset()
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(err, data, start)
	}
	where := path
	if where == "" {
		where = "(top level)"
	}
	if tok == nil {
		return nil // null leaves the zero value, as encoding/json does
	}
	switch v := tok.(type) {
	case json.Delim:
		switch {
		case v == '{' && t.Kind() == reflect.Struct:
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return syntaxError(err, data, dec.InputOffset())
				}
				key := kt.(string)
				f, ok := fieldByTag(t, key)
				if !ok {
					return yuncang.Invalid(join(path, key), "unknown field")
				}
				if err := checkShape(dec, f.Type, join(path, key), data); err != nil {
					return err
				}
			}
		case v == '[' && t.Kind() == reflect.Slice:
			for i := 0; dec.More(); i++ {
				if err := checkShape(dec, t.Elem(), fmt.Sprintf("%s[%d]", path, i), data); err != nil {
					return err
				}
			}
		default:
			return yuncang.Invalid(where, "must be %s, got %s", kindName(t), delimName(v))
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return syntaxError(err, data, dec.InputOffset())
		}
		return nil
	case string:
		if t.Kind() != reflect.String {
			return yuncang.Invalid(where, "must be %s, got a string", kindName(t))
		}
	case bool:
		if t.Kind() != reflect.Bool {
			return yuncang.Invalid(where, "must be %s, got a boolean", kindName(t))
		}
	case json.Number:
		switch t.Kind() {
		case reflect.Int, reflect.Int64:
			if _, err := strconv.ParseInt(v.String(), 10, 64); err != nil {
				return yuncang.Invalid(where, "must be a whole number, got %s", v)
			}
		case reflect.Float64:
			if f, err := strconv.ParseFloat(v.String(), 64); err != nil || math.IsInf(f, 0) {
				return yuncang.Invalid(where, "must be a number, got %s", v)
			}
		default:
			return yuncang.Invalid(where, "must be %s, got a number", kindName(t))
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func fieldByTag(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64:
		return "a whole number"
	case reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "a boolean"
	}
	return t.String()
}

func delimName(d json.Delim) string {
	if d == '{' {
		return "an object"
	}
	return "an array"
}

func syntaxError(err error, data []byte, off int64) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return yuncang.Invalid("", "malformed JSON: unexpected end of input")
	}
	return yuncang.Invalid("", "malformed JSON at %s: %v", position(data, off), err)
}

// position turns a byte offset into "line L, column C" (1-based, columns
// in bytes).
func position(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - int64(bytes.LastIndexByte(data[:off], '\n'))
	return fmt.Sprintf("line %d, column %d", line, col)
}
