package pii

import "strings"

// --- numbers after a place word -------------------------------------------------

// compoundWords end the name of a residential compound or building; the
// number after them is a building-unit-room number (绿城小区12-301,
// 阳光公寓1502).
var compoundWords = newWords("小区", "公寓", "花园", "大厦", "家园", "新村", "宿舍", "公馆", "广场", "大楼", "华庭", "苑", "府")

// parkingWords name a basement, parking space or store room; the code
// after them (地下室B2-15, 车位 B1-032) is where someone parks or keeps
// things.
var parkingWords = newWords("地下室", "停车位", "车位", "车库", "地库", "储藏室", "储物间", "杂物间")

// scanPlaceNumbers finds the number after a compound or parking word: after
// a compound word a-b or a-b-c (12-301) or a bare room number of 3 or 4
// digits; after a parking word any code of an optional letter, digits and
// dashes (B2-15). The letters and digits are starred, the dashes kept. A
// quantity (小区100米) or a phase (花园2期) is not a room number.
func scanPlaceNumbers(r []rune, found func(match)) {
	for i := 0; i < len(r); i++ {
		parking := false
		_, n := compoundWords.at(r, i)
		if n == 0 {
			_, n = parkingWords.at(r, i)
			parking = n > 0
		}
		if n == 0 {
			continue
		}
		j := i + n
		for k := 0; k < 2 && j < len(r) && strings.ContainsRune(" :：是为#", r[j]); k++ {
			j++
		}
		s, e, parts, letter := placeCode(r, j)
		if e == s {
			continue
		}
		digits := e - s - (parts - 1)
		if letter {
			digits--
		}
		if !parking && (letter || parts == 1 && (digits < 3 || digits > 4)) {
			continue
		}
		if isQuantity(r, s, e) && (e >= len(r) || r[e] != '号') {
			continue
		}
		out := []rune(string(r[s:e]))
		for k, c := range out {
			if c != '-' {
				out[k] = '*'
			}
		}
		found(match{Finding: Finding{Kind: KindAddress, Start: s, End: e}, repl: string(out)})
		i = e - 1
	}
}

// placeCode reads a code at j: an optional ASCII letter, then up to four
// runs of digits joined by single dashes, then an optional letter, not
// followed by another letter or digit, or by a decimal point or colon and
// a digit. It returns e == s if there is none.
func placeCode(r []rune, j int) (s, e, parts int, letter bool) {
	s, e = j, j
	if e < len(r) && isASCIILetter(r[e]) && e+1 < len(r) && isDigit(r[e+1]) {
		e++
		letter = true
	}
	for parts < 4 && e < len(r) && isDigit(r[e]) {
		e = runEnd(r, e)
		parts++
		if e+1 < len(r) && r[e] == '-' && isDigit(r[e+1]) && parts < 4 {
			e++
			continue
		}
		break
	}
	if parts == 0 {
		return j, j, 0, false
	}
	if e < len(r) && isASCIILetter(r[e]) && (e+1 >= len(r) || !isASCIIAlnum(r[e+1])) {
		e++
	}
	if e < len(r) && (isASCIIAlnum(r[e]) || (r[e] == '.' || r[e] == ':' || r[e] == '/') && e+1 < len(r) && isDigit(r[e+1])) {
		return j, j, 0, false
	}
	return s, e, parts, letter
}
