package pii

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Kinds of personal data, for Finding.Kind and Phone.Kind.
const (
	KindMobile   = "mobile"
	KindLandline = "landline"
	KindIDNumber = "id_number"
)

// Finding is one piece of personal information found in free text. Start and
// End are rune offsets into the scanned text: the finding is runes
// [Start, End).
type Finding struct {
	Kind       string // KindMobile, KindLandline, KindIDNumber, KindName, KindAddress, KindEmail or KindChatID
	Start, End int
}

// Scan finds personal data in free text (remarks, notes, merchant order
// ids), in order and without overlaps: phone and ID numbers, and the forms
// people use to pass them through a filter or that carry a person's identity
// in words.
//
//   - Mobiles: 1[3-9] and 9 more digits, contiguous or in groups of at least 3
//     separated by one space, dash or dot (138 1234 5678), optionally after
//     +86, (+86), 0086 or a glued 86, optionally followed by an extension
//     (转, 分机, ext, # or a dash, then 1 to 6 digits).
//   - Spelled phones: the same digits written with Chinese numerals (一三八,
//     幺 for 1, 洞 for 0), in groups of any size, or joined by underscores,
//     slashes or runs of up to three separators (1 3 8_1234 5678, +86-…);
//     a landline too when it is written that way. Commas (138，1234，5678),
//     semicolons and brackets (138(1234)5678) count as separators, but an
//     amount with thousands separators and money around it (¥13,800,000,000)
//     is not a phone. Enclosed numbers stand for their digits (⑬⑧①…, ①–⑳,
//     ⑴, ❶, ㉑), and so do English number words (one three eight …). A mobile
//     number may also have O or o for 0 and l or I for 1 among its digits
//     (1350OO01111), and a group of Os between groups of digits (138 OOOO 5678).
//   - Landlines: an area code (010, 02x, or 0 and 3 more digits), optionally in
//     parentheses, then a 7- or 8-digit local number not starting with 0 or 1,
//     in one group or two, optionally followed by an extension. Area code and
//     local number may also be glued together (057985123456), unless glued
//     to letters too: SF049665595097 and JD081436323153 are waybill numbers.
//   - ID numbers: exactly 17 digits and a check digit or X with a known
//     province code, a possible birth date and a correct GB 11643 checksum.
//   - Names (KindName): after a context word (收件人, 联系人, 收货人, 寄件人,
//     姓名, 交给, 收件客户, and 给/找/联系/客户/顾客/买家 before a common or
//     compound surname), after a context word and 换成/改为 (收件人换成李雷),
//     after a relation word before a surname (老公张伟, 我妈王芳), between
//     送到 (送) and 家 (送到王佳家), before 代收/代签/代取/代领 (韩梅梅代收),
//     and a surname or name before a title (王先生, 李女士, 刘德华先生).
//   - Address tails (KindAddress): a number before 号, 弄, 幢, 栋, 号楼, 单元,
//     室, 层, 楼 … and the numbers chained to it (文三路4号5幢3单元601室,
//     3栋1203), a-b-c room numbers (7-7-707) and numbers after 门牌 or 房号.
//     A day of the month (12月5号, 5号前) is not an address. In English,
//     the number after Apt, Flat, Room, Rm, Unit or Suite (Flat 1702,
//     Rm 3-201), but not a price (Unit 12.50).
//   - E-mail addresses (KindEmail) and QQ numbers or WeChat ids after QQ,
//     微信, vx, wx … (KindChatID).
//   - More forms: names (a known surname and a given name before 收 where
//     a phrase starts, 欧阳娜娜收), a given name of one character twice (娜娜收),
//     a name after 致, after an address tail (文三路4号 王佳) or spaced out
//     after a strong context word (收件人 欧 阳 娜 娜); phones split by a word
//     (1381234 和 5678) or written backwards after a phone or reversal word
//     (电话87654321831, 反过来读 87654321831); ID numbers in groups (110101
//     19900307 7571).
//   - Phones assembled from groups (scanAssembledPhones): up to four groups
//     of at least 3 digits in any encoding (幺 两 拐 洞 勾 too), each at most
//     6 runes after the one before, whatever is between them (words, a line
//     break, an emoji, a star: 打 138 先 1234 后 5678, 138 then 1234 then
//     5678, 电话138\n1234\n5678), that spell a mobile (or landline) number
//     in their written order; or, with a phone or position word near them
//     (电话, 打, 尾号, 前面, 后四位 …), in any order (尾号5678，前面1381234).
//     A group followed by a unit or amount (138元, 1200件), after a currency
//     sign, or joined to digits by a decimal point or colon is a quantity,
//     price or time and never part of one; groups of fewer than 3 digits
//     (dates, what masking leaves) break the chain. A lone run of digits is
//     not assembled: order and waybill numbers are such runs.
//   - Names beside a phone: right before it at the start of a phrase (谭文鹏
//     13812345678) or in brackets right after it (13812345678（谭文鹏）);
//     before 的 and a parcel word (谭文鹏的包裹); in Latin letters after a
//     strong context word (收件人:Tan Wenpeng); and the one Chinese run of an
//     identifier-shaped text (谭文鹏-001). Before a title the longest name
//     is read (谭文鹏先生, not 文鹏), so only the surname shows.
//   - More address forms: a number before 房间 (701房间), a-b-c tails glued
//     to a house number (8号3-2-301), a-b, a-b-c or a 3–4 digit room after
//     a compound word (绿城小区12-301, 公寓1502) and any code after a parking
//     or basement word (地下室B2-15, 车位 B1-032).
//   - E-mail addresses with the @ or dots spelled out (tan.wenpeng at qq
//     dot com, (at), [at], 艾特, (dot), 点), ending with a known top-level
//     domain.
//
// Full-width digits and signs count as their ASCII forms, and so do all
// Unicode decimal digits, superscripts and what NFKC maps to one rune;
// traditional characters count as simplified ones (fold). A number never
// matches inside a longer digit run: it must not be preceded or followed
// directly by a digit. Order, waybill, SKU, lot, price and date numbers are
// none of these. Scan runs in time linear in the text (up to a sort of its
// findings).
func Scan(text string) []Finding { return scanText(text, false) }

