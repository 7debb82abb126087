package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// Hidden characters are refused, not stripped. Stripping would let two
// different submissions (A\u200bB and AB) become the same merchant order id,
// and a request that is silently rewritten is one the merchant cannot check;
// a refusal names the field and changes nothing. The characters refused:
// invalid UTF-8, NUL and every other control character (remarks may keep
// newlines and tabs), and the invisible format characters (Unicode Cf: zero
// width space, joiners, word joiner, byte-order mark, soft hyphen and the
// bidi embeddings, overrides and isolates) that hide a phone number from a
// scanner or show one text while storing another. A zero width joiner
// between two symbols is an emoji sequence (👨‍👩‍👧) and is kept.
//
// Single-line fields (names, addresses, merchant order ids, SKU codes) also
// refuse the characters that print as nothing or as a blank but are not
// spaces: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the braille
// blank (U+2800), private use characters (U+E000–U+F8FF), the line and
// paragraph separators (U+2028, U+2029), variation selectors (U+FE00–U+FE0F)
// and a combining mark with nothing to combine with (at the start, or after
// a space). Remarks keep them: emoji use variation selectors.

// checkText refuses text that is not valid UTF-8 or holds a control or an
// invisible format character. multiline lets remarks keep \n, \r and \t.
func checkText(field, s string, multiline bool) error {
	if !utf8.ValidString(s) {
		return yuncang.Invalid(field, "is not valid UTF-8")
	}
	prev := rune(-1)
	for i, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case unicode.IsControl(r):
			return yuncang.Invalid(field, "contains a control character (U+%04X)", r)
		case r == '\u200d' && unicode.Is(unicode.So, prev) && unicode.Is(unicode.So, nextRune(s[i+len("\u200d"):])):
		case unicode.Is(unicode.Cf, r):
			return yuncang.Invalid(field, "contains an invisible formatting character (U+%04X)", r)
		case multiline:
		case isBlankLookalike(r):
			return yuncang.Invalid(field, "contains a hidden or blank character (U+%04X)", r)
		case unicode.Is(unicode.M, r) && (prev < 0 || unicode.IsSpace(prev)):
			return yuncang.Invalid(field, "starts with a combining mark (U+%04X)", r)
		}
		prev = r
	}
	return nil
}

// isBlankLookalike reports the characters single-line fields refuse besides
// controls and format characters (see above).
func isBlankLookalike(r rune) bool {
	switch {
	case r == '\u115f', r == '\u1160', r == '\u3164', r == '\uffa0', r == '\u2800',
		r == '\u2028', r == '\u2029':
		return true
	case r >= '\ue000' && r <= '\uf8ff', r >= '\ufe00' && r <= '\ufe0f':
		return true
	}
	return false
}

func nextRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// formulaStarts make a spreadsheet read a cell as a formula (=HYPERLINK(…),
// +cmd|…, -1+1, @SUM(…)), in ASCII or full width.
const formulaStarts = "=+-@＝＋－＠"

// checkName refuses a recipient name or merchant order id that a
// spreadsheet would run as a formula: no person's name, and no shop's order
// number, starts with one of these.
func checkName(field, s string) error {
	if s != "" && strings.ContainsRune(formulaStarts, []rune(s)[0]) {
		return yuncang.Invalid(field, "must not start with =, +, - or @")
	}
	return nil
}

// checkOrderID refuses a merchant order id that carries personal data: it is
// shown unmasked in every list, export and label, so a phone, ID number,
// name, address, e-mail or chat id in it would go around the mask. The
// message names the kind, never the value.
func checkOrderID(moid string) error {
	if fs := pii.Scan(moid); len(fs) > 0 {
		return yuncang.Invalid("merchant_order_id", "carries personal data (%s); use the shop's own order number", kindWords[fs[0].Kind])
	}
	return nil
}

var kindWords = map[string]string{
	pii.KindMobile:   "a phone number",
	pii.KindLandline: "a phone number",
	pii.KindIDNumber: "an ID number",
	pii.KindName:     "a person's name",
	pii.KindAddress:  "a house or room number",
	pii.KindEmail:    "an e-mail address",
	pii.KindChatID:   "a QQ or WeChat id",
}
