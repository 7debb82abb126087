package pii

import "slices"

// words is a list of words matched at a position in folded runes. The words
// are decoded once, and a position whose rune starts no word is passed over
// with one bit test: the scanners try every position of every remark.
type words struct {
	list   [][]rune
	firsts []rune     // the runes a word starts with (ASCII letters in both cases)
	starts [][]int    // for each of firsts, the indices in list of the words it starts, in order
	filter runeFilter // firsts, for a quick no
}

// runeFilter is a set of runes hashed to 1024 bits: a rune not in it is
// certainly not in the set it was made from; a rune in it may be.
type runeFilter [16]uint64

func (f *runeFilter) add(c rune) {
	h := uint32(c) & 1023
	f[h>>6] |= 1 << (h & 63)
}

func (f *runeFilter) mayHave(c rune) bool {
	h := uint32(c) & 1023
	return f[h>>6]&(1<<(h&63)) != 0
}

func newWords(ws ...string) words {
	var s words
	first := func(c rune, k int) {
		i := slices.Index(s.firsts, c)
		if i < 0 {
			i = len(s.firsts)
			s.firsts = append(s.firsts, c)
			s.starts = append(s.starts, nil)
			s.filter.add(c)
		}
		s.starts[i] = append(s.starts[i], k)
	}
	for k, w := range ws {
		r := []rune(w)
		s.list = append(s.list, r)
		first(r[0], k)
		if r[0] >= 'a' && r[0] <= 'z' {
			first(r[0]-'a'+'A', k)
		}
	}
	return s
}

// startsWith reports whether some word starts with c (either case for an
// ASCII letter).
func (s *words) startsWith(c rune) bool {
	return s.filter.mayHave(c) && slices.Contains(s.firsts, c)
}

// at returns the index in the list of the first word that r[i:] starts
// with, ignoring ASCII case, and its length; -1 and 0 if none does.
func (s *words) at(r []rune, i int) (int, int) {
	if i >= len(r) || !s.filter.mayHave(r[i]) {
		return -1, 0
	}
	f := slices.Index(s.firsts, r[i])
	if f < 0 {
		return -1, 0
	}
	for _, k := range s.starts[f] {
		if w := s.list[k]; wordAt(r, i, w) {
			return k, len(w)
		}
	}
	return -1, 0
}

// endsAt returns the length of the first word that ends just before r[k],
// or 0.
func (s *words) endsAt(r []rune, k int) int {
	for _, w := range s.list {
		if n := len(w); k >= n && wordAt(r, k-n, w) {
			return n
		}
	}
	return 0
}

// wordAt reports whether r[i:] starts with w (lower-case ASCII matching
// either case).
func wordAt(r []rune, i int, w []rune) bool {
	if len(r)-i < len(w) {
		return false
	}
	for j, c := range w {
		d := r[i+j]
		if d >= 'A' && d <= 'Z' {
			d += 'a' - 'A'
		}
		if d != c {
			return false
		}
	}
	return true
}
