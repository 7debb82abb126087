package audit

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// fixture is a 100-record log with checkpoints at 25, 50, 75 and 100, each
// both stored in the "database" and published outside it.
type fixture struct {
	keys      testKeys
	log       *MemLog
	stored    []Checkpoint
	published []Checkpoint
}

const fixtureSize = 100

func newFixture(t *testing.T) *fixture {
	f := &fixture{keys: newTestKeys(t), log: newTestLog(t, fixtureSize)}
	for _, s := range []int64{25, 50, 75, 100} {
		c := f.keys.checkpoint(t, f.log, s)
		f.stored = append(f.stored, c)
		f.published = append(f.published, c)
	}
	return f
}

// forged makes a valid-looking event for index i, as an insider would.
func forged(i int64) []byte {
	ev := newEventGen(999).next(i)
	ev.Detail = "nothing to see here"
	return ev.Encode()
}

// row makes a complete, self-consistent row: an attacker with database
// access can compute leaf hashes as well as we can.
func row(i int64, data []byte) Record { return Record{Index: i, Data: data, LeafHash: LeafHash(data)} }

// editByte flips a byte near the end of a record (inside Detail), leaving
// the stored leaf hash alone unless fixHash.
func (f *fixture) editByte(i int, fixHash bool) {
	r := &f.log.Rows[i]
	r.Data = append([]byte{}, r.Data...)
	r.Data[len(r.Data)-3] ^= 0x01
	if fixHash {
		r.LeafHash = LeafHash(r.Data)
	}
}

// rewrite rebuilds the whole log with record i changed, recomputing every
// hash, as an administrator with the time and skill would.
func (f *fixture) rewrite(t *testing.T, i int) {
	m := &MemLog{}
	for _, r := range f.log.Rows {
		data := r.Data
		if r.Index == int64(i) {
			ev, err := DecodeEvent(data)
			if err != nil {
				t.Fatal(err)
			}
			ev.Detail = "nothing to see here"
			data = ev.Encode()
		}
		if err := m.AppendEncoded(data); err != nil {
			t.Fatal(err)
		}
	}
	f.log = m
}

type want struct {
	kind       Kind
	index, end int64
}

func TestVerifyTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(t *testing.T, f *fixture)
		want   []want
	}{
		{"intact", func(*testing.T, *fixture) {}, nil},
		{"edit one byte", func(t *testing.T, f *fixture) { f.editByte(42, false) }, []want{
			{KindModified, 42, 43},
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50}, // stored and published
		}},
		{"edit one byte and fix the leaf hash column", func(t *testing.T, f *fixture) { f.editByte(42, true) }, []want{
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50},
		}},
		{"edit the embedded index", func(t *testing.T, f *fixture) {
			d := append([]byte{}, f.log.Rows[42].Data...)
			d[indexOffset+7] ^= 0x01 // 42 -> 43
			f.log.Rows[42].Data = d
		}, []want{
			{KindModified, 42, 43},
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50},
		}},
		{"delete a row", func(t *testing.T, f *fixture) {
			f.log.Rows = slices.Delete(f.log.Rows, 42, 43)
		}, []want{
			{KindDeleted, 42, 43},
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50},
			{KindTruncated, 99, 100},
		}},
		{"delete a row and renumber the rest", func(t *testing.T, f *fixture) {
			f.log.Rows = slices.Delete(f.log.Rows, 42, 43)
			for i := 42; i < len(f.log.Rows); i++ {
				f.log.Rows[i].Index = int64(i)
			}
		}, []want{
			{KindDeleted, 42, 43},
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50},
			{KindTruncated, 99, 100},
		}},
		{"delete the second-to-last row and renumber", func(t *testing.T, f *fixture) {
			f.log.Rows = slices.Delete(f.log.Rows, 98, 99)
			f.log.Rows[98].Index = 98
		}, []want{
			{KindDeleted, 98, 99},
			{KindTruncated, 99, 100},
		}},
		{"insert a row under an existing index", func(t *testing.T, f *fixture) {
			f.log.Rows = slices.Insert(f.log.Rows, 43, row(42, forged(42)))
		}, []want{
			{KindInserted, 42, 43},
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50},
		}},
		{"insert a row and renumber the rest", func(t *testing.T, f *fixture) {
			f.log.Rows = slices.Insert(f.log.Rows, 42, row(42, forged(42)))
			for i := 43; i < len(f.log.Rows); i++ {
				f.log.Rows[i].Index = int64(i)
			}
		}, []want{
			{KindInserted, 42, 43},
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50},
		}},
		{"swap two records' contents", func(t *testing.T, f *fixture) {
			r := f.log.Rows
			r[10].Data, r[60].Data = r[60].Data, r[10].Data
		}, []want{
			{KindReordered, 10, 11}, {KindReordered, 60, 61},
			{KindRootMismatch, 0, 25}, {KindRootMismatch, 0, 25},
		}},
		{"swap two whole rows with their hashes", func(t *testing.T, f *fixture) {
			r := f.log.Rows
			r[10].Data, r[60].Data = r[60].Data, r[10].Data
			r[10].LeafHash, r[60].LeafHash = r[60].LeafHash, r[10].LeafHash
		}, []want{
			{KindReordered, 10, 11}, {KindReordered, 60, 61},
			{KindRootMismatch, 0, 25}, {KindRootMismatch, 0, 25},
		}},
		{"swap neighbours", func(t *testing.T, f *fixture) {
			r := f.log.Rows
			r[30], r[31] = r[31], r[30]
			r[30].Index, r[31].Index = 30, 31
		}, []want{
			{KindReordered, 30, 31}, {KindReordered, 31, 32},
			{KindRootMismatch, 25, 50}, {KindRootMismatch, 25, 50},
		}},
		{"truncate the tail", func(t *testing.T, f *fixture) {
			f.log.Rows = f.log.Rows[:90]
		}, []want{
			{KindTruncated, 90, 100},
		}},
		{"truncate the tail and the stored checkpoint", func(t *testing.T, f *fixture) {
			f.log.Rows = f.log.Rows[:90]
			f.stored = f.stored[:3]
		}, []want{
			{KindTruncated, 90, 100},
		}},
		{"rewrite everything consistently and re-sign after publication", func(t *testing.T, f *fixture) {
			f.rewrite(t, 42)
			for i, c := range f.stored {
				f.stored[i] = f.keys.checkpoint(t, f.log, c.Size)
			}
		}, []want{
			{KindRewritten, 25, 50},
			{KindFork, -1, -1}, {KindFork, -1, -1}, {KindFork, -1, -1},
		}},
		{"rewrite everything and delete the stored checkpoints", func(t *testing.T, f *fixture) {
			f.rewrite(t, 42)
			f.stored = nil
		}, []want{
			{KindRootMismatch, 25, 50},
		}},
		{"only checkpoints: no stored leaf hashes", func(t *testing.T, f *fixture) {
			for i := range f.log.Rows {
				f.log.Rows[i].LeafHash = tlog.Hash{}
			}
			f.editByte(60, false)
		}, []want{
			{KindRootMismatch, 50, 75}, {KindRootMismatch, 50, 75},
		}},
		{"stored checkpoint replaced with one signed by another key", func(t *testing.T, f *fixture) {
			f.rewrite(t, 80)
			f.stored[3] = newTestKeys(t).checkpoint(t, f.log, 100)
		}, []want{
			{KindForgedCheckpoint, -1, -1},
			{KindRootMismatch, 75, 100}, // the published checkpoint still disagrees
		}},
		{"published checkpoint with its signature stripped", func(t *testing.T, f *fixture) {
			body, _, _ := strings.Cut(string(f.published[1].Note), "\n\n")
			f.published[1].Note = []byte(body + "\n\n")
		}, []want{
			{KindForgedCheckpoint, -1, -1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.tamper(t, f)
			rep := Verify(f.log.Records(), f.stored, f.published, f.keys.verifier)
			var got []want
			for _, p := range rep.Problems {
				got = append(got, want{p.Kind, p.Index, p.End})
			}
			if !sameSet(got, tt.want) {
				t.Fatalf("got problems %v, want %v\n%s", got, tt.want, rep.String())
			}
			if tt.want == nil && (rep.Records != fixtureSize || rep.Checkpoints != 8) {
				t.Fatalf("intact log: %s", rep.String())
			}
		})
	}
}

