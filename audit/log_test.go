package audit

import (
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type testKeys struct {
	signer   note.Signer
	verifier note.Verifier
}

func newTestKeys(t testing.TB) testKeys {
	t.Helper()
	skey, vkey, err := GenerateKey("test.yuncang.invalid/audit")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(skey + "\n")
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(" " + vkey + "\n")
	if err != nil {
		t.Fatal(err)
	}
	return testKeys{s, v}
}

// newTestLog appends n generated events to a MemLog.
func newTestLog(t testing.TB, n int) *MemLog {
	t.Helper()
	m := &MemLog{}
	gen := newEventGen(uint64(n))
	for i := range n {
		if _, err := m.Append(gen.next(int64(i))); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	return m
}

func (k testKeys) checkpoint(t testing.TB, m *MemLog, size int64) Checkpoint {
	t.Helper()
	root, err := TreeHash(size, m)
	if err != nil {
		t.Fatal(err)
	}
	c, err := SignCheckpoint(k.signer, size, root, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC).Add(time.Duration(size)*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The accumulator must agree with tlog at every size, including the sizes
// that are not powers of two where RFC 6962 splits unevenly.
func TestAccumulatorMatchesTlog(t *testing.T) {
	m := newTestLog(t, 300)
	acc := newAccumulator()
	if got, want := acc.root(), mustTreeHash(t, 0, m); got != want {
		t.Fatalf("empty root %s, want %s", got, want)
	}
	for i, r := range m.Rows {
		if h := acc.leafHash(r.Data); h != tlog.RecordHash(r.Data) || h != r.LeafHash {
			t.Fatalf("leaf %d hash differs from tlog.RecordHash", i)
		}
		acc.add(acc.leafHash(r.Data))
		if got, want := acc.root(), mustTreeHash(t, int64(i+1), m); got != want {
			t.Fatalf("root at size %d: %s, want %s", i+1, got, want)
		}
	}
}

func mustTreeHash(t testing.TB, n int64, hr HashReader) tlog.Hash {
	t.Helper()
	h, err := TreeHash(n, hr)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestAppendRefusesWrongIndex(t *testing.T) {
	m := newTestLog(t, 3)
	ev := sampleEvent()
	ev.Index = 2 // the log holds 3, so the next index is 3
	if err := m.AppendEncoded(ev.Encode()); err == nil {
		t.Fatal("appending a record that carries index 2 as record 3 succeeded")
	}
	if err := m.AppendEncoded([]byte("not an event")); err == nil {
		t.Fatal("appending a malformed record succeeded")
	}
	bad := sampleEvent()
	bad.Detail = "13800138000"
	if _, err := m.Append(bad); err == nil {
		t.Fatal("appending an event with an unmasked phone succeeded")
	}
	if m.Size() != 3 || int64(len(m.Hashes)) != tlog.StoredHashCount(3) {
		t.Fatalf("refused appends changed the log: size %d, %d hashes", m.Size(), len(m.Hashes))
	}
}

func TestProofs(t *testing.T) {
	m := newTestLog(t, 37)
	for _, size := range []int64{1, 2, 5, 16, 37} {
		root := mustTreeHash(t, size, m)
		for i := int64(0); i < size; i++ {
			p, err := InclusionProof(i, size, m)
			if err != nil {
				t.Fatal(err)
			}
			if err := VerifyInclusion(p, size, root, i, m.Rows[i].Data); err != nil {
				t.Fatalf("inclusion of %d in %d: %v", i, size, err)
			}
			// The proof must not vouch for any other record, nor for this
			// record with one byte changed.
			other := m.Rows[(i+1)%m.Size()].Data
			if err := VerifyInclusion(p, size, root, i, other); err == nil {
				t.Fatalf("proof for %d in %d accepted another record", i, size)
			}
			edited := append([]byte{}, m.Rows[i].Data...)
			edited[len(edited)-1] ^= 1
			if err := VerifyInclusion(p, size, root, i, edited); err == nil {
				t.Fatalf("proof for %d in %d accepted an edited record", i, size)
			}
		}
		for old := int64(1); old <= size; old++ {
			p, err := ConsistencyProof(old, size, m)
			if err != nil {
				t.Fatal(err)
			}
			oldRoot := mustTreeHash(t, old, m)
			if err := VerifyConsistency(p, old, oldRoot, size, root); err != nil {
				t.Fatalf("consistency %d→%d: %v", old, size, err)
			}
			{
				wrong := oldRoot
				wrong[0] ^= 1
				if err := VerifyConsistency(p, old, wrong, size, root); err == nil {
					t.Fatalf("consistency %d→%d accepted a wrong old root", old, size)
				}
			}
		}
	}
	if _, err := InclusionProof(5, 5, m); err == nil {
		t.Fatal("proof for a record beyond the tree succeeded")
	}
	if _, err := ConsistencyProof(6, 5, m); err == nil {
		t.Fatal("consistency proof from a larger tree succeeded")
	}
}
