package pii

// words is a list of words matched at a position in folded runes. The words
// are decoded once, and a position whose rune starts no word is passed over
// with one map lookup: the scanners try every position of every remark.
type words struct {
	list  [][]rune
	first map[rune]bool
}

func newWords(ws ...string) words {
	s := words{first: map[rune]bool{}}
	for _, w := range ws {
		r := []rune(w)
		s.list = append(s.list, r)
		s.first[r[0]] = true
		if r[0] >= 'a' && r[0] <= 'z' {
			s.first[r[0]-'a'+'A'] = true
		}
	}
	return s
}

// at returns the index in the list of the first word that r[i:] starts
// with, ignoring ASCII case, and its length; -1 and 0 if none does.
func (s words) at(r []rune, i int) (int, int) {
	if i >= len(r) || !s.first[r[i]] {
		return -1, 0
	}
	for k, w := range s.list {
		if wordAt(r, i, w) {
			return k, len(w)
		}
	}
	return -1, 0
}

// endsAt returns the length of the first word that ends just before r[k],
// or 0.
func (s words) endsAt(r []rune, k int) int {
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
