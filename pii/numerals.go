package pii

import "slices"

// Digits written in ways that the folding does not map one rune to one
// ASCII digit: enclosed numbers (①, ⑬, ⑴, ❶, ㉑), which may stand for two
// digits, and English number words (one three eight …).

// enclosedNumber reads an enclosed or parenthesized number (⓪, ① to ⑳,
// ⑴ to ⒇, ⒈ to ⒛, ❶ to ❿, ➀ to ➓, ⓫ to ⓴, ⓵ to ⓾, ㉑ to ㊿) and returns
// its value, 0 to 50.
func enclosedNumber(c rune) (int, bool) {
	switch {
	case c == '⓪' || c == '⓿' || c == '🄋' || c == '🄌':
		return 0, true
	case c >= '①' && c <= '⑳':
		return int(c-'①') + 1, true
	case c >= '⑴' && c <= '⒇':
		return int(c-'⑴') + 1, true
	case c >= '⒈' && c <= '⒛':
		return int(c-'⒈') + 1, true
	case c >= '⓫' && c <= '⓴':
		return int(c-'⓫') + 11, true
	case c >= '⓵' && c <= '⓾':
		return int(c-'⓵') + 1, true
	case c >= '❶' && c <= '❿':
		return int(c-'❶') + 1, true
	case c >= '➀' && c <= '➉':
		return int(c-'➀') + 1, true
	case c >= '➊' && c <= '➓':
		return int(c-'➊') + 1, true
	case c >= '㉑' && c <= '㉟':
		return int(c-'㉑') + 21, true
	case c >= '㊱' && c <= '㊿':
		return int(c-'㊱') + 36, true
	}
	return 0, false
}

// appendPhoneDigits appends the digits that c stands for in a phone number
// (one, or two for an enclosed 10 to 50) to d.
func appendPhoneDigits(d []byte, c rune) []byte {
	if b, ok := phoneDigit(c); ok {
		return append(d, b)
	}
	if v, ok := enclosedNumber(c); ok {
		if v >= 10 {
			d = append(d, byte('0'+v/10))
		}
		return append(d, byte('0'+v%10))
	}
	return d
}

// englishDigits are the English words for digits, lower case; a longer word
// before its prefix (one before o).
var englishDigits = newWords("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "oh", "o")

var englishDigitValues = []byte("0123456789" + "00")

// englishDigitAt returns the length of a whole English digit word at i
// (not part of a longer word), and its digit.
func englishDigitAt(r []rune, i int) (int, byte) {
	if i > 0 && isASCIILetter(r[i-1]) {
		return 0, 0
	}
	k, n := englishDigits.at(r, i)
	if n == 0 || i+n < len(r) && isASCIILetter(r[i+n]) {
		return 0, 0
	}
	return n, englishDigitValues[k]
}

// scanWordPhones finds phone numbers spelled with English number words,
// alone or mixed with digits (one three eight 1234 five six seven eight),
// joined by the separators scanSpelledPhones takes. A chain needs at least
// one word (138 one two three four 5678); plain digits are the other
// scanners' part.
func scanWordPhones(r []rune, found func(match)) {
	if !slices.ContainsFunc(r, func(c rune) bool { return englishDigits.startsWith(c) }) {
		return // no word can start: most remarks
	}
	token := func(i int) int { // the length of a digit word or digit run at i
		if n, _ := englishDigitAt(r, i); n > 0 {
			return n
		}
		j := i
		for j < len(r) && isPhoneDigit(r[j]) {
			j++
		}
		return j - i
	}
	var gbuf [8]group // most chains have fewer groups: no allocation
	gs := gbuf[:0]
	for i := 0; i < len(r); {
		if n, _ := englishDigitAt(r, i); n == 0 && !(isPhoneDigit(r[i]) && (i == 0 || !isPhoneDigit(r[i-1]))) {
			i++
			continue
		}
		gs = gs[:0]
		words := 0
		j := i
		for {
			n := token(j)
			if n == 0 {
				break
			}
			if isASCIILetter(r[j]) {
				words++
			}
			gs = append(gs, group{j, j + n})
			j += n
			k := j
			for k < len(r) && k-j < 3 && isPhoneSep(r[k]) {
				k++
			}
			if k >= len(r) || token(k) == 0 {
				break
			}
			j = k
		}
		if words > 0 && len(gs) >= 2 {
			phonesInChain(r, gs, true, true, false, found)
		}
		i = max(j, i+1)
	}
}

// readWordGroup appends the digits of a group of scanWordPhones: one word,
// or a run of digits.
func readWordGroup(d []byte, r []rune, g group) []byte {
	if n, b := englishDigitAt(r, g.start); n > 0 {
		return append(d, b)
	}
	return readDigitGroup(d, r, g)
}

// readDigitGroup appends the digits of a run of digits in any encoding.
func readDigitGroup(d []byte, r []rune, g group) []byte {
	for k := g.start; k < g.end; k++ {
		d = appendPhoneDigits(d, r[k])
	}
	return d
}
