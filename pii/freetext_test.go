package pii

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

// TestFreeTextCorpus is the corpus of remarks, notes and ids that the
// free-text scanner must mask (positives) or leave alone (negatives). Each
// case gives the masked text and the kinds found, in order.
func TestFreeTextCorpus(t *testing.T) {
	const (
		N = KindName
		A = KindAddress
		M = KindMobile
		L = KindLandline
		E = KindEmail
		C = KindChatID
	)
	tests := []struct {
		text, masked string
		kinds        []string
	}{
		// Names in context.
		{"收件人王佳", "收件人王*", []string{N}},
		{"收件人：欧阳娜娜", "收件人：欧阳**", []string{N}},
		{"联系人 李四", "联系人 李*", []string{N}},
		{"收货人是陈小明，放门口", "收货人是陈**，放门口", []string{N}},
		{"寄件人刘德华", "寄件人刘**", []string{N}},
		{"姓名：赵敏", "姓名：赵*", []string{N}},
		{"到了交给张三先生", "到了交给张*先生", []string{N}},
		{"送货前给王佳打电话", "送货前给王*打电话", []string{N}},
		{"找周杰收", "找周*收", []string{N}},
		{"请联系王先生", "请联系*先生", []string{N}},
		{"李女士收", "*女士收", []string{N}},
		{"交给楼下黄阿姨", "交给楼下*阿姨", []string{N}},
		{"刘德华先生亲启", "刘**先生亲启", []string{N}},
		{"收件人王*", "收件人王*", nil}, // masked already
		// Compound surnames after a weak word; 送到…家; customer words.
		{"找诸葛明亮", "找诸葛**", []string{N}},
		{"找东方不败", "找东方**", []string{N}},
		{"给上官婉儿打电话", "给上官**打电话", []string{N}},
		{"联系欧阳锋", "联系欧阳*", []string{N}},
		{"叫司马懿来", "叫司马*来", []string{N}},
		{"送到东方不败家 B座1808", "送到东方**家 *座****", []string{N, A}},
		{"送到王佳家", "送到王*家", []string{N}},
		{"送张三家", "送张*家", []string{N}},
		{"客户诸葛明亮 回电", "客户诸葛** 回电", []string{N}},
		{"客户王佳回电", "客户王*回电", []string{N}},
		{"顾客李四", "顾客李*", []string{N}},
		{"买家张三丰", "买家张**", []string{N}},
		{"收件客户王佳", "收件客户王*", []string{N}},
		{"客户王先生", "客户*先生", []string{N}},
		// English flat and room numbers.
		{"Apt 17F", "Apt ***", []string{A}},
		{"Flat 1702", "Flat ****", []string{A}},
		{"Room 1203", "Room ****", []string{A}},
		{"Unit 5B", "Unit **", []string{A}},
		{"Rm 3-201", "Rm *-***", []string{A}},
		{"apt. #5B, 12 Main St", "apt. #**, 12 Main St", []string{A}},
		// Address tails.
		{"文三路4号5幢3单元601室", "文三路*号*幢*单元***室", []string{A}},
		{"门牌 7-7-707", "门牌 *-*-***", []string{A}},
		{"放3-2-1201门口", "放*-*-****门口", []string{A}},
		{"工人北路1088号", "工人北路****号", []string{A}},
		{"幸福小区12号楼3单元502", "幸福小区**号楼*单元***", []string{A}},
		{"放三单元门口", "放*单元门口", []string{A}},
		{"五〇二室", "***室", []string{A}},
		{"B座1203", "*座****", []string{A}},
		{"3栋1203室", "*栋****室", []string{A}},
		{"弄堂 128弄6号", "弄堂 ***弄*号", []string{A}},
		{"放在12楼前台", "放在**楼前台", []string{A}},
		{"房号：1502", "房号：****", []string{A}},
		{"门牌 7-707", "门牌 *-***", []string{A}},
		{"12A号", "***号", []string{A}},
		// Phones in every disguise.
		{"电话一三八一二三四五六七八", "电话138******78", []string{M}},
		{"打幺三八洞洞一二三四五六", "打138******56", []string{M}},
		{"138_1234_5678", "138******78", []string{M}},
		{"１３８ １２３４ ５６７８", "138******78", []string{M}},
		{"1 3 8 1 2 3 4 5 6 7 8", "138******78", []string{M}},
		{"138  1234  5678", "138******78", []string{M}},
		{"138-12-34-56-78", "138******78", []string{M}},
		{"138.1234.5678", "138******78", []string{M}},
		{"+86-138-1234-5678", "138******78", []string{M}},
		{"+86-一三八一二三四五六七八", "138******78", []string{M}},
		{"１３５０００Ｏ１１１１", "135******11", []string{M}},
		{"1350OO01111", "135******11", []string{M}},
		{"电话135 OOO1 1111", "电话135******11", []string{M}},
		{"手机13500Ol1111", "手机135******11", []string{M}},
		{"手机：壹叁捌壹贰叁肆伍陆柒捌", "手机：138******78", []string{M}},
		{"138/1234/5678", "138******78", []string{M}},
		{"电话138\u200b1234\u200b5678", "电话138******78", []string{M}},
		{"座机０５７９＿８５１２３４５６", "座机0579-******56", []string{L}},
		{"洞五七九 八五一二 三四五六", "0579-******56", []string{L}},
		// E-mail and chat ids.
		{"邮箱 zhangsan@qq.com", "邮箱 z***@qq.com", []string{E}},
		{"发到 li.si+shop@example.com.cn 谢谢", "发到 l***@example.com.cn 谢谢", []string{E}},
		{"QQ号：123456789", "QQ号：1********", []string{C}},
		{"qq 10001", "qq 1****", []string{C}},
		{"加微信 zhang_san88", "加微信 z**********", []string{C}},
		{"vx: wxid_abc123", "vx: w**********", []string{C}},
		{"WX：lisi-2024", "WX：l********", []string{C}},
		{"扣扣 一二三四五六七八", "扣扣 一*******", []string{C}},
		{"微信同号13812345678", "微信同号138******78", []string{M}},
		// Everything at once, the words kept.
		{"收件人王佳，文三路4号5幢3单元601室，电话幺三八一二三四五六七八",
			"收件人王*，文三路*号*幢*单元***室，电话138******78", []string{N, A, M}},

		// Negatives: order, waybill, SKU, lot, price and date numbers.
		{"顺丰单号 SF049665595097", "", nil},
		{"JD081436323153", "", nil},
		{"京东 JDVA12345678901", "", nil},
		{"中通 73902468013579", "", nil},
		{"韵达 4312345678901", "", nil},
		{"订单 YWG-20261128-000123", "", nil},
		{"SKU A1234-56 数量 3 件", "", nil},
		{"批次 LOT-2026-1128-07", "", nil},
		{"价格 1,388.00 元", "", nil},
		{"单价 13.80 元，共 12 件", "", nil},
		{"日期 2023-10-01", "", nil},
		{"2026/11/28 13:45 下单", "", nil},
		{"请在12月5号前送达", "", nil},
		{"5号前发货", "", nil},
		{"买两节5号电池", "", nil},
		{"尺码 42，颜色 黑", "", nil},
		{"10-01-2023 送达", "", nil},
		{"给个好评，谢谢", "", nil},
		{"联系方式见订单", "", nil},
		{"请放快递柜", "", nil},
		{"不要电话联系，发短信", "", nil},
		{"送货前请联系", "", nil},
		{"IP 192.168.100.200", "", nil},
		{"第三方仓库", "", nil},
		{"一二三四五", "", nil},
		{"wxyz 123456", "", nil},
		{"WX-2023 型号", "", nil},
		{"邮件 @所有人", "", nil},
		{"请交给门卫或保安", "", nil},
		{"放菜鸟驿站，交给家人也行", "", nil},
		{"周一至周五送货", "", nil},
		{"给第五个", "", nil},
		{"找南门保安", "", nil},
		{"送到金色家园", "", nil},
		{"送到王府井家乐福", "", nil},
		{"送到张家港", "", nil},
		{"客户服务", "", nil},
		{"客户端", "", nil},
		{"客户服务中心电话", "", nil},
		{"客户方面没问题", "", nil},
		{"客户关系管理", "", nil},
		{"买家付款后发货", "", nil},
		{"客户要求", "", nil},
		{"客户明天来", "", nil},
		{"顾客至上", "", nil},
		{"Unit price 12.50", "", nil},
		{"Unit 12.50", "", nil},
		{"Room for 2", "", nil},
		{"roommate 3", "", nil},
		{"SF1350OO01111", "", nil},
		{"I love 1O", "", nil},
		{"1350OO011110", "", nil},
		{"型号 IO-2024", "", nil},
	}
	if len(tests) < 60 {
		t.Fatalf("corpus has %d cases, want at least 60", len(tests))
	}
	for _, tt := range tests {
		checkMaskText(t, tt.text, tt.masked, tt.kinds)
	}
}

