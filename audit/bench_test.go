package audit

import (
	"crypto/sha256"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// The bound is Verify over 1,000,000 records within 3× of a plain
// SHA-256 pass over the same bytes. Compare BenchmarkVerify1M with
// BenchmarkPlainSHA256_1M (same bytes, same run); `yuncang bench` prints the
// ratio via BenchVerify.

const benchN = 1_000_000

type benchSet struct {
	recs []Record
	cps  []Checkpoint
	v    note.Verifier
}

// benchData is built once: a million events take seconds to generate.
var benchData = sync.OnceValue(func() benchSet {
	recs, cps, v, err := benchLog(benchN)
	if err != nil {
		panic(err)
	}
	return benchSet{recs, cps, v}
})

func (s benchSet) bytes() (n int64) {
	for _, r := range s.recs {
		n += int64(len(r.Data))
	}
	return n
}

func BenchmarkVerify1M(b *testing.B) {
	d := benchData()
	b.SetBytes(d.bytes())
	b.ResetTimer()
	for b.Loop() {
		rep := Verify(func(yield func(Record, error) bool) {
			for _, r := range d.recs {
				if !yield(r, nil) {
					return
				}
			}
		}, d.cps, d.cps, d.v)
		if !rep.OK() {
			b.Fatal(rep.String())
		}
	}
}

func BenchmarkPlainSHA256_1M(b *testing.B) {
	d := benchData()
	b.SetBytes(d.bytes())
	b.ResetTimer()
	for b.Loop() {
		h := sha256.New()
		for _, r := range d.recs {
			h.Write(r.Data)
		}
		h.Sum(nil)
	}
}
