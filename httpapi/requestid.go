package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
)

// requestIDHeader carries a request's id: a client (or the reverse proxy)
// may send one; otherwise the server makes one. Every response, every
// problem body and every log line of the request carry it.
const requestIDHeader = "X-Request-Id"

type requestIDKey struct{}

// acceptRequestID keeps a client's id when it is short and plain and holds
// no phone-like run of digits (it lands in logs), and otherwise makes a new
// one.
func acceptRequestID(v string) string {
	if v != "" && len(v) <= 64 {
		ok, digits := true, 0
		for i := 0; i < len(v) && ok; i++ {
			c := v[i]
			ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
			if c >= '0' && c <= '9' {
				digits++
			} else {
				digits = 0
			}
			// Seven digits in a row could be a phone number, and the id
			// lands in every log line: replace it.
			ok = ok && digits < 7
		}
		if ok {
			return v
		}
	}
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// requestID returns the id of the request ctx belongs to, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// requestIDLogHandler adds the request id to every record logged with a
// request's context.
type requestIDLogHandler struct{ slog.Handler }

func (h requestIDLogHandler) Handle(ctx context.Context, rec slog.Record) error {
	if id := requestID(ctx); id != "" {
		rec.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, rec)
}

func (h requestIDLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDLogHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDLogHandler) WithGroup(name string) slog.Handler {
	return requestIDLogHandler{h.Handler.WithGroup(name)}
}
