package pii

import (
	"strings"
	"unicode"
)

// Every matcher needs some kind of rune in the text before it can match at
// all: a number needs an ASCII digit, a spelled phone a digit in any
// encoding, a name the first character of a context word or title, and so
// on (freeTextNeeds). Scan and MaskText record which kinds a text holds in
// one pass over the string, return at once when no matcher can match
// (请放快递柜, 请勿放门口), and otherwise run only the matchers that can (周末不送:
// only the name matcher, for 送). TestFastPathEqualsFullPath and FuzzMaskText
// check that the result is the same as running every matcher.

// runeClass is a set of the kinds of folded runes that the matchers need.
type runeClass uint8

const (
	clDigit      runeClass = 1 << iota // an ASCII digit
	clPhoneDigit                       // isPhoneDigit: a digit in any encoding
	clAddrNum                          // isAddrNumeral: a digit in any encoding, 十, 百, 千 …
	clLetter                           // an ASCII letter
	clAt                               // @
	clTail                             // the first rune of a house word (tailWords)
	clChat                             // the first rune of a QQ or WeChat word (chatWords)
	clName                             // the first rune of a name context word, a title, 收 or 的
)

// nameTriggers are the word lists at whose words scanNames looks for a name;
// nameEnds are the other places a name can end: 收 (nameBeforeShou) and 的
// (nameBeforeParcel).
var nameTriggers = []words{strongNameWords, weakNameWords, homeWords, titles, proxyWords}

const nameEnds = "收的"

// charClass is the class of folded rune c as far as it does not depend on
// the word lists.
func charClass(c rune) runeClass {
	var cl runeClass
	if isDigit(c) {
		cl |= clDigit
	}
	if isPhoneDigitSlow(c) {
		cl |= clPhoneDigit
		if !isRadioWord(c) {
			cl |= clAddrNum
		}
	}
	if isAddrExtra(c) {
		cl |= clAddrNum
	}
	if isASCIILetter(c) {
		cl |= clLetter
	}
	if c == '@' {
		cl |= clAt
	}
	return cl
}

// wordClass is the class that c has as the first rune of a word the
// matchers look for.
func wordClass(c rune) runeClass {
	var cl runeClass
	if tailWords.startsWith(c) {
		cl |= clTail
	}
	if chatWords.startsWith(c) {
		cl |= clChat
	}
	if strings.ContainsRune(nameEnds, c) {
		cl |= clName
	}
	for _, w := range nameTriggers {
		if w.startsWith(c) {
			cl |= clName
		}
	}
	return cl
}

// classTable holds the class of every rune of the Basic Multilingual Plane
// (64 KiB, built once): a remark's runes are looked up, not tested.
// TestClassTable checks it against charClass and wordClass.
var classTable = func() *[0x10000]runeClass {
	var t [0x10000]runeClass
	for c := range t {
		t[c] = charClass(rune(c))
	}
	set := func(c rune, cl runeClass) {
		if c < 0x10000 {
			t[c] |= cl
		}
	}
	for _, c := range tailWords.firsts {
		set(c, clTail)
	}
	for _, c := range chatWords.firsts {
		set(c, clChat)
	}
	for _, c := range nameEnds {
		set(c, clName)
	}
	for _, w := range nameTriggers {
		for _, c := range w.firsts {
			set(c, clName)
		}
	}
	return &t
}()

// classOf returns the class of folded rune c.
func classOf(c rune) runeClass {
	if c >= 0 && c < 0x10000 {
		return classTable[c]
	}
	return charClass(c) | wordClass(c)
}

// textClass returns the union of the classes of the runes of s, folded.
// It reads the string as it is, without converting it to runes.
func textClass(s string) runeClass {
	var cl runeClass
	for _, c := range s {
		cl |= classOf(fold(c))
	}
	return cl
}

// runesClass returns the union of the classes of folded runes r.
func runesClass(r []rune) runeClass {
	var cl runeClass
	for _, c := range r {
		cl |= classOf(c)
	}
	return cl
}

// isHan reports whether c is a Han character (unicode.Han), looking at the
// CJK Unified Ideographs block, which is all Han, before the table.
func isHan(c rune) bool {
	if c >= 0x4e00 && c <= 0x9fff {
		return true
	}
	return c >= 0x2e80 && unicode.Is(unicode.Han, c)
}