// scanText is Scan; full runs every matcher on every text, without looking
// at the classes of its runes first (the reference for the fast path).
func scanText(text string, full bool) []Finding {
	cl := allClasses
	if !full {
		if cl = textClass(text); !canFind[cl] {
			return nil
		}
	}
	var out []Finding
	var buf [4]match
	for _, m := range scanAll(foldRunes(text), cl, buf[:]) {
		out = append(out, m.Finding)
	}
	return out
}

// ScanNumbers finds only phone and ID numbers in their usual forms (the
// scanner before free-text forms were added). It is for opaque machine
// strings, such as signed tokens, where a word match means nothing.
func ScanNumbers(text string) []Finding {
	if !numbersNeed.met(textClass(text)) {
		return nil
	}
	var out []Finding
	scan(foldRunes(text), func(m match) { out = append(out, m.Finding) })
	return out
}

// scanAll runs every matcher that can match text of class cl (allClasses:
// every matcher) over folded runes r and keeps, of overlapping matches, the
// one that starts first, then the longest, then the number scanner's. The
// matches are appended to buf[:0], which the caller keeps on its stack.
func scanAll(r []rune, cl runeClass, buf []match) []match {
	ms := buf[:0]
	add := func(m match) { ms = append(ms, m) }
	if numbersNeed.met(cl) {
		scan(r, add)
	}
	numbers := len(ms)
	freeText(r, cl, add)
	namesBesidePhones(r, ms, add)
	if len(ms) == numbers {
		return ms
	}
	slices.SortStableFunc(ms, func(a, b match) int {
		if a.Start != b.Start {
			return cmp.Compare(a.Start, b.Start)
		}
		return cmp.Compare(b.End, a.End)
	})
	out := ms[:0]
	last := 0
	for _, m := range ms {
		if m.Start < last {
			// A name runs into a phone written in Chinese numerals
			// (收件人王佳一三八…): the phone wins and the name ends
			// where it starts.
			prev := &out[len(out)-1]
			if !isPhoneKind(m.Kind) || prev.Kind != KindName || m.Start <= prev.Start {
				continue
			}
			prev.End = m.Start
			prev.repl = MaskName(string(r[prev.Start:prev.End]))
		}
		out = append(out, m)
		last = m.End
	}
	return out
}

