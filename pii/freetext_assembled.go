package pii

import "strings"

// --- phones assembled from groups -------------------------------------------

// A phone number can be cut into groups of digits with anything between
// them: words (138 先 1234 后 5678, 138 then 1234 then 5678), line breaks,
// emoji or stars, or be told tail first (尾号5678，前面1381234). The rule,
// within one text:
//
//   - A group is a run of digits in any encoding (ASCII, full width,
//     Chinese numerals with 幺 两 拐 洞 勾, enclosed numbers) of at least 3
//     digits that is not a quantity, price or time: no unit of measure or
//     money after it (138元, 1200件), no currency sign before it, no decimal
//     point or colon joining it to more digits (13.80, 13:45).
//   - A group right after an identifier's or a quantity's label (工单, 货号,
//     发票号, SKU, 数量 …), one that a token of letters starts (A6372,
//     TB138) or the last part of a code (YWG-20260412-539285) is a code: it
//     may start a phone (TB138先1234后5678) but never continue one.
//     Letters between two groups (138then1234) join them.
//   - Up to four such groups in a row, each at most maxGap runes after the
//     one before, that make 11 digits spelling a mobile number in their
//     written order are a phone: the digits are starred but the first 3
//     and the last 2, and what is between the groups is kept. With a phone
//     word near them (below) a landline with its area code (10 to 12
//     digits) or an 86 prefix counts too.
//   - Two or three such groups with a phone or position word before or
//     between them (电话, 打, 尾号, 前面, 后四位, 倒过来 …) are a phone too
//     when they spell a mobile number in any order of the groups; then every
//     digit is starred.
//
// Groups of fewer than 3 digits are never part of one (one or two Chinese
// numerals are a word between groups: 后四位5678): that keeps dates
// (2026-11-28), times, sizes and what masking leaves of a number
// (138******78: 138 and 78) out. Order, waybill and SKU numbers are single
// runs of more than 11 digits or glued to letters, or do not make a mobile
// number with their neighbours.
const (
	maxGap       = 6 // runes between two groups of an assembled phone
	minGroup     = 3 // digits in a group
	maxAssembled = 4 // groups in an assembled phone
)

// assembleWords say that the groups near them are one phone number, told
// in parts or out of order (lower case).
var assembleWords = newWords("电话", "手机", "号码", "联系方式", "打", "拨", "call", "tel", "phone", "mobile",
	"尾号", "后四位", "后4位", "前七位", "前7位", "前三位", "前3位", "前面", "后面", "开头", "结尾", "中间",
	"倒过来", "反过来", "倒着", "倒序", "反着")

// unitsAfter are what after a number make it a quantity or an amount (138元,
// 1200件, 500g); a house word makes it an address, which scanAddressTails
// masks.
const unitsAfter = "元块圆角分件个只箱盒包袋瓶罐支条双套台张本片粒斤克吨米升次天年月日号时点秒岁人位%℃gGkKmM"

type digitGroup struct {
	start, end int // runes of the group
	n          int // digits it stands for
}

// scanAssembledPhones finds phones cut into groups (see the rule above).
func scanAssembledPhones(r []rune, found func(match)) {
	var buf [16]digitGroup // on the stack: most texts have a few groups
	gs := buf[:0]
	for i := 0; i <= len(r); {
		if i < len(r) && !isPhoneDigit(r[i]) {
			i++
			continue
		}
		if i == len(r) {
			if len(gs) >= 2 {
				assembledInRun(r, gs, found)
			}
			break
		}
		j, n := i, 0
		for j < len(r) && isPhoneDigit(r[j]) {
			if v, ok := enclosedNumber(r[j]); ok && v >= 10 {
				n++
			}
			n++
			j++
		}
		g := digitGroup{i, j, n}
		i = j
		if n < minGroup && hanNumerals(r[g.start:g.end]) {
			continue // 四位, 一下, 两件: a word, part of the gap
		}
		breaks := n < minGroup || isQuantity(r, g.start, g.end)
		starts := len(gs) > 0 && (g.start-gs[len(gs)-1].end > maxGap || isCode(r, g.start) || afterIDWord(r, g.start))
		if breaks || starts {
			if len(gs) >= 2 {
				assembledInRun(r, gs, found)
			}
			gs = gs[:0]
		}
		if !breaks {
			gs = append(gs, g)
		}
	}
}

// idWords label a number that is an identifier of something other than a
// person (工单 1469108, 货号 3822, 发票号 83454775): a group right after
// one does not continue a phone (lower case).
var idWords = newWords("单号", "订单", "工单", "货号", "发票", "条码", "批次", "编号", "型号", "款号", "货位", "库位",
	"数量", "库存", "尺码", "重量", "金额", "单价", "价格", "合计", "总计", "共",
	"sku", "lot", "no.", "po", "id", "qty")

// afterIDWord reports an idWords word ending at most two spaces, colons or
// number signs before r[s].
func afterIDWord(r []rune, s int) bool {
	for k := s; k >= 0 && s-k <= 2; k-- {
		if idWords.endsAt(r, k) > 0 {
			return true
		}
		if k == 0 || !strings.ContainsRune(" :#号", r[k-1]) {
			break
		}
	}
	return false
}

