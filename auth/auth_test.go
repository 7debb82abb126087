package auth

import (
	"context"
	"fmt"
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

func TestLockout(t *testing.T) {
	ctx := context.Background()
	l := DefaultLockout(NewMemoryFailures())
	l.AccountSource.Limit, l.Account.Limit, l.Source.Limit = 3, 5, 8
	l.AccountSource.Window, l.Account.Window, l.Source.Window = time.Minute, time.Minute, time.Minute
	t0 := time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)
	check := func(user, src string, at time.Time) string {
		t.Helper()
		why, err := l.Check(ctx, user, src, at)
		if err != nil {
			t.Fatal(err)
		}
		return why
	}
	for i := 0; i < 3; i++ {
		if why := check("u", "1.1.1.1", t0); why != "" {
			t.Fatalf("locked (%s) after %d failures", why, i)
		}
		l.Fail(ctx, "u", "1.1.1.1", t0.Add(time.Duration(i)*time.Second))
	}
	if why := check("u", "1.1.1.1", t0.Add(3*time.Second)); why != LockedAccount {
		t.Fatalf("after 3 failures from one address: %q", why)
	}
	// The same account from another address (the real person behind
	// another proxy) is not locked out by one guesser...
	if why := check("u", "2.2.2.2", t0.Add(3*time.Second)); why != "" {
		t.Fatalf("one address's failures locked the account everywhere: %q", why)
	}
	// ...until the account's own ceiling, reached from many addresses.
	l.Fail(ctx, "u", "3.3.3.3", t0.Add(4*time.Second))
	l.Fail(ctx, "u", "4.4.4.4", t0.Add(5*time.Second))
	if why := check("u", "2.2.2.2", t0.Add(6*time.Second)); why != LockedAccount {
		t.Fatalf("5 failures from many addresses: %q", why)
	}
	// Other accounts behind the guesser's address still log in until the
	// much higher per-address ceiling.
	if why := check("v", "1.1.1.1", t0.Add(6*time.Second)); why != "" {
		t.Fatalf("address lock at 3 failures: %q", why)
	}
	for i := 0; i < 5; i++ {
		l.Fail(ctx, fmt.Sprintf("n%d", i), "1.1.1.1", t0.Add(7*time.Second))
	}
	if why := check("v", "1.1.1.1", t0.Add(8*time.Second)); why != LockedSource {
		t.Fatalf("8 failures from one address: %q", why)
	}
	if why := check("u", "1.1.1.1", t0.Add(2*time.Minute)); why != "" {
		t.Fatalf("still locked after the window: %q", why)
	}
	// Enrolment codes: counted per address under their own key and limit.
	l.Enrolment.Limit = 2
	for i := 0; i < 2; i++ {
		if locked, _ := l.EnrolmentLocked(ctx, "6.6.6.6", t0); locked {
			t.Fatalf("enrolment locked after %d failures", i)
		}
		l.FailEnrolment(ctx, "6.6.6.6", t0)
	}
	if locked, _ := l.EnrolmentLocked(ctx, "6.6.6.6", t0); !locked {
		t.Fatal("enrolment not locked at its limit")
	}
	if why := check("z", "6.6.6.6", t0); why != "" {
		t.Fatalf("enrolment failures locked logins: %q", why)
	}
	l.Fail(ctx, "w", "5.5.5.5", t0)
	l.Fail(ctx, "w", "5.5.5.5", t0)
	l.Fail(ctx, "w", "5.5.5.5", t0)
	l.Succeed(ctx, "w", "5.5.5.5")
	if why := check("w", "5.5.5.5", t0); why != "" {
		t.Fatalf("a successful login did not clear the account: %q", why)
	}
}
