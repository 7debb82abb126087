package pii

import (
	"slices"
	"strings"
	"time"
)

// --- reversed phones ----------------------------------------------------------

// reversedWords say that a number nearby is a phone number, or written
// backwards (lower case).
var (
	phoneWords    = newWords("电话", "手机", "号码", "联系方式", "tel", "phone", "mobile")
	reversedWords = newWords("倒过来", "反过来", "倒着", "倒序", "反着", "反向", "倒读", "reversed", "backwards")
)

// scanReversedPhones finds a mobile number written backwards
// (87654321831 for 13812345678): 11 digits, standing alone, that are no
// mobile number read forwards but are one read backwards, and only with a
// phone or reversal word just before them (电话87654321831, 倒过来
// 87654321831) or a reversal word just after. Without such a word an
// 11-digit number ending in 31 to 91 is far too often an order or waybill
// number to mask. The digits are masked in their written order:
// 87******831.
func scanReversedPhones(r []rune, found func(match)) {
	for i := 0; i+11 <= len(r); i++ {
		if !isDigit(r[i]) || i > 0 && isASCIIAlnum(r[i-1]) {
			continue
		}
		j := runEnd(r, i)
		if j-i != 11 || j < len(r) && isASCIIAlnum(r[j]) || r[j-1] != '1' || r[j-2] < '3' || r[j-2] > '9' {
			i = j
			continue
		}
		if r[i] == '1' && r[i+1] >= '3' && r[i+1] <= '9' || datePrefix(r[i:j]) || !reversalContext(r, i, j) {
			i = j
			continue
		}
		d := make([]byte, 11)
		for k := range d {
			d[k] = byte(r[j-1-k])
		}
		p := Phone{Kind: KindMobile, Digits: string(d)}
		m := []rune(p.Masked())
		slices.Reverse(m)
		found(match{Finding: Finding{Kind: KindMobile, Start: i, End: j}, phone: p, repl: string(m)})
		i = j
	}
}

// datePrefix reports digits that start with a year from 1900 to 2099 and
// a month, as order numbers do (20261128031).
func datePrefix(d []rune) bool {
	y := string(d[:2])
	m := (d[4]-'0')*10 + d[5] - '0'
	return (y == "19" || y == "20") && m >= 1 && m <= 12
}

// reversalContext reports a phone or reversal word ending at most three
// characters before r[s], or a reversal word at most three after r[e-1].
func reversalContext(r []rune, s, e int) bool {
	for k := s; k >= 0 && s-k <= 3; k-- {
		if phoneWords.endsAt(r, k) > 0 || reversedWords.endsAt(r, k) > 0 {
			return true
		}
		if k > 0 && !strings.ContainsRune(" :：是为号写读念看", r[k-1]) {
			break
		}
	}
	for k := e; k < len(r) && k-e <= 3; k++ {
		if _, n := reversedWords.at(r, k); n > 0 {
			return true
		}
		if !strings.ContainsRune(" ，,（(是", r[k]) {
			break
		}
	}
	return false
}

// --- ID numbers in groups ---------------------------------------------------------

// scanSpacedIDs finds an 18-character ID number written in groups of
// digits (110101 19900307 7571, 110101-1990-0307-7571), joined by the
// separators scanSpelledPhones takes. The groups must make exactly the
// number, and the number must pass the same tests as a plain one (province,
// birth date, GB 11643 checksum), which random digits pass about once in
// several hundred times. The digits are starred but the first 3 and the last
// 2, and the separators kept: 110*** ******** **71.
func scanSpacedIDs(r []rune, found func(match)) {
	var now time.Time
	var gbuf [8]group // most chains have fewer groups: no allocation
	gs := gbuf[:0]
	for i := 0; i < len(r); {
		if !isDigit(r[i]) || i > 0 && isASCIIAlnum(r[i-1]) {
			i++
			continue
		}
		gs = gs[:0]
		j := i
		for {
			s := j
			j = runEnd(r, j)
			gs = append(gs, group{s, j})
			k := j
			for k < len(r) && k-j < 3 && isPhoneSep(r[k]) {
				k++
			}
			if k == j || k >= len(r) || !isDigit(r[k]) || len(gs) > 40 {
				break
			}
			j = k
		}
		if len(gs) >= 2 {
			spacedIDsInChain(r, gs, &now, found)
		}
		i = max(j, i+1)
	}
}

func spacedIDsInChain(r []rune, gs []group, now *time.Time, found func(match)) {
	var b [18]byte
	for a := 0; a < len(gs)-1; a++ {
		n := 0
		for c := a; c < len(gs) && n < 18; c++ {
			g := gs[c]
			if n+g.end-g.start > 18 {
				break
			}
			for k := g.start; k < g.end; k++ {
				b[n] = byte(r[k])
				n++
			}
			end := g.end
			if n == 17 && end < len(r) && (r[end] == 'X' || r[end] == 'x') && (end+1 == len(r) || !isASCIIAlnum(r[end+1])) {
				b[17] = 'X'
				n, end = 18, end+1
			}
			if n < 18 {
				continue
			}
			if c == a || end < len(r) && isASCIIAlnum(r[end]) {
				break // one group is the number scanner's
			}
			if now.IsZero() {
				*now = time.Now()
			}
			if !validID(b[:], *now) {
				break
			}
			found(match{Finding: Finding{Kind: KindIDNumber, Start: gs[a].start, End: end}, repl: maskIDGroups(r[gs[a].start:end])})
			return
		}
	}
}

// maskIDGroups stars the digits of an ID number in groups, but the first 3
// and the last 2 characters, and keeps the separators.
func maskIDGroups(r []rune) string {
	out := []rune(string(r))
	seen, total := 0, 0
	for _, c := range r {
		if isDigit(c) || c == 'X' || c == 'x' {
			total++
		}
	}
	for i, c := range out {
		if isDigit(c) || c == 'X' || c == 'x' {
			if seen >= 3 && seen < total-2 {
				out[i] = '*'
			}
			seen++
		}
	}
	return string(out)
}