// isCode reports a group that a token of letters starts, as in a SKU or
// waybill code (A6372, SF0496…): letters that follow a digit group
// (138then1234) join two groups instead.
func isCode(r []rune, s int) bool {
	k := s
	for k > 0 && isASCIILetter(r[k-1]) {
		k--
	}
	if k < s {
		return k == 0 || !isPhoneDigit(r[k-1])
	}
	// The last part of a code in parts: YWG-20260412-539285, LOT-2026-07.
	if k == 0 || r[k-1] != '-' && r[k-1] != '_' {
		return false
	}
	for from := k; k > 0 && from-k < 24 && (isASCIIAlnum(r[k-1]) || r[k-1] == '-' || r[k-1] == '_'); k-- {
		if isASCIILetter(r[k-1]) {
			return true
		}
	}
	return false
}

// hanNumerals reports runes that are all Chinese numerals.
func hanNumerals(r []rune) bool {
	for _, c := range r {
		if c < 0x4e00 || c > 0x9fff {
			return false
		}
	}
	return true
}

// isQuantity reports a group r[s:e] that is an amount, quantity, time,
// decimal or year: a unit after it, a currency sign before it, a decimal
// point or colon between it and more digits, or 19xx/20xx starting a date.
func isQuantity(r []rune, s, e int) bool {
	k := e
	if k < len(r) && r[k] == ' ' {
		k++
	}
	if k < len(r) && strings.ContainsRune(unitsAfter, r[k]) {
		return true
	}
	if k = s; k > 0 && r[k-1] == ' ' {
		k--
	}
	if k > 0 && strings.ContainsRune("¥￥$€£", r[k-1]) {
		return true
	}
	if e+1 < len(r) && (r[e] == '.' || r[e] == ':') && isDigit(r[e+1]) {
		return true
	}
	if e-s == 4 && (r[s] == '1' && r[s+1] == '9' || r[s] == '2' && r[s+1] == '0') &&
		e+1 < len(r) && strings.ContainsRune("-/.年", r[e]) && (isDigit(r[e+1]) || r[e] == '年') {
		return true // a year: 2026-05-20, 2026/5/16, 2026年
	}
	return s > 1 && (r[s-1] == '.' || r[s-1] == ':') && isDigit(r[s-2])
}

// assembledInRun reports the phones in a run of groups, each within maxGap
// of the one before.
func assembledInRun(r []rune, gs []digitGroup, found func(match)) {
	for a := 0; a < len(gs); a++ {
		n := 0
		for b := a; b < len(gs) && b-a < maxAssembled; b++ {
			n += gs[b].n
			if n > 13 {
				break
			}
			if b == a || n < 10 {
				continue // a mobile has 11 digits, a landline 10 to 12
			}
			w := gs[a : b+1]
			if m, ok := assembledPhone(r, w); ok {
				found(m)
				a = b
				break
			}
		}
	}
}

// assembledPhone reads the groups w as one phone number.
func assembledPhone(r []rune, w []digitGroup) (match, bool) {
	var buf [32]byte
	d := buf[:0]
	for _, g := range w {
		d = readDigitGroup(d, r, group{g.start, g.end})
	}
	start, end := w[0].start, w[len(w)-1].end
	afterLetter := start > 0 && isASCIIAlnum(r[start-1])
	context := assembleContext(r, w)
	if p, ok := spelledPhone(d, context, afterLetter); ok && (context || len(d) == 11) {
		return match{Finding: Finding{Kind: p.Kind, Start: start, End: end}, phone: p, repl: starGroups(r, w, 3, 2)}, true
	}
	if len(w) > 3 || len(d) != 11 || !context {
		return match{}, false
	}
	for _, perm := range permutations[len(w)] {
		d = d[:0]
		for _, k := range perm {
			d = readDigitGroup(d, r, group{w[k].start, w[k].end})
		}
		if len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' {
			p := Phone{Kind: KindMobile, Digits: string(d)}
			return match{Finding: Finding{Kind: KindMobile, Start: start, End: end}, phone: p, repl: starGroups(r, w, 0, 0)}, true
		}
	}
	return match{}, false
}

// permutations are the orders of 2 and 3 groups other than the written one.
var permutations = [][][]int{2: {{1, 0}}, 3: {{0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}}

// assembleContext reports an assembleWords word in the gaps between the
// groups w or ending at most maxGap runes before the first.
func assembleContext(r []rune, w []digitGroup) bool {
	from := max(0, w[0].start-maxGap)
	for k := from; k < w[len(w)-1].end; k++ {
		if !assembleWords.startsWith(r[k]) {
			continue
		}
		if _, n := assembleWords.at(r, k); n > 0 {
			return true
		}
	}
	return false
}

// starGroups masks the digits of the groups w but the first keep and last
// tail digits, keeping everything between the groups. A rune that stands
// for two digits (⑬) is kept only if both are.
func starGroups(r []rune, w []digitGroup, keep, tail int) string {
	total := 0
	for _, g := range w {
		total += g.n
	}
	var b strings.Builder
	pos := 0
	for i, g := range w {
		if i > 0 {
			b.WriteString(string(r[w[i-1].end:g.start]))
		}
		for _, c := range r[g.start:g.end] {
			n := 1
			if v, ok := enclosedNumber(c); ok && v >= 10 {
				n = 2
			}
			if pos+n <= keep || pos >= total-tail {
				b.WriteRune(c)
			} else {
				b.WriteString(stars(1))
			}
			pos += n
		}
	}
	return b.String()
}
