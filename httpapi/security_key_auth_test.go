package httpapi_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

// A security key at sign-in and step-up goes through the same
// authentication as the one-time code: the password is still checked
// first, a refused key is a failed login (counted, recorded, no session),
// and a key's step-up is recorded on the session exactly as a code's.
func TestSecurityKeyLoginAndStepUp(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	u := f.users["customer_service"]
	calls := 0
	pressed := func(context.Context, *yuncang.User) error { calls++; return nil }
	refused := func(context.Context, *yuncang.User) error {
		calls++
		return &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "key", Message: "not accepted"}
	}
	login := func(password string, key auth.KeyCheck) (*auth.Session, error) {
		return f.auth.Login(ctx, auth.LoginRequest{Username: u.Username, Password: password, Key: key, Source: "192.0.2.7"})
	}

	if _, err := login("wrong-password-123", pressed); yuncang.ErrorCode(err) != yuncang.EUNAUTHORIZED || calls != 0 {
		t.Fatalf("wrong password with a key: %v, key asked %d times; want refused before the key", err, calls)
	}
	if s, err := login(f.password, refused); yuncang.ErrorCode(err) != yuncang.EUNAUTHORIZED || s != nil {
		t.Fatalf("refused key: %v, %v; want refused, no session", s, err)
	}
	fails, err := f.db.Events(ctx, yuncang.EventFilter{UserID: u.ID, Kind: yuncang.EventLoginFailure})
	must(t, err)
	if len(fails) != 2 || fails[0].Detail != "security key not accepted" {
		t.Fatalf("login failures = %d (%+v), want 2, the newest about the key", len(fails), fails)
	}
	s, err := login(f.password, pressed)
	must(t, err)
	a, err := f.auth.Authenticate(ctx, s.Token, nil, "192.0.2.7")
	must(t, err)
	if !f.auth.SteppedUp(a) {
		t.Fatal("a sign-in with a key is a fresh second factor, as one with a code is")
	}

	f.clock.Advance(f.auth.Policy.StepUpWindow + time.Minute)
	a, err = f.auth.Authenticate(ctx, s.Token, nil, "192.0.2.7")
	must(t, err)
	if f.auth.SteppedUp(a) {
		t.Fatal("the step-up did not go stale")
	}
	if err := f.auth.StepUpWithKey(ctx, a, refused); yuncang.ErrorCode(err) != yuncang.EUNAUTHORIZED || f.auth.SteppedUp(a) {
		t.Fatalf("refused key step-up: %v, stepped up %v", err, f.auth.SteppedUp(a))
	}
	internal := yuncang.Internal(errors.New("disk"), "read keys")
	if err := f.auth.StepUpWithKey(ctx, a, func(context.Context, *yuncang.User) error { return internal }); yuncang.ErrorCode(err) != yuncang.EINTERNAL {
		t.Fatalf("a store failure in the key check: %v, want it passed on", err)
	}
	must(t, f.auth.StepUpWithKey(ctx, a, pressed))
	// Recorded on the session (the next request sees it), with its event.
	again, err := f.auth.Authenticate(ctx, s.Token, nil, "192.0.2.7")
	must(t, err)
	if !f.auth.SteppedUp(again) {
		t.Fatal("the key's step-up is not on the session")
	}
	for kind, want := range map[string]int{yuncang.EventStepUp: 1, yuncang.EventStepUpFailure: 1} {
		evs, err := f.db.Events(ctx, yuncang.EventFilter{UserID: u.ID, Kind: kind})
		must(t, err)
		if len(evs) != want {
			t.Errorf("%s events: %d, want %d", kind, len(evs), want)
		}
	}
}
