package audit

import (
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

func TestSignNext(t *testing.T) {
	k := newTestKeys(t)
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	m := newTestLog(t, 40)
	first, err := SignNext(k.signer, k.verifier, Checkpoint{}, 20, m, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := SignNext(k.signer, k.verifier, first, 40, m, now.Add(-time.Hour)); err != nil {
		t.Fatalf("extending an honest log: %v", err)
	}
	if c, err := SignNext(k.signer, k.verifier, first, 20, m, now); err != nil || c.Root != first.Root {
		t.Fatalf("re-signing the same size: %v", err)
	}

	tests := []struct {
		name   string
		tamper func(m *MemLog) *MemLog
		size   int64
	}{
		{"truncated", func(m *MemLog) *MemLog { return m }, 10},
		{"record rewritten with all hashes recomputed", func(m *MemLog) *MemLog {
			forgedLog := &MemLog{}
			for i, r := range m.Rows {
				data := r.Data
				if i == 5 {
					data = forged(5)
				}
				if err := forgedLog.AppendEncoded(data); err != nil {
					t.Fatal(err)
				}
			}
			return forgedLog
		}, 40},
		{"stored subtree hash edited", func(m *MemLog) *MemLog {
			// The root of records [0, 32), which the tree of 40 is built on.
			m.Hashes[tlog.StoredHashIndex(5, 0)][0] ^= 1
			return m
		}, 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.tamper(newTestLog(t, 40))
			if _, err := SignNext(k.signer, k.verifier, first, tt.size, m, now); err == nil {
				t.Fatal("SignNext signed a tampered log")
			}
		})
	}
	unsigned := first
	unsigned.Note = []byte("junk")
	if _, err := SignNext(k.signer, k.verifier, unsigned, 40, m, now); err == nil {
		t.Fatal("SignNext trusted an unverifiable previous checkpoint")
	}
}