// checkMaskText checks that MaskText turns text into masked (empty: text
// is left alone) finding kinds in order, and that masking again changes
// nothing. It returns what MaskText gave.
func checkMaskText(t *testing.T, text, masked string, kinds []string) string {
	t.Helper()
	want := masked
	if want == "" {
		want = text
	}
	got, fs := MaskText(text)
	var found []string
	for _, f := range fs {
		found = append(found, f.Kind)
	}
	if got != want || !reflect.DeepEqual(found, kinds) {
		t.Errorf("MaskText(%q) = %q %v, want %q %v", text, got, found, want, kinds)
	}
	if again, more := MaskText(got); again != got || more != nil {
		t.Errorf("MaskText(%q) = %q: masking again gives %q %v", text, got, again, more)
	}
	return got
}

// maskCase is one free text for checkMaskCases: what MaskText must make of
// it (empty: left alone), the kinds it must find, in order, and the secret
// (a phone's digits or a name; empty: none) that must not survive.
type maskCase struct {
	text, masked string
	kinds        []string
	secret       string
}

// checkMaskCases runs checkMaskText over every case and checks that no
// case's secret survives the mask: not the whole name, and no 6 digits of
// the phone, read forwards or backwards.
func checkMaskCases(t *testing.T, cases []maskCase) {
	t.Helper()
	for _, tt := range cases {
		masked := checkMaskText(t, tt.text, tt.masked, tt.kinds)
		switch {
		case tt.secret == "":
		case unicode.Is(unicode.Han, []rune(tt.secret)[0]):
			if strings.Contains(masked, tt.secret) {
				t.Errorf("MaskText(%q) = %q shows the name %q", tt.text, masked, tt.secret)
			}
		default:
			stream := digitStream(masked)
			for i := 0; i+6 <= len(tt.secret); i++ {
				if strings.Contains(stream, tt.secret[i:i+6]) || strings.Contains(reverse(stream), tt.secret[i:i+6]) {
					t.Errorf("MaskText(%q) = %q keeps digits %s", tt.text, masked, tt.secret[i:i+6])
				}
			}
		}
	}
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// digitStream folds every digit encoding to ASCII and drops what people put
// between digits, so that "1 3 8_一二" reads "13812". Anything else (a star,
// a letter, a word) ends a run; runs are joined by '|'.
func digitStream(s string) string {
	var b strings.Builder
	for _, c := range foldRunes(s) {
		if isPhoneDigit(c) {
			b.Write(appendPhoneDigits(nil, c))
		} else if !isPhoneSep(c) {
			b.WriteByte('|')
		}
	}
	return b.String()
}

// TestMaskTextHidesSpelledPhones is a property test: however a mobile number
// is written (ASCII, full-width or Chinese digits, 幺 and 洞, any separators,
// any prefix) and whatever words surround it, the masked text never holds 6
// consecutive digits of it, in any encoding.
func TestMaskTextHidesSpelledPhones(t *testing.T) {
	rng := rand.New(rand.NewPCG(41833, 2022))
	encodings := []func(byte) string{
		func(d byte) string { return string(rune(d)) },
		func(d byte) string { return string(rune('０' + rune(d-'0'))) },
		func(d byte) string { return string([]rune("〇一二三四五六七八九")[d-'0']) },
		func(d byte) string { return string([]rune("洞幺二三四五六七八九")[d-'0']) },
		func(d byte) string { return string([]rune("零壹贰叁肆伍陆柒捌玖")[d-'0']) },
		func(d byte) string { return string([]rune("⓪①②③④⑤⑥⑦⑧⑨")[d-'0']) },
		func(d byte) string { return string([]rune("⓿❶❷❸❹❺❻❼❽❾")[d-'0']) },
	}
	seps := []string{"", "", "", " ", "-", ".", "_", "  ", " - ", "·", "/", "　", "－", "＿", "，", ",", "（", "）", "(", ")", "；"}
	prefixes := []string{"", "", "+86-", "+86 ", "0086 ", "+86", "（+86）"}
	words := []string{"请联系", "电话", "到了打", "手机：", "收件人王佳", "，谢谢", "放门口", "备注", "急",
		"SKU A12 ", "订单 YWG-", "顺丰", "送货前", "（白天）", "tel:", "微信同号", "!", "~"}
	prefix3 := []string{"130", "133", "135", "138", "139", "147", "150", "158", "166", "177", "180", "189", "199"}
	for n := 0; n < 20000; n++ {
		var d [11]byte
		copy(d[:], prefix3[rng.IntN(len(prefix3))])
		for i := 3; i < 11; i++ {
			d[i] = byte('0' + rng.IntN(10))
		}
		enc := encodings[rng.IntN(len(encodings))]
		var b strings.Builder
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteString(prefixes[rng.IntN(len(prefixes))])
		sep := seps[rng.IntN(len(seps))]
		for i, c := range d {
			if i > 0 && rng.IntN(3) == 0 {
				b.WriteString(sep)
			}
			if rng.IntN(4) == 0 {
				b.WriteString(encodings[rng.IntN(len(encodings))](c))
			} else {
				b.WriteString(enc(c))
			}
		}
		b.WriteString(words[rng.IntN(len(words))])
		text := b.String()
		masked, _ := MaskText(text)
		stream := digitStream(masked)
		for i := 0; i+6 <= 11; i++ {
			if strings.Contains(stream, string(d[i:i+6])) {
				t.Fatalf("MaskText(%q) = %q keeps digits %s of %s", text, masked, d[i:i+6], d[:])
			}
		}
		if again, _ := MaskText(masked); again != masked {
			t.Fatalf("MaskText not stable on %q: %q then %q", text, masked, again)
		}
	}
}
