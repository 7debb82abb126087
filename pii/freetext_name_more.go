package pii

import "strings"

// --- more names ---------------------------------------------------------------

// latinName reads a name in Latin letters (pinyin or any other) after a
// strong context word at s: one to three words of 2 to 20 letters with one
// space between them (收件人:Tan Wenpeng).
func latinName(r []rune, s int) (start, end int, ok bool) {
	e, words := s, 0
	for words < 3 {
		k := e
		for k < len(r) && isASCIILetter(r[k]) {
			k++
		}
		if k-e < 2 || k-e > 20 || k < len(r) && isDigit(r[k]) {
			break
		}
		e, words = k, words+1
		if e+1 < len(r) && r[e] == ' ' && isASCIILetter(r[e+1]) {
			e++
			continue
		}
		break
	}
	if words == 0 {
		return 0, 0, false
	}
	for e > s && r[e-1] == ' ' {
		e--
	}
	return s, e, true
}

// maskLatinName keeps the first letter of a Latin name and stars the other
// letters, keeping the spaces: Tan Wenpeng → T** *******.
func maskLatinName(r []rune) string {
	out := make([]rune, len(r))
	for i, c := range r {
		if i > 0 && c != ' ' {
			c = '*'
		}
		out[i] = c
	}
	return string(out)
}

// knownName reads a name at s: a known surname (or a compound one that is
// not more often a word) and a given name of one or two characters that
// ends at the end of the text, at a character that is not Chinese or at a
// word that ends a name (nameStops, a title). Ordinary words that start
// with a surname (notNames: 明天, 周末 …) and doubled characters (谢谢) are
// not names.
func knownName(r []rune, s int) (end int, ok bool) {
	if s >= len(r) || !isHan(r[s]) {
		return 0, false
	}
	if _, n := notNames.at(r, s); n > 0 {
		return 0, false
	}
	if _, n := reduplicated.at(r, s); n > 0 {
		return 0, false
	}
	if _, n := titles.at(r, s); n > 0 {
		return 0, false // 师傅 13812345678
	}
	sur := 1
	if s+2 <= len(r) && compoundSurnames[string(r[s:s+2])] && !weakCompounds[string(r[s:s+2])] {
		sur = 2
	} else if !surnames[r[s]] {
		return 0, false
	}
	for e := s + sur + 1; e <= s+sur+2 && e <= len(r); e++ {
		c := r[e-1]
		if !isHan(c) || strings.ContainsRune(nameStopRunes, c) {
			return 0, false
		}
		if _, n := nameStops.at(r, e-1); n > 0 {
			return 0, false
		}
		if e == len(r) || !isHan(r[e]) {
			return e, true
		}
		if _, n := nameStops.at(r, e); n > 0 || r[e] == '的' {
			return e, true
		}
	}
	return 0, false
}

// placeEnds end a place name, not a person's (金华市, 武汉站 …): a word
// before a phone that ends with one is not taken for a name.
const placeEnds = "州市区县省镇村乡路街道站店楼园院场馆厦城苑湾港口桥门"

// parcelWords follow 的 after a name: 谭文鹏的包裹, 王佳的快递.
var parcelWords = newWords("包裹", "快递", "件", "货", "东西", "订单", "外卖", "单子")

// nameBeforeParcel reports a name at the start of a phrase that 的 and a
// parcel word follow (谭文鹏的包裹, 这是王佳的快递). t is at 的.
func nameBeforeParcel(r []rune, t int) (int, bool) {
	if r[t] != '的' {
		return 0, false
	}
	if _, n := parcelWords.at(r, t+1); n == 0 {
		return 0, false
	}
	for _, k := range []int{4, 3, 2} {
		s := t - k
		if s < 0 || s > 0 && isHan(r[s-1]) && !strings.ContainsRune("是给帮替请由让交致", r[s-1]) {
			continue
		}
		if e, ok := knownName(r, s); ok && e == t {
			return s, true
		}
	}
	return 0, false
}

// namesBesidePhones finds a name written right before a phone number, at
// the start of a phrase (谭文鹏 13812345678, 放门口，王佳：138…), or in
// brackets right after it (13812345678（谭文鹏）). ms are the matches so
// far; the names are added.
func namesBesidePhones(r []rune, ms []match, found func(match)) {
	for _, m := range ms {
		if !isPhoneKind(m.Kind) {
			continue
		}
		if s, e, ok := nameBeforePhone(r, m.Start); ok {
			found(nameMatch(r, s, e))
		}
		if s, e, ok := nameInBracketsAfter(r, m.End); ok {
			found(nameMatch(r, s, e))
		}
	}
}

// nameBeforePhone reads a name that ends at most two separators before a
// phone starting at p.
func nameBeforePhone(r []rune, p int) (start, end int, ok bool) {
	e := p
	for e > 0 && p-e < 2 && strings.ContainsRune(" :,，/", r[e-1]) {
		e--
	}
	if e == 0 || strings.ContainsRune(placeEnds, r[e-1]) {
		return 0, 0, false
	}
	for _, k := range []int{4, 3, 2} {
		s := e - k
		if s < 0 || s > 0 && isHan(r[s-1]) {
			continue
		}
		if end, ok := knownName(r, s); ok && end == e {
			return s, e, true
		}
	}
	return 0, 0, false
}

// nameInBracketsAfter reads a name in brackets right after a phone ending
// at p: 13812345678（谭文鹏）, 138… (王佳), 138…【王佳】.
func nameInBracketsAfter(r []rune, p int) (start, end int, ok bool) {
	s := p
	if s < len(r) && r[s] == ' ' {
		s++
	}
	if s >= len(r) || !strings.ContainsRune("([【「〔<《", r[s]) {
		return 0, 0, false
	}
	s++
	e, ok := knownName(r, s)
	if !ok || e >= len(r) || !strings.ContainsRune(")]】」〕>》", r[e]) {
		return 0, 0, false
	}
	return s, e, true
}

// idShapedName finds a name in a text shaped like an identifier: one run
// of two to four Chinese characters that reads as a name, and otherwise
// only ASCII letters, digits, spaces and - _ # . / (谭文鹏-001, TB-王佳-7).
// Chinese right after a digit is a unit or a house word (701房间), not a
// name.
// A shop's order number has no reason to carry a person's name.
func idShapedName(r []rune, found func(match)) {
	s, e := -1, -1
	ascii := false
	for i, c := range r {
		switch {
		case isHan(c):
			if e >= 0 && e != i {
				return // a second run of Chinese: words, not an id
			}
			if s < 0 {
				s = i
			}
			e = i + 1
		case isASCIIAlnum(c):
			ascii = true
		case strings.ContainsRune(" -_#./", c):
		default:
			return
		}
	}
	if s < 0 || !ascii || e-s < 2 || e-s > 4 || s > 0 && isDigit(r[s-1]) {
		return
	}
	if end, ok := knownName(r, s); ok && end == e {
		found(nameMatch(r, s, e))
	}
}
