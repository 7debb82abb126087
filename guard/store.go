package guard

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
)

// Key names one window: an account's (Subject is its id, TenantID its own
// merchant, 0 for platform staff) or a merchant's shared one (Subject 0).
type Key = yuncang.GuardKey

// Windows loads, locks and saves windows: a Store, or a storage transaction
// the caller holds open (see Engine.ObserveIn).
type Windows = yuncang.GuardWindows

// Store keeps the guard's windows where every server process sees them, so
// that N servers enforce exactly the limits of one and a restart forgets
// nothing. The guard decides; the store only loads and saves opaque state.
type Store interface {
	Windows
	// ForgetGuardWindow drops a window.
	ForgetGuardWindow(ctx context.Context, key Key) error
}

// MemoryStore keeps windows in this process only: for tests and for tools
// that run one process with no database.
type MemoryStore struct {
	mu sync.Mutex
	m  map[Key][]byte
}

// NewMemoryStore returns an empty in-process store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{m: map[Key][]byte{}} }

// UpdateGuardWindows implements Store.
func (s *MemoryStore) UpdateGuardWindows(_ context.Context, keys []Key, _ time.Time, fn func([][]byte) ([][]byte, error)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := make([][]byte, len(keys))
	for i, k := range keys {
		in[i] = s.m[k]
	}
	out, err := fn(in)
	if err != nil {
		return err
	}
	for i, k := range keys {
		s.m[k] = out[i]
	}
	return nil
}

// ForgetGuardWindow implements Store.
func (s *MemoryStore) ForgetGuardWindow(_ context.Context, k Key) error {
	s.mu.Lock()
	delete(s.m, k)
	s.mu.Unlock()
	return nil
}

// SortKeys orders keys the way every store locks them, so that two
// transactions locking overlapping windows never wait on each other in a circle.
func SortKeys(keys []Key) {
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].TenantID != keys[j].TenantID {
			return keys[i].TenantID < keys[j].TenantID
		}
		return keys[i].Subject < keys[j].Subject
	})
}
