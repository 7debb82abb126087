package auth

import (
	"context"
	"sync"
	"time"
)

// FailureStore keeps failed logins where every server process sees them,
// so that N servers lock out exactly as one does and a restart forgets
// nothing. Storage implements it (sqlstore); MemoryFailures is for tests.
type FailureStore interface {
	// LoginFailures returns the times of key's newest n failures after
	// since, newest first.
	LoginFailures(ctx context.Context, key string, since time.Time, n int) ([]time.Time, error)
	// AddLoginFailure records one failure at `at` under each key and may
	// forget failures older than pruneBefore.
	AddLoginFailure(ctx context.Context, keys []string, at, pruneBefore time.Time) error
	// ClearLoginFailures forgets key's failures.
	ClearLoginFailures(ctx context.Context, key string) error
}

// Throttle is one lockout rule: Limit failures under a key within a sliding
// Window lock the key until the oldest of them leaves the window.
type Throttle struct {
	Limit  int
	Window time.Duration
}

// Lockout counts failed logins and second-factor attempts under three keys:
// the account from one source address (the ordinary guesser), the account
// from anywhere (a guesser spread over many addresses), and the source
// address alone with a much higher ceiling, since behind a proxy or a
// shop's NAT many people share one address and one of them mistyping must
// not lock out all the others.
type Lockout struct {
	Store         FailureStore
	AccountSource Throttle
	Account       Throttle
	Source        Throttle
	// Enrolment counts failed redemptions of enrolment codes per source
	// address: no account is named, so only the address can be held back.
	Enrolment Throttle
}

// DefaultLockout: 5 failures of one account from one address, 20 of one
// account from anywhere, 200 from one address across accounts, each in 15
// minutes.
func DefaultLockout(store FailureStore) *Lockout {
	return &Lockout{Store: store,
		AccountSource: Throttle{Limit: 5, Window: 15 * time.Minute},
		Account:       Throttle{Limit: 20, Window: 15 * time.Minute},
		Source:        Throttle{Limit: 200, Window: 15 * time.Minute},
		Enrolment:     Throttle{Limit: 20, Window: 15 * time.Minute}}
}

// Which lock held a login back.
const (
	LockedAccount = "account"
	LockedSource  = "source"
)

func accountKey(username string) string            { return "a|" + username }
func accountSourceKey(username, src string) string { return "as|" + username + "|" + src }
func sourceKey(src string) string                  { return "s|" + src }
func enrolmentKey(src string) string               { return "e|" + src }

// locked reports whether key has reached t's limit at now.
func (l *Lockout) locked(ctx context.Context, t Throttle, key string, now time.Time) (bool, error) {
	if t.Limit <= 0 {
		return false, nil
	}
	fs, err := l.Store.LoginFailures(ctx, key, now.Add(-t.Window), t.Limit)
	if err != nil {
		return false, err
	}
	return len(fs) >= t.Limit, nil
}

// Check says which lock, if any, holds back a login to username from
// source ("" when none). Storage errors are returned: the caller refuses.
func (l *Lockout) Check(ctx context.Context, username, source string, now time.Time) (string, error) {
	if ok, err := l.locked(ctx, l.Source, sourceKey(source), now); err != nil || ok {
		return LockedSource, err
	}
	if ok, err := l.locked(ctx, l.AccountSource, accountSourceKey(username, source), now); err != nil || ok {
		return LockedAccount, err
	}
	if ok, err := l.locked(ctx, l.Account, accountKey(username), now); err != nil || ok {
		return LockedAccount, err
	}
	return "", nil
}

// Fail counts one failure against all three keys.
func (l *Lockout) Fail(ctx context.Context, username, source string, now time.Time) error {
	longest := max(l.AccountSource.Window, l.Account.Window, l.Source.Window)
	return l.Store.AddLoginFailure(ctx, []string{accountSourceKey(username, source), accountKey(username), sourceKey(source)}, now, now.Add(-longest))
}

// Succeed forgets the account's failures after a successful login (the
// source's stay: they may be other accounts').
func (l *Lockout) Succeed(ctx context.Context, username, source string) error {
	if err := l.Store.ClearLoginFailures(ctx, accountSourceKey(username, source)); err != nil {
		return err
	}
	return l.Store.ClearLoginFailures(ctx, accountKey(username))
}

// EnrolmentLocked reports whether source has too many failed enrolment-code
// redemptions.
func (l *Lockout) EnrolmentLocked(ctx context.Context, source string, now time.Time) (bool, error) {
	return l.locked(ctx, l.Enrolment, enrolmentKey(source), now)
}

// FailEnrolment counts a failed enrolment-code redemption from source.
func (l *Lockout) FailEnrolment(ctx context.Context, source string, now time.Time) error {
	return l.Store.AddLoginFailure(ctx, []string{enrolmentKey(source)}, now, now.Add(-l.Enrolment.Window))
}

// MemoryFailures is a FailureStore in this process's memory only.
type MemoryFailures struct {
	mu sync.Mutex
	m  map[string][]time.Time
}

// NewMemoryFailures returns an empty in-process failure store.
func NewMemoryFailures() *MemoryFailures { return &MemoryFailures{m: map[string][]time.Time{}} }

// LoginFailures implements FailureStore.
func (s *MemoryFailures) LoginFailures(_ context.Context, key string, since time.Time, n int) ([]time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []time.Time
	fs := s.m[key]
	for i := len(fs) - 1; i >= 0 && len(out) < n; i-- {
		if fs[i].After(since) {
			out = append(out, fs[i])
		}
	}
	return out, nil
}

// AddLoginFailure implements FailureStore.
func (s *MemoryFailures) AddLoginFailure(_ context.Context, keys []string, at, pruneBefore time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		fs := s.m[k]
		i := 0
		for i < len(fs) && fs[i].Before(pruneBefore) {
			i++
		}
		s.m[k] = append(fs[i:], at)
	}
	return nil
}

// ClearLoginFailures implements FailureStore.
func (s *MemoryFailures) ClearLoginFailures(_ context.Context, key string) error {
	s.mu.Lock()
	delete(s.m, key)
	s.mu.Unlock()
	return nil
}
