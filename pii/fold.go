package pii

// fold maps the full-width and typographic forms people paste into order
// fields (full-width digits and signs, Unicode dashes, ideographic spaces) to
// their ASCII equivalents, so that one matcher handles both. It maps one rune
// to one rune, so rune offsets are preserved.
func fold(r rune) rune {
	switch {
	case r < 0x80:
		return r
	case r >= '０' && r <= '９':
		return r - '０' + '0'
	case r >= 'Ａ' && r <= 'Ｚ':
		return r - 'Ａ' + 'A'
	case r >= 'ａ' && r <= 'ｚ':
		return r - 'ａ' + 'a'
	}
	switch r {
	case '＋':
		return '+'
	case '－', '‐', '‑', '‒', '–', '—', '―', '−', '﹣':
		return '-'
	case '．':
		return '.'
	case '（':
		return '('
	case '）':
		return ')'
	case '＃':
		return '#'
	case '＿':
		return '_'
	case '＠':
		return '@'
	case '／':
		return '/'
	case '：':
		return ':'
	case '\u3000', '\u00a0', '\u2002', '\u2003', '\u2009':
		return ' '
	}
	return r
}

// foldRunes returns the folded runes of s.
func foldRunes(s string) []rune {
	r := []rune(s)
	for i, c := range r {
		r[i] = fold(c)
	}
	return r
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// stars returns n asterisks.
func stars(n int) string {
	const s = "****************************************"
	if n <= len(s) {
		return s[:n]
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = '*'
	}
	return string(b)
}