func sameSet(a, b []want) bool {
	key := func(w want) string { return fmt.Sprintf("%s/%d/%d", w.kind, w.index, w.end) }
	ka, kb := make([]string, len(a)), make([]string, len(b))
	for i := range a {
		ka[i] = key(a[i])
	}
	for i := range b {
		kb[i] = key(b[i])
	}
	slices.Sort(ka)
	slices.Sort(kb)
	return slices.Equal(ka, kb)
}

func TestVerifyProblemDetail(t *testing.T) {
	f := newFixture(t)
	f.rewrite(t, 42)
	for i, c := range f.stored {
		f.stored[i] = f.keys.checkpoint(t, f.log, c.Size)
	}
	rep := Verify(f.log.Records(), f.stored, f.published, f.keys.verifier)
	s := rep.String()
	for _, w := range []string{"rewritten in indexes [25, 50) (published checkpoint of size 50)", "fork", "compromised"} {
		if !strings.Contains(s, w) {
			t.Errorf("report lacks %q:\n%s", w, s)
		}
	}
}

// A swap is named as a swap, with its partner, not merely as two moves.
func TestVerifySwapDetail(t *testing.T) {
	f := newFixture(t)
	r := f.log.Rows
	r[10].Data, r[60].Data = r[60].Data, r[10].Data
	rep := Verify(f.log.Records(), f.stored, f.published, f.keys.verifier)
	for _, w := range []string{"reordered at index 10: swapped with index 60", "reordered at index 60: swapped with index 10"} {
		if !strings.Contains(rep.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, rep.String())
		}
	}
}

func TestVerifyReadError(t *testing.T) {
	f := newFixture(t)
	recs := func(yield func(Record, error) bool) {
		for i, r := range f.log.Rows {
			if i == 60 {
				yield(Record{}, fmt.Errorf("connection reset"))
				return
			}
			if !yield(r, nil) {
				return
			}
		}
	}
	rep := Verify(recs, f.stored, nil, f.keys.verifier)
	if !rep.Has(KindReadError, 60) || !rep.Has(KindTruncated, 60) {
		t.Fatalf("read error not reported:\n%s", rep.String())
	}
}

func TestBenchVerifySmall(t *testing.T) {
	v, h, err := BenchVerify(2000)
	if err != nil || v <= 0 || h <= 0 {
		t.Fatalf("BenchVerify = %v, %v, %v", v, h, err)
	}
}
