package pii

// --- e-mail addresses with "at" and "dot" spelled out ------------------------

// tlds are the top-level domains a spelled-out e-mail address must end with
// (lower case): "look at the box" ends with none.
var tlds = map[string]bool{"com": true, "cn": true, "net": true, "org": true, "edu": true, "gov": true,
	"io": true, "me": true, "cc": true, "co": true, "info": true, "biz": true, "top": true, "xyz": true,
	"hk": true, "tw": true, "uk": true, "us": true, "jp": true, "vip": true, "club": true, "site": true,
	"shop": true, "mobi": true, "email": true}

// scanSpelledEmails finds e-mail addresses written to get past a filter:
// "at" for @ (tan.wenpeng at qq dot com, (at), [at], 【at】, 艾特) and
// "dot" for the dots ((dot), [dot], 点, 。), in any mix with @ and dots.
// The domain must end with a known top-level domain, and at least one of
// the markers must be spelled out (plain a@b.com is scanEmails'). The local
// part keeps its first character, as scanEmails does: t*** at qq dot com
// (the rest is shown folded: （at） as (at)).
func scanSpelledEmails(r []rune, found func(match)) {
	for i := 0; i < len(r); i++ {
		atEnd, spelledAt := atMarker(r, i)
		if atEnd < 0 {
			continue
		}
		ls, le, spelledLocal := localPart(r, i)
		if ls == le {
			continue
		}
		de, dots, spelled := domainPart(r, atEnd)
		if de < 0 || dots == 0 || !spelledAt && !spelled && !spelledLocal {
			continue
		}
		found(match{Finding: Finding{Kind: KindEmail, Start: ls, End: de}, repl: string(r[ls]) + "***" + string(r[le:de])})
		i = de - 1
	}
}

// atMarker returns the end of an @ written right after the local part
// that ends at i (with spaces around it), and whether it is spelled out,
// or -1.
func atMarker(r []rune, i int) (int, bool) {
	if i == 0 || !isASCIIAlnum(r[i-1]) || isASCIIAlnum(r[i]) {
		return -1, false // an @ follows the local part
	}
	j := skipSpaces(r, i)
	switch {
	case j < len(r) && r[j] == '@':
		return skipSpaces(r, j+1), false
	case hasPrefixRunes(r[j:], "艾特"):
		return skipSpaces(r, j+2), true
	}
	if e := markerWord(r, j, runesAt, j > i); e > 0 {
		return skipSpaces(r, e), true
	}
	return -1, false
}

// dotMarker returns the end of a dot written at i and whether it is spelled
// out, or -1.
func dotMarker(r []rune, i int) (int, bool) {
	j := skipSpaces(r, i)
	switch {
	case j < len(r) && r[j] == '.':
		return skipSpaces(r, j+1), j > i
	case j < len(r) && (r[j] == '点' || r[j] == '。'):
		return skipSpaces(r, j+1), true
	}
	if e := markerWord(r, j, runesDot, j > i); e > 0 {
		return skipSpaces(r, e), true
	}
	return -1, false
}

var (
	runesAt   = []rune("at")
	runesDot  = []rune("dot")
	localDots = [][]rune{[]rune("dot"), []rune("(dot)"), []rune("[dot]"), []rune("点")}
)

// markerWord matches w (lower case, any case in r) at j, in brackets
// ((at), [at], 【at】, {at}, <at>) or, after a space (spaced), standing
// alone before a space; it returns the end or 0.
func markerWord(r []rune, j int, w []rune, spaced bool) int {
	if j < len(r) && isOpenBracket(r[j]) && wordAt(r, j+1, w) && j+1+len(w) < len(r) && isCloseBracket(r[j+1+len(w)]) {
		return j + 2 + len(w)
	}
	e := j + len(w)
	if spaced && wordAt(r, j, w) && e < len(r) && r[e] == ' ' {
		return e
	}
	return 0
}

func isOpenBracket(c rune) bool  { return c == '(' || c == '[' || c == '【' || c == '{' || c == '<' }
func isCloseBracket(c rune) bool { return c == ')' || c == ']' || c == '】' || c == '}' || c == '>' }

func skipSpaces(r []rune, i int) int {
	for i < len(r) && r[i] == ' ' {
		i++
	}
	return i
}

// localPart reads the local part that ends at i (spaces before i are
// skipped), including labels joined by spelled dots (tan dot wenpeng).
func localPart(r []rune, i int) (start, end int, spelled bool) {
	end = i
	for end > 0 && r[end-1] == ' ' {
		end--
	}
	s := end
	for s > 0 && isEmailLocal(r[s-1]) {
		s--
	}
	for s < end && !isASCIIAlnum(r[s]) {
		s++
	}
	if s == end {
		return i, i, false
	}
	for {
		// tan dot wenpeng: a label and a spelled dot before s.
		k := s
		for k > 0 && r[k-1] == ' ' {
			k--
		}
		found := false
		for _, w := range localDots {
			n := len(w)
			if k >= n && wordAt(r, k-n, w) && (k-n == 0 || r[k-n-1] == ' ' || w[0] != 'd') {
				p := k - n
				for p > 0 && r[p-1] == ' ' {
					p--
				}
				q := p
				for q > 0 && isEmailLocal(r[q-1]) {
					q--
				}
				if q < p && isASCIIAlnum(r[q]) {
					s, found, spelled = q, true, true
				}
				break
			}
		}
		if !found {
			return s, end, spelled
		}
	}
}

// domainPart reads labels joined by dots at j, ending with a known
// top-level domain; it returns the end (-1 if none), the number of dots and
// whether a dot is spelled out.
func domainPart(r []rune, j int) (end, dots int, spelled bool) {
	end = -1
	k := j
	for {
		s := k
		for k < len(r) && (isASCIIAlnum(r[k]) || r[k] == '-') {
			k++
		}
		if k == s {
			return end, dots, spelled
		}
		if dots > 0 && isTLD(r[s:k]) && (k == len(r) || !isASCIIAlnum(r[k])) {
			end = k
		}
		e, sp := dotMarker(r, k)
		if e < 0 || e >= len(r) || !isASCIIAlnum(r[e]) {
			if end < 0 {
				return -1, 0, false
			}
			return end, dots, spelled
		}
		dots++
		spelled = spelled || sp
		k = e
	}
}

func isTLD(r []rune) bool {
	if len(r) < 2 || len(r) > 5 {
		return false
	}
	b := make([]byte, len(r))
	for i, c := range r {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = byte(c)
	}
	return tlds[string(b)]
}
