package auth

import (
	"sync"
	"time"
)

// Throttle counts login failures per key (account or source address) in a
// sliding window and locks the key out once the limit is reached.
type Throttle struct {
	Limit  int
	Window time.Duration

	mu       sync.Mutex
	failures map[string][]time.Time
}

// NewThrottle returns a throttle allowing limit failures per window.
func NewThrottle(limit int, window time.Duration) *Throttle {
	return &Throttle{Limit: limit, Window: window, failures: map[string][]time.Time{}}
}

func (t *Throttle) prune(key string, now time.Time) []time.Time {
	fs := t.failures[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= t.Window {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(t.failures, key)
	} else {
		t.failures[key] = fs
	}
	return fs
}

// Locked reports whether key is locked out and until when.
func (t *Throttle) Locked(key string, now time.Time) (bool, time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.prune(key, now)
	if len(fs) >= t.Limit {
		return true, fs[len(fs)-t.Limit].Add(t.Window)
	}
	return false, time.Time{}
}

// Fail records a failure for key.
func (t *Throttle) Fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.prune(key, now)
	if len(fs) > 4*t.Limit { // bound memory under a flood
		fs = fs[len(fs)-4*t.Limit:]
	}
	t.failures[key] = append(fs, now)
}

// Reset forgets key's failures, after a successful login.
func (t *Throttle) Reset(key string) {
	t.mu.Lock()
	delete(t.failures, key)
	t.mu.Unlock()
}
