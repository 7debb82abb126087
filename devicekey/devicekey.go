// Package devicekey is how an enrolled device proves itself: a key pair
// generated on the device (Ed25519), whose public key is registered at
// enrolment, signs every request. The server keeps no secret that could be
// copied to another machine and replayed; a captured request is refused
// again by its nonce, and a stale one by its timestamp.
//
// A signed request carries four headers:
//
//	X-Yuncang-Device:           the device id (a decimal number)
//	X-Yuncang-Device-Time:      Unix seconds when the request was signed
//	X-Yuncang-Device-Nonce:     16–64 characters [A-Za-z0-9_-], never reused
//	X-Yuncang-Device-Signature: base64 (standard, padded) Ed25519 signature
//
// over the message (lines joined by "\n", no trailing newline)
//
//	yuncang-device-v1
//	<device id>
//	<METHOD>
//	<request URI: escaped path and raw query, as sent>
//	<lowercase hex SHA-256 of the body (of the empty string if none)>
//	<time>
//	<nonce>
package devicekey

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names.
const (
	HeaderDevice    = "X-Yuncang-Device"
	HeaderTime      = "X-Yuncang-Device-Time"
	HeaderNonce     = "X-Yuncang-Device-Nonce"
	HeaderSignature = "X-Yuncang-Device-Signature"
)

// MaxSkew is how far a request's time may be from the server's clock; the
// server remembers nonces at least this long on either side.
const MaxSkew = 5 * time.Minute

// Message is the byte string a device signs.
func Message(deviceID int64, method, requestURI string, body []byte, unix int64, nonce string) []byte {
	sum := sha256.Sum256(body)
	return []byte(strings.Join([]string{"yuncang-device-v1", strconv.FormatInt(deviceID, 10), method, requestURI,
		hex.EncodeToString(sum[:]), strconv.FormatInt(unix, 10), nonce}, "\n"))
}

// Generate makes a device's key pair; the private key never leaves the device.
func Generate() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	return ed25519.GenerateKey(rand.Reader)
}

// EncodePrivate writes a private key as base64 of its 32-byte seed.
func EncodePrivate(k ed25519.PrivateKey) string { return base64.StdEncoding.EncodeToString(k.Seed()) }

// ParsePrivate reads a key written by EncodePrivate.
func ParsePrivate(s string) (ed25519.PrivateKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.SeedSize {
		return nil, errors.New("devicekey: a private key is base64 of a 32-byte Ed25519 seed")
	}
	return ed25519.NewKeyFromSeed(b), nil
}

// EncodePublic writes a public key as base64, as enrolment takes it.
func EncodePublic(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) }

// ParsePublic reads a public key as enrolment takes it.
func ParsePublic(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, errors.New("devicekey: a public key is base64 of 32 bytes (Ed25519)")
	}
	return ed25519.PublicKey(b), nil
}

// NewNonce returns a fresh random nonce.
func NewNonce() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Signer signs requests as one device: the client side, used by the CLI,
// the demo's instructions, the red team and tests.
type Signer struct {
	DeviceID int64
	Key      ed25519.PrivateKey
	Now      func() time.Time // defaults to time.Now
}

// Sign sets the device headers on req for the given body.
func (s *Signer) Sign(req *http.Request, body []byte) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts, nonce := now().Unix(), NewNonce()
	sig := ed25519.Sign(s.Key, Message(s.DeviceID, req.Method, req.URL.RequestURI(), body, ts, nonce))
	req.Header.Set(HeaderDevice, strconv.FormatInt(s.DeviceID, 10))
	req.Header.Set(HeaderTime, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
}

// Signed is what a request's device headers claim, parsed.
type Signed struct {
	DeviceID  int64
	Unix      int64
	Nonce     string
	Signature []byte
}

// Parse reads the device headers; ok is false when the request carries none.
func Parse(h http.Header) (s Signed, ok bool, err error) {
	id := h.Get(HeaderDevice)
	if id == "" {
		return s, false, nil
	}
	if s.DeviceID, err = strconv.ParseInt(id, 10, 64); err != nil || s.DeviceID <= 0 {
		return s, true, errors.New(HeaderDevice + " must be a device id")
	}
	if s.Unix, err = strconv.ParseInt(h.Get(HeaderTime), 10, 64); err != nil {
		return s, true, errors.New(HeaderTime + " must be Unix seconds")
	}
	s.Nonce = h.Get(HeaderNonce)
	if len(s.Nonce) < 16 || len(s.Nonce) > 64 || strings.Trim(s.Nonce, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
		return s, true, errors.New(HeaderNonce + " must be 16 to 64 characters A-Z a-z 0-9 _ -")
	}
	if s.Signature, err = base64.StdEncoding.DecodeString(h.Get(HeaderSignature)); err != nil || len(s.Signature) != ed25519.SignatureSize {
		return s, true, errors.New(HeaderSignature + " must be a base64 Ed25519 signature")
	}
	return s, true, nil
}

// Verify checks the signature of a request against the device's public key.
func (s Signed) Verify(pub ed25519.PublicKey, method, requestURI string, body []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, Message(s.DeviceID, method, requestURI, body, s.Unix, s.Nonce), s.Signature)
}

// Fresh reports whether the signing time is within MaxSkew of now.
func (s Signed) Fresh(now time.Time) bool {
	d := now.Sub(time.Unix(s.Unix, 0))
	return d <= MaxSkew && d >= -MaxSkew
}
