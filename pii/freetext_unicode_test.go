package pii

import (
	"testing"
	"unicode"
)

// TestFreeTextUnicodeGaps covers the forms a second outside test got past
// MaskText: names before 收 and after 致 or an address, in traditional
// characters or spaced out; phones in traditional financial numerals, any
// Unicode decimal digits, superscripts, keycaps, a Roman Ⅰ, split by a word
// or written backwards after a phone word; an ID number in groups; house
// numbers before traditional house words. Masks replace the original runes.
func TestFreeTextUnicodeGaps(t *testing.T) {
	const (
		N = KindName
		A = KindAddress
		M = KindMobile
		I = KindIDNumber
	)
	tests := []maskCase{
		{"欧阳娜娜收", "欧阳**收", []string{N}, "欧阳娜娜"},
		{"放门口，欧阳娜娜收", "放门口，欧阳**收", []string{N}, "欧阳娜娜"},
		{"王佳收", "王*收", []string{N}, "王佳"},
		{"致欧阳娜娜", "致欧阳**", []string{N}, "欧阳娜娜"},
		{"致王佳：生日快乐", "致王*：生日快乐", []string{N}, "王佳"},
		{"交給歐陽娜娜", "交給歐陽**", []string{N}, "歐陽娜娜"},
		{"收件人：陳小明", "收件人：陳**", []string{N}, "陳小明"},
		{"娜娜收", "娜*收", []string{N}, "娜娜"},
		{"文三路4号 欧阳娜娜", "文三路*号 欧阳**", []string{A, N}, "欧阳娜娜"},
		{"文三路4号601室，王佳 13812345678", "文三路*号***室，王* 138******78", []string{A, N, M}, "王佳"},
		{"收件人 欧 阳 娜 娜", "收件人 欧 阳 * *", []string{N}, "娜 娜"},
		{"收件人 王 佳", "收件人 王 *", []string{N}, "王 佳"},

		{"壹参捌 壹贰参 肆伍陆柒捌", "138******78", []string{M}, "13812345678"},
		{"手机壹參捌壹貳參肆伍陸柒捌", "手机138******78", []string{M}, "13812345678"},
		{"电话𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", "电话138******78", []string{M}, "13812345678"},
		{"𝟭𝟯𝟴 𝟭𝟮𝟯𝟰 𝟱𝟲𝟳𝟴", "138******78", []string{M}, "13812345678"},
		{"¹³⁸¹²³⁴⁵⁶⁷⁸", "138******78", []string{M}, "13812345678"},
		{"١٣٨١٢٣٤٥٦٧٨", "138******78", []string{M}, "13812345678"},
		{"۱۳۸۱۲۳۴۵۶۷۸", "138******78", []string{M}, "13812345678"},
		{"१३८१२३४५६७८", "138******78", []string{M}, "13812345678"},
		{"1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "138******78", []string{M}, "13812345678"},
		{"Ⅰ3812345678", "138******78", []string{M}, "13812345678"},
		{"1381234 和 5678", "138******78", []string{M}, "13812345678"},
		{"电话138 1234然后5678", "电话138******78", []string{M}, "13812345678"},
		{"电话87654321831", "电话87******831", []string{M}, "13812345678"},
		{"号码倒过来是 87654321831", "号码倒过来是 87******831", []string{M}, "13812345678"},
		{"87654321831 倒过来", "87******831 倒过来", []string{M}, "13812345678"},

		{"身份证 110101 19900307 7571", "身份证 110*** ******** **71", []string{I}, "110101199003077571"},
		{"110101-1990-0307-7571", "110***-****-****-**71", []string{I}, "110101199003077571"},

		{"文三路4號", "文三路*號", []string{A}, ""},
		{"3棟2單元501室", "*棟*單元***室", []string{A}, ""},
		{"12樓", "**樓", []string{A}, ""},
		{"8層", "*層", []string{A}, ""},
		{"5號樓", "*號樓", []string{A}, ""},

		// Left alone.
		{"87654321831", "", nil, ""},
		{"订单 20261128031", "", nil, ""},
		{"电话 20261128031", "", nil, ""},
		{"110101 19900307 7570", "", nil, ""}, // wrong checksum
		{"SF049665595097 和 1234", "", nil, ""},
		{"2件和3件", "", nil, ""},
		{"天天收快递", "", nil, ""},
		{"刚刚收到", "", nil, ""},
		{"马上收", "", nil, ""},
		{"何时收", "", nil, ""},
		{"周末收", "", nil, ""},
		{"王佳收到了吗", "", nil, ""},
		{"结果一致王老师", "结果一致*老师", []string{N}, ""},
		{"致谢", "", nil, ""},
		{"导致延误", "", nil, ""},
		{"3号 金色家园", "*号 金色家园", []string{A}, ""},
		{"5号 明天送", "*号 明天送", []string{A}, ""},
		{"12月5号 王佳", "", nil, ""},
		{"面积 120m²", "", nil, ""},
		{"第Ⅰ期 2026-11-28", "", nil, ""},
		{"订单 YWG-20261128-000123 和 5678", "", nil, ""},
	}
	checkMaskCases(t, tests)
}

// TestScanRefusesUnicodeGapsInOrderIDs: Scan, which intake uses to refuse
// a merchant order id, finds each new form.
func TestScanRefusesUnicodeGapsInOrderIDs(t *testing.T) {
	for id, kind := range map[string]string{
		"欧阳娜娜收": KindName, "TB-𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖": KindMobile, "PO-壹參捌壹貳參肆伍陸柒捌": KindMobile,
		"110101 19900307 7571": KindIDNumber, "文三路4號": KindAddress, "١٣٨١٢٣٤٥٦٧٨": KindMobile,
	} {
		if fs := Scan(id); len(fs) != 1 || fs[0].Kind != kind {
			t.Errorf("Scan(%q) = %v, want one %s", id, fs, kind)
		}
	}
}

// TestDigitValueRuns checks what digitValue relies on: every run of
// decimal digits in Go's Unicode table holds whole decades, zero first.
func TestDigitValueRuns(t *testing.T) {
	check := func(lo, hi, stride uint32) {
		if stride != 1 || (hi-lo+1)%10 != 0 {
			t.Errorf("Nd range %U-%U stride %d is not whole decades", lo, hi, stride)
		}
	}
	for _, g := range unicode.Nd.R16 {
		check(uint32(g.Lo), uint32(g.Hi), uint32(g.Stride))
	}
	for _, g := range unicode.Nd.R32 {
		check(g.Lo, g.Hi, g.Stride)
	}
	for c, want := range map[rune]rune{'٣': '3', '𝟖': '8', '९': '9', '¹': '1', '₃': '3', '０': '0', '號': '号', '參': '参'} {
		if got := fold(c); got != want {
			t.Errorf("fold(%q) = %q, want %q", c, got, want)
		}
	}
}