func isPhoneKind(k string) bool { return k == KindMobile || k == KindLandline }

// MaskText returns text with each finding replaced by its masked form
// (Phone.Masked, MaskIDNumber, MaskName; the numbers of an address tail
// starred and its words kept; z***@qq.com; a chat id's first character), and
// the findings, whose offsets refer to the original text. The words around
// a finding are kept.
//
// The digits a masked form keeps (138******78, 0579-******56) could, with
// digits next to them, read as a new number; MaskText masks the result again
// until the scanner finds nothing in it. Such phantom numbers are masked but
// not reported. Should that take more than a few rounds (only contrived text
// does), every digit left is starred instead, which keeps MaskText linear.
func MaskText(text string) (string, []Finding) { return maskText(text, false) }

// maskText is MaskText; full runs every matcher on every text (scanText).
func maskText(text string, full bool) (string, []Finding) {
	masked, findings := maskOnce(text, full)
	if findings == nil {
		return text, nil
	}
	for range 4 {
		again, more := maskOnce(masked, full)
		if more == nil {
			return masked, findings
		}
		masked = again
	}
	return strings.Map(func(r rune) rune {
		if isDigit(fold(r)) {
			return '*'
		}
		return r
	}, masked), findings
}

// maskOnce masks the findings of one scan of text. Offsets are runes of
// text as []rune(text) counts them (an invalid byte is one rune, written
// back as U+FFFD, as the conversion does).
func maskOnce(text string, full bool) (string, []Finding) {
	cl := allClasses
	if !full {
		if cl = textClass(text); !canFind[cl] {
			return text, nil // no matcher can match: most remarks
		}
	}
	r := foldRunes(text)
	var buf [4]match
	ms := scanAll(r, cl, buf[:])
	if len(ms) == 0 {
		return text, nil
	}
	out := make([]Finding, 0, len(ms))
	var b strings.Builder
	b.Grow(len(text))
	pos, off := 0, 0 // a rune index of text and its byte offset
	byteAt := func(i int) int {
		for ; pos < i; pos++ {
			_, n := utf8.DecodeRuneInString(text[off:])
			off += n
		}
		return off
	}
	last := 0
	for _, m := range ms {
		start := byteAt(m.Start)
		writeRunes(&b, text[last:start])
		end := byteAt(m.End)
		switch {
		case m.repl != "":
			writeOnOriginal(&b, m.repl, text[start:end])
		case m.Kind == KindIDNumber:
			b.WriteString(MaskIDNumber(string(r[m.Start:m.End])))
		default:
			b.WriteString(m.phone.Masked())
		}
		last = end
		out = append(out, m.Finding)
	}
	writeRunes(&b, text[last:])
	return b.String(), out
}

// writeRunes writes s as string([]rune(s)) would be: each invalid byte
// becomes U+FFFD.
func writeRunes(b *strings.Builder, s string) {
	if utf8.ValidString(s) {
		b.WriteString(s)
		return
	}
	for _, c := range s {
		b.WriteRune(c)
	}
}

// writeOnOriginal puts a mask made from folded runes back on the original
// runes it covers: where the mask is as long as the span, each kept rune is
// the original one (文三路4號 → 文三路*號, 交給歐陽娜娜 → 交給歐陽**), and
// each star a star. A mask of another length (an e-mail's) is used as it is.
func writeOnOriginal(b *strings.Builder, repl, orig string) {
	if utf8.RuneCountInString(repl) != utf8.RuneCountInString(orig) {
		b.WriteString(repl)
		return
	}
	for _, c := range repl {
		o, n := utf8.DecodeRuneInString(orig)
		orig = orig[n:]
		if c == '*' {
			b.WriteByte('*')
		} else {
			b.WriteRune(o)
		}
	}
}

