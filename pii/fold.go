package pii

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fold maps the full-width and typographic forms people paste into order
// fields (full-width digits and signs, Unicode dashes, ideographic spaces) to
// their ASCII equivalents, so that one matcher handles both. It also maps
// every Unicode decimal digit (Arabic-Indic ١, Devanagari, mathematical 𝟏)
// to its ASCII digit, the traditional forms of the characters the matchers
// look for (號, 樓, 給, 歐陽, 參 …) to the simplified ones, and any other
// rune whose NFKC form is one rune (¹, ⁸, ₃, Ⅰ, ㊀) to that rune. It maps one
// rune to one rune, so rune offsets are preserved and a mask can replace
// the original runes.
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
	if simplifiedKeys.mayHave(r) {
		if s, ok := simplified[r]; ok {
			return s
		}
	}
	if r >= 0x4e00 && r <= 0x9fff {
		return r // a unified ideograph: NFKC leaves it alone
	}
	if d, ok := digitValue(r); ok {
		return '0' + rune(d)
	}
	if c := foldPunct(r); c != r {
		return c
	}
	var b [utf8.UTFMax]byte
	n := utf8.EncodeRune(b[:], r)
	if dec := norm.NFKC.Properties(b[:n]).Decomposition(); len(dec) > 0 {
		if c, size := utf8.DecodeRune(dec); size == len(dec) && c != utf8.RuneError {
			if c < 0x80 || c >= 0x4e00 && c <= 0x9fff {
				return fold(c)
			}
		}
	}
	return r
}

// digitValue returns the value of a Unicode decimal digit (category Nd).
// Unicode encodes every such digit in a run of ten from zero to nine, and
// Go's table keeps the runs whole (TestDigitValueRuns), so the value is
// the offset in the run modulo 10.
func digitValue(r rune) (int, bool) {
	if !unicode.IsDigit(r) {
		return 0, false
	}
	if r <= 0xffff {
		for _, g := range unicode.Nd.R16 {
			if rune(g.Lo) <= r && r <= rune(g.Hi) {
				return int(r-rune(g.Lo)) % 10, true
			}
		}
	}
	for _, g := range unicode.Nd.R32 {
		if rune(g.Lo) <= r && r <= rune(g.Hi) {
			return int(r-rune(g.Lo)) % 10, true
		}
	}
	return 0, false
}

// simplified maps the traditional forms of the characters that the name,
// address and phone matchers look for to their simplified forms: the house
// words (號 樓 棟 單 層 戶), context words (給 聯繫 貨 發 簽 電話 機 轉 門
// 間 見 應 該), financial numerals (參 貳 陸 兩) and common surnames.
var simplified = func() map[rune]rune {
	const trad, simp = "號樓棟單層戶鋪給聯繫係貨發簽電話機轉門間碼見應該這個與們讓來時點開關聲錢參叄貳陸兩萬億圓塊" +
		"歐陽張劉陳楊黃趙吳孫馬鄭謝韓馮鄧蕭許葉蘇呂盧蔣賈龍羅鍾譚湯閻顧葛諸東長軒轅離臺聞獨宮遲範鄒熊傅戴蘭鳳嚴魯齊薑溫陸賴龔萬",
		"号楼栋单层户铺给联系系货发签电话机转门间码见应该这个与们让来时点开关声钱参叁贰陆两万亿圆块" +
			"欧阳张刘陈杨黄赵吴孙马郑谢韩冯邓萧许叶苏吕卢蒋贾龙罗钟谭汤阎顾葛诸东长轩辕离台闻独宫迟范邹熊傅戴兰凤严鲁齐姜温陆赖龚万"
	t, s := []rune(trad), []rune(simp)
	if len(t) != len(s) {
		panic("pii: simplified table out of step")
	}
	m := make(map[rune]rune, len(t))
	for i, c := range t {
		if c != s[i] {
			m[c] = s[i]
		}
	}
	return m
}()

// simplifiedKeys are the keys of simplified: most runes are not, and a bit
// test says so faster than the map.
var simplifiedKeys = func() (f runeFilter) {
	for c := range simplified {
		f.add(c)
	}
	return f
}()

// foldPunct maps full-width and typographic punctuation to ASCII.
func foldPunct(r rune) rune {
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
