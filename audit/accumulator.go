package audit

import (
	"crypto/sha256"
	"hash"

	"golang.org/x/mod/sumdb/tlog"
)

// accumulator computes RFC 6962 roots of a growing log in one pass with
// O(log n) memory: a compact range holding the roots of the perfect subtrees
// that make up the first n leaves, largest first. It is what lets Verify
// stream a million records and still produce the root at every checkpoint
// size it passes.
type accumulator struct {
	n     int64
	stack []tlog.Hash // perfect subtree roots, sizes decreasing powers of two
	leaf  hash.Hash   // reused: tlog.RecordHash allocates a new hasher per call
	sum   []byte      // reused Sum destination, so the result does not escape
	buf   [1 + 2*tlog.HashSize]byte
}

func newAccumulator() *accumulator {
	return &accumulator{leaf: sha256.New(), sum: make([]byte, 0, tlog.HashSize), stack: make([]tlog.Hash, 0, 64)}
}

// leafHash is tlog.RecordHash without the allocation.
func (a *accumulator) leafHash(data []byte) tlog.Hash {
	a.leaf.Reset()
	a.leaf.Write(zeroByte[:])
	a.leaf.Write(data)
	return tlog.Hash(a.leaf.Sum(a.sum[:0]))
}

var zeroByte = [1]byte{0}

// add appends a leaf hash. Each trailing one bit of n is a completed subtree
// to merge with the new leaf, exactly as a binary counter carries.
func (a *accumulator) add(h tlog.Hash) {
	for c := a.n; c&1 == 1; c >>= 1 {
		top := len(a.stack) - 1
		h = a.node(a.stack[top], h)
		a.stack = a.stack[:top]
	}
	a.stack = append(a.stack, h)
	a.n++
}

func (a *accumulator) node(l, r tlog.Hash) tlog.Hash {
	a.buf[0] = 1
	copy(a.buf[1:], l[:])
	copy(a.buf[1+tlog.HashSize:], r[:])
	return sha256.Sum256(a.buf[:])
}

// root returns the RFC 6962 root of the leaves added so far: the subtree
// roots folded from the right, which is how RFC 6962 splits a tree whose size
// is not a power of two.
func (a *accumulator) root() tlog.Hash {
	if len(a.stack) == 0 {
		return sha256.Sum256(nil)
	}
	h := a.stack[len(a.stack)-1]
	for i := len(a.stack) - 2; i >= 0; i-- {
		h = a.node(a.stack[i], h)
	}
	return h
}
