package label

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang/pii"
)

func TestTokenRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 28, 10, 21, 0, 0, time.UTC)
	for _, waybill := range []string{"73902468013579", "SF1234567890123", "JT-0001", "A.B"} {
		tok := SignToken(testKey, waybill, at)
		got, issued, err := VerifyToken(testKey, tok)
		if err != nil || got != waybill || !issued.Equal(at) {
			t.Errorf("VerifyToken(SignToken(%q)) = %q, %v, %v", waybill, got, issued, err)
		}
	}
}

func TestTokenRejects(t *testing.T) {
	at := time.Unix(1795832460, 0)
	tok := SignToken(testKey, "73902468013579", at)
	other := SignToken(testKey, "73902468013580", at)
	i := strings.LastIndexByte(tok, '.')
	tests := map[string]string{
		"empty":          "",
		"other prefix":   "YC2" + tok[3:],
		"waybill edited": strings.Replace(tok, "73902468013579", "73902468013580", 1),
		"time edited":    strings.Replace(tok, "1795832460", "1795832461", 1),
		"mac swapped":    tok[:i] + other[strings.LastIndexByte(other, '.'):],
		"mac cut":        tok[:len(tok)-2],
		"no mac":         tok[:i],
		"mac not base32": tok[:i+1] + strings.Repeat("a", 26),
	}
	for name, bad := range tests {
		if _, _, err := VerifyToken(testKey, bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("%s: err = %v, want ErrBadToken", name, err)
		}
	}
	if _, _, err := VerifyToken([]byte("another-key-0123456789abcdef!!!"), tok); !errors.Is(err, ErrBadToken) {
		t.Errorf("other key: err = %v, want ErrBadToken", err)
	}
	if _, _, err := VerifyToken([]byte("short"), tok); err == nil {
		t.Error("short key accepted")
	}
}

func TestSignTokenPanicsOnShortKey(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SignToken accepted a 5-byte key")
		}
	}()
	SignToken([]byte("short"), "73902468013579", time.Now())
}

// TestTokenCarriesNoPersonalData: the token is waybill, time and MAC in QR
// alphanumeric characters, nothing derived from the recipient.
func TestTokenCarriesNoPersonalData(t *testing.T) {
	tok := SignToken(testKey, "73902468013579", time.Unix(1795832460, 0))
	if n := len(pii.Scan(tok)); n != 0 {
		t.Errorf("token %q holds %d phone or ID numbers", tok, n)
	}
	for _, c := range tok {
		if !strings.ContainsRune("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ.", c) {
			t.Fatalf("token %q has %q, outside the QR alphanumeric set", tok, c)
		}
	}
	if qrModules(tok) != 29 {
		t.Errorf("token needs a %d-module QR code, want version 3 (29)", qrModules(tok))
	}
}
