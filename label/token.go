package label

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Token format: "YC1." waybill "." unix-seconds "." MAC, the MAC being the
// first 16 bytes of HMAC-SHA256 in unpadded base32. Upper-case letters,
// digits and dots keep the QR code in its compact alphanumeric mode
// (version 3, 29×29 modules, for a 15-character waybill). The waybill is
// printed on the label anyway; the token adds only when it was issued and
// proof that yuncang issued it, so a photographed QR code tells a thief
// nothing, and the recipient is looked up server-side under the reveal rules.
const (
	tokenPrefix = "YC1."
	macBytes    = 16
	// MinTokenKey is the shortest key SignToken and VerifyToken accept.
	MinTokenKey = 16
)

var tokenEnc = base32.StdEncoding.WithPadding(base32.NoPadding)

// ErrBadToken is returned by VerifyToken for any token that is malformed or
// not signed with the key; it doesn't say which, so it can't be used as an
// oracle.
var ErrBadToken = errors.New("label: token is not valid")

// SignToken returns the QR payload for a waybill issued at a time, signed
// with key (at least MinTokenKey bytes; SignToken panics on a shorter key,
// which is a programming error). The waybill should be upper-case letters,
// digits and dashes, as carriers issue them.
func SignToken(key []byte, waybill string, issued time.Time) string {
	if len(key) < MinTokenKey {
		panic("label: SignToken key is shorter than MinTokenKey bytes")
	}
	unix := strconv.FormatInt(issued.Unix(), 10)
	return tokenPrefix + waybill + "." + unix + "." + tokenEnc.EncodeToString(tokenMAC(key, waybill, unix))
}

// VerifyToken checks a token's signature and returns the waybill and issue
// time it carries. Callers decide how old a token may be.
func VerifyToken(key []byte, token string) (waybill string, issued time.Time, err error) {
	if len(key) < MinTokenKey {
		return "", time.Time{}, errors.New("label: VerifyToken key is shorter than MinTokenKey bytes")
	}
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return "", time.Time{}, ErrBadToken
	}
	// The waybill may itself hold dots in theory, so split from the right.
	i := strings.LastIndexByte(rest, '.')
	if i < 0 {
		return "", time.Time{}, ErrBadToken
	}
	mac, err := tokenEnc.DecodeString(rest[i+1:])
	if err != nil || len(mac) != macBytes {
		return "", time.Time{}, ErrBadToken
	}
	rest = rest[:i]
	j := strings.LastIndexByte(rest, '.')
	if j < 1 {
		return "", time.Time{}, ErrBadToken
	}
	waybill, unix := rest[:j], rest[j+1:]
	if !hmac.Equal(mac, tokenMAC(key, waybill, unix)) {
		return "", time.Time{}, ErrBadToken
	}
	sec, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return "", time.Time{}, ErrBadToken
	}
	return waybill, time.Unix(sec, 0), nil
}

// tokenMAC signs a length-prefixed encoding, so no two (waybill, time) pairs
// share an input.
func tokenMAC(key []byte, waybill, unix string) []byte {
	m := hmac.New(sha256.New, key)
	b := make([]byte, 0, 64)
	b = append(b, "yuncang-label-token-v1"...)
	b = binary.AppendUvarint(b, uint64(len(waybill)))
	b = append(b, waybill...)
	b = binary.AppendUvarint(b, uint64(len(unix)))
	b = append(b, unix...)
	m.Write(b)
	return m.Sum(nil)[:macBytes]
}