type match struct {
	Finding
	phone Phone  // phones
	repl  string // free-text forms: the masked text
}

// scan calls found for each finding in folded runes r, left to right.
func scan(r []rune, found func(match)) {
	now := time.Time{}
	for i := 0; i < len(r); {
		c := r[i]
		if (isDigit(c) || c == '+' || c == '(') && (i == 0 || !isDigit(r[i-1])) {
			m, ok := matchID(r, i, &now)
			if !ok {
				m, ok = matchMobile(r, i)
			}
			if !ok {
				m, ok = matchLandline(r, i)
			}
			if ok {
				found(m)
				i = m.End
				continue
			}
		}
		if isDigit(c) {
			i = runEnd(r, i)
		} else {
			i++
		}
	}
}

// runEnd returns the index just after the digit run starting at i.
func runEnd(r []rune, i int) int {
	for i < len(r) && isDigit(r[i]) {
		i++
	}
	return i
}

func isSep(c rune) bool { return c == ' ' || c == '-' || c == '.' }

func isASCIIAlnum(c rune) bool {
	return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// matchID matches an 18-character ID number at i. now is set on first use so
// that text without candidates never reads the clock.
func matchID(r []rune, i int, now *time.Time) (match, bool) {
	j := runEnd(r, i)
	end := j
	switch j - i {
	case 18:
	case 17:
		if j < len(r) && (r[j] == 'X' || r[j] == 'x') && (j+1 == len(r) || !isASCIIAlnum(r[j+1])) {
			end = j + 1
		} else {
			return match{}, false
		}
	default:
		return match{}, false
	}
	var b [18]byte
	for k := range b {
		b[k] = byte(r[i+k])
	}
	if now.IsZero() {
		*now = time.Now()
	}
	if !validID(b[:], *now) {
		return match{}, false
	}
	return match{Finding: Finding{Kind: KindIDNumber, Start: i, End: end}}, true
}

// matchMobile matches a mobile number, with an optional country prefix and
// extension, starting at i.
func matchMobile(r []rune, i int) (match, bool) {
	var d [11]byte
	end, ok := mobileBody(r, i, &d)
	if !ok {
		end, ok = mobileAfterPrefix(r, i, &d)
	}
	if !ok {
		return match{}, false
	}
	p := Phone{Kind: KindMobile, Digits: string(d[:])}
	end, p.Extension = extensionAt(r, end)
	return match{Finding: Finding{Kind: KindMobile, Start: i, End: end}, phone: p}, true
}

// mobileBody reads exactly 11 digits at i in groups of at least 3 joined by
// single separators, ending at the end of a digit run.
func mobileBody(r []rune, i int, d *[11]byte) (int, bool) {
	n, k := 0, i
	for {
		if k >= len(r) || !isDigit(r[k]) {
			return 0, false
		}
		e := runEnd(r, k)
		g := e - k
		if n+g > 11 || g < 3 {
			return 0, false
		}
		for ; k < e; k++ {
			d[n] = byte(r[k])
			n++
		}
		if n == 11 {
			break
		}
		if k+1 < len(r) && isSep(r[k]) && isDigit(r[k+1]) {
			k++
		} else {
			return 0, false
		}
	}
	if d[0] != '1' || d[1] < '3' || d[1] > '9' {
		return 0, false
	}
	if k-i > 11 && (i > 0 && r[i-1] == '*' || k < len(r) && r[k] == '*') {
		// Digits touching a star are what masking left of a number
		// (138******78, 330*************39): never the group of another.
		return 0, false
	}
	return k, true
}

// mobileAfterPrefix matches +86, (+86), (86), 0086 or a glued 86 before a
// mobile body.
func mobileAfterPrefix(r []rune, i int, d *[11]byte) (int, bool) {
	j := i
	paren := j < len(r) && r[j] == '('
	if paren {
		j++
	}
	plus := j < len(r) && r[j] == '+'
	if plus {
		j++
	}
	switch {
	case !plus && hasPrefixRunes(r[j:], "0086"):
		j += 4
	case hasPrefixRunes(r[j:], "86"):
		j += 2
	default:
		return 0, false
	}
	glued := j < len(r) && isDigit(r[j])
	if paren {
		if j >= len(r) || r[j] != ')' {
			return 0, false
		}
		j++
		glued = false
	}
	if !glued {
		if !plus && !paren && (j >= len(r) || r[j] != '-') {
			// A bare "86 " or "0086 " is too often something else.
			if !hasPrefixRunes(r[i:], "0086") {
				return 0, false
			}
		}
		if j < len(r) && isSep(r[j]) {
			j++
		}
	}
	return mobileBody(r, j, d)
}

// extensionAt reads an optional extension (转, 分机, ext, #, or a dash, then
// 1 to 6 digits not followed by another digit) at i.
func extensionAt(r []rune, i int) (int, string) {
	j := i
	switch {
	case hasPrefixRunes(r[j:], "转"), hasPrefixRunes(r[j:], "#"), hasPrefixRunes(r[j:], "-"):
		j++
	case hasPrefixRunes(r[j:], "分机"):
		j += 2
	case hasPrefixRunes(r[j:], "ext"), hasPrefixRunes(r[j:], "EXT"), hasPrefixRunes(r[j:], "Ext"):
		j += 3
		if j < len(r) && (r[j] == '.' || r[j] == ':') {
			j++
		}
	default:
		return i, ""
	}
	if j < len(r) && r[j] == ' ' && r[i] != '-' {
		j++
	}
	e := runEnd(r, j)
	if e-j < 1 || e-j > 6 {
		return i, ""
	}
	return e, string(r[j:e])
}

// matchLandline matches a landline number with optional extension at i.
func matchLandline(r []rune, i int) (match, bool) {
	j := i
	paren := r[j] == '('
	if paren {
		j++
	}
	if j >= len(r) || r[j] != '0' {
		return match{}, false
	}
	e := runEnd(r, j)
	alen := areaCodeLen(r[j:e])
	if alen == 0 {
		return match{}, false
	}
	var area, local []rune
	var end int
	switch g := e - j; {
	case g == alen:
		area = r[j:e]
		k := e
		if paren {
			if k >= len(r) || r[k] != ')' {
				return match{}, false
			}
			k++
			if k < len(r) && isSep(r[k]) {
				k++
			}
		} else if k < len(r) && isSep(r[k]) {
			k++
		} else {
			return match{}, false
		}
		var ok bool
		local, end, ok = localNumber(r, k)
		if !ok {
			return match{}, false
		}
	case !paren && (g == alen+7 || g == alen+8):
		if i > 0 && isASCIILetter(r[i-1]) {
			// SF049665595097, JD081436323153: a carrier's prefix and
			// digits, a waybill number, not a landline.
			return match{}, false
		}
		area, local, end = r[j:j+alen], r[j+alen:e], e
	default:
		return match{}, false
	}
	if local[0] < '2' {
		return match{}, false
	}
	p := Phone{Kind: KindLandline, Digits: string(area) + "-" + string(local)}
	end, p.Extension = extensionAt(r, end)
	return match{Finding: Finding{Kind: KindLandline, Start: i, End: end}, phone: p}, true
}

// localNumber reads a 7- or 8-digit local number at k, in one group or in two
// groups of at least 3 digits joined by one separator.
func localNumber(r []rune, k int) (local []rune, end int, ok bool) {
	if k >= len(r) || !isDigit(r[k]) {
		return nil, 0, false
	}
	e := runEnd(r, k)
	switch g := e - k; {
	case g == 7 || g == 8:
		return r[k:e], e, true
	case g >= 3 && g <= 5 && e+1 < len(r) && isSep(r[e]) && isDigit(r[e+1]):
		e2 := runEnd(r, e+1)
		g2 := e2 - e - 1
		if g2 >= 3 && (g+g2 == 7 || g+g2 == 8) {
			loc := make([]rune, 0, g+g2)
			loc = append(append(loc, r[k:e]...), r[e+1:e2]...)
			return loc, e2, true
		}
	}
	return nil, 0, false
}
