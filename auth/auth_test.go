package auth

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=3,p=1$") {
		t.Fatalf("hash format: %s", h)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapl": false, "": false} {
		ok, err := VerifyPassword(h, pw)
		if err != nil || ok != want {
			t.Errorf("verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "plaintext"} {
		if _, err := VerifyPassword(bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

func TestPasswordPolicy(t *testing.T) {
	for pw, ok := range map[string]bool{
		"Tr0ub4dor&3-horse":   true,
		"short1!":             false,
		"aaaaaaaaaaaaaaaa":    false,
		"MyPassword123456":    false, // built on "password"
		"alice-is-the-best":   false, // contains the username
		"Mx-7-short-names-ok": true,
		"仓库安全第一，数据不外泄":        true,
	} {
		err := CheckPasswordPolicy("alice", pw)
		if (err == nil) != ok {
			t.Errorf("policy(%q) = %v, want ok=%v", pw, err, ok)
		}
		if err != nil && strings.Contains(err.Error(), pw) {
			t.Errorf("policy error echoes the password")
		}
	}
}

func TestTokens(t *testing.T) {
	a, ha := NewToken(false)
	b, hb := NewToken(true)
	if !strings.HasPrefix(a, "ycs_") || !strings.HasPrefix(b, "yct_") || !LooksLikeToken(a) || !LooksLikeToken(b) {
		t.Fatalf("tokens %q %q", a, b)
	}
	if string(ha) == string(hb) || string(HashToken(a)) != string(ha) || len(ha) != 32 {
		t.Fatal("token hashes wrong")
	}
	if LooksLikeToken("ycs_short") || LooksLikeToken("Bearer x") {
		t.Fatal("malformed token accepted")
	}
}

func TestThrottle(t *testing.T) {
	th := NewThrottle(3, time.Minute)
	t0 := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if locked, _ := th.Locked("u", t0); locked {
			t.Fatalf("locked after %d failures", i)
		}
		th.Fail("u", t0.Add(time.Duration(i)*time.Second))
	}
	locked, until := th.Locked("u", t0.Add(3*time.Second))
	if !locked || !until.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after 3 failures: locked=%v until=%v", locked, until)
	}
	if locked, _ := th.Locked("other", t0); locked {
		t.Fatal("lockout leaked to another key")
	}
	if locked, _ := th.Locked("u", t0.Add(59*time.Second)); !locked {
		t.Fatal("unlocked while all failures are still in the window")
	}
	if locked, _ := th.Locked("u", t0.Add(2*time.Minute)); locked {
		t.Fatal("still locked after the window")
	}
	th.Fail("u", t0)
	th.Reset("u")
	if locked, _ := th.Locked("u", t0); locked {
		t.Fatal("reset did not clear")
	}
}
