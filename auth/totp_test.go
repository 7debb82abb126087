package auth

import (
	"testing"
	"time"
)

// RFC 6238 Appendix B test vectors (SHA-1, 8 digits).
func TestHOTPVectorsRFC6238(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		if got := hotp(key, v.unix/30, 8); got != v.code {
			t.Errorf("T=%d: %s, want %s", v.unix, got, v.code)
		}
	}
}

func TestTOTPReplayAndSkew(t *testing.T) {
	secret := NewTOTPSecret()
	now := time.Date(2026, 11, 28, 3, 0, 10, 0, time.UTC)
	code, _ := TOTPCode(secret, now)
	step, ok := CheckTOTP(secret, code, now, 0)
	if !ok || step != TOTPStep(now) {
		t.Fatal("current code refused")
	}
	if _, ok := CheckTOTP(secret, code, now, step); ok {
		t.Fatal("the same code was accepted twice")
	}
	if _, ok := CheckTOTP(secret, code, now.Add(30*time.Second), 0); !ok {
		t.Fatal("one step of skew refused")
	}
	if _, ok := CheckTOTP(secret, code, now.Add(90*time.Second), 0); ok {
		t.Fatal("a code three steps old was accepted")
	}
	if _, ok := CheckTOTP(secret, "12345", now, 0); ok {
		t.Fatal("short code accepted")
	}
	if u := TOTPURI("yuncang", "cs1", secret); u[:15] != "otpauth://totp/" {
		t.Fatalf("uri %s", u)
	}
}
