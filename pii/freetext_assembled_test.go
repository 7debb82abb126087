package pii

import (
	"strings"
	"testing"
	"unicode"
)

// TestFreeTextRedteam3 covers the forms a third outside test got past
// MaskText: phones in radio digits (两, 拐, 勾), split into groups with
// words, line breaks, emoji or stars between them, or told tail first;
// names beside a phone, before 的包裹, in pinyin after a label, and whole
// before a title; room, unit and parking numbers; e-mail addresses with
// "at" and "dot" spelled out. No 6 digits of the phone and no more than the
// surname of a name may remain.
func TestFreeTextRedteam3(t *testing.T) {
	const (
		N = KindName
		A = KindAddress
		M = KindMobile
		E = KindEmail
	)
	tests := []struct {
		text, masked string
		kinds        []string
		secret       string // the phone's digits, or the name (Han or Latin)
	}{
		{"幺三八幺两三四五六拐八", "138******78", []string{M}, "13812345678"},
		{"电话幺三八 幺两三四 五六拐八", "电话138******78", []string{M}, "13812345678"},
		{"手机幺勾九洞幺两三四五六拐", "手机199******67", []string{M}, "19901234567"},
		{"打 138 先 1234 后 5678", "打 138 先 **** 后 **78", []string{M}, "13812345678"},
		{"打138 再 1234 再 5678", "打138 再 **** 再 **78", []string{M}, "13812345678"},
		{"138 then 1234 then 5678", "138 then **** then **78", []string{M}, "13812345678"},
		{"电话138\n1234\n5678", "电话138\n****\n**78", []string{M}, "13812345678"},
		{"电话138🙂1234🙂5678", "电话138🙂****🙂**78", []string{M}, "13812345678"},
		{"电话138＊1234＊5678", "电话138********78", []string{M}, "13812345678"},
		{"电话138*1234*5678", "电话138********78", []string{M}, "13812345678"},
		{"一三八先一二三四后五六七八", "一三八先****后**七八", []string{M}, "13812345678"},
		{"尾号5678，前面1381234", "尾号****，前面*******", []string{M}, "13812345678"},
		{"前面1381234，尾号5678", "前面138****，尾号**78", []string{M}, "13812345678"},
		{"后四位5678 前七位1381234", "后四位**** 前七位*******", []string{M}, "13812345678"},
		{"反过来读 87654321831", "反过来读 87******831", []string{M}, "13812345678"},

		{"电话 13812345678（谭文鹏）", "电话 138******78（谭**）", []string{M, N}, "文鹏"},
		{"13812345678 (王佳)", "138******78 (王*)", []string{M, N}, "王佳"},
		{"谭文鹏 13812345678", "谭** 138******78", []string{N, M}, "文鹏"},
		{"放门口，谭文鹏：13812345678", "放门口，谭**：138******78", []string{N, M}, "文鹏"},
		{"谭文鹏的包裹", "谭**的包裹", []string{N}, "文鹏"},
		// The outside re-check of these fixes: 交予, 请…签收, …本人.
		{"请交予谭文鹏本人", "请交予谭**本人", []string{N}, "文鹏"},
		{"请谭文鹏签收", "请谭**签收", []string{N}, "文鹏"},
		{"谭文鹏本人签收", "谭**本人签收", []string{N}, "文鹏"},
		{"这是王佳的快递", "这是王*的快递", []string{N}, "王佳"},
		{"收件人:Tan Wenpeng", "收件人:T** *******", []string{N}, "Wenpeng"},
		{"收货人 tan wenpeng，放门口", "收货人 t** *******，放门口", []string{N}, "wenpeng"},
		{"谭文鹏先生的快递", "谭**先生的快递", []string{N}, "文鹏"},
		{"谭文鹏女士收", "谭**女士收", []string{N}, "文鹏"},
		{"欧阳娜娜女士", "欧阳**女士", []string{N}, "娜娜"},

		{"701房间", "***房间", []string{A}, ""},
		{"绿城小区12-301", "绿城小区**-***", []string{A}, ""},
		{"地下室B2-15", "地下室**-**", []string{A}, ""},
		{"车位 B1-032", "车位 **-***", []string{A}, ""},
		{"地址文三路8号3-2-301", "地址文三路*号*-*-***", []string{A}, ""},

		{"tan.wenpeng at qq dot com", "t*** at qq dot com", []string{E}, "wenpeng"},
		{"tan.wenpeng（at）qq（dot）com", "t***(at)qq(dot)com", []string{E}, "wenpeng"},
		{"邮箱 tan.wenpeng [at] qq [dot] com", "邮箱 t*** [at] qq [dot] com", []string{E}, "wenpeng"},
		{"tanwenpeng艾特qq点com", "t***艾特qq点com", []string{E}, "wenpeng"},
		{"tan.wenpeng@qq dot com", "t***@qq dot com", []string{E}, "wenpeng"},
		{"tan dot wenpeng AT 163 DOT com", "t*** AT 163 DOT com", []string{E}, "wenpeng"},

		// Left alone: order, waybill, SKU, lot, price, date numbers and
		// ordinary words.
		{"单价138元 库存1200件 SKU 5678", "", nil, ""},
		{"本人签收，易碎品签收时当面验货", "", nil, ""},
		{"包裹放前台签收，或家人签收，周末签收也行", "", nil, ""},
		{"客户本人签收，需要本人签收，车库签收", "", nil, ""},
		{"工单 131、发票号 83454775", "", nil, ""},
		{"工单 1545205、SKU A3775-73", "", nil, ""},
		{"发票号 03825571，日期 2026-05-16", "", nil, ""},
		{"货号 02791\n货号 02288", "", nil, ""},
		{"工单 0589230\n2026/1/27", "", nil, ""},
		{"2026-11-28 13:45 下单，订单 138", "", nil, ""},
		{"订单 YWG-20261128-000123 尾号 0123", "", nil, ""},
		{"SF049665595097 和 JD081436323153", "", nil, ""},
		{"批次 LOT-2026-1128-07 数量 138 件", "", nil, ""},
		{"左拐就到，勾选发票", "", nil, ""},
		{"易碎的包裹，轻放", "", nil, ""},
		{"周末的快递放门卫", "", nil, ""},
		{"13812345678 明天送", "138******78 明天送", []string{M}, ""},
		{"13812345678（白天）", "138******78（白天）", []string{M}, ""},
		{"苏宁-001", "", nil, ""},
		{"麦当劳的外卖", "", nil, ""},
		{"安踏的包裹放门卫", "", nil, ""},
		{"师傅 13812345678", "师傅 138******78", []string{M}, ""},
		{"司机 13812345678", "司机 138******78", []string{M}, ""},
		{"温州 13812345678", "温州 138******78", []string{M}, ""},
		{"look at the box", "", nil, ""},
		{"arrive at 5 dot", "", nil, ""},
		{"绿城花园2期", "", nil, ""},
		{"小区100米", "", nil, ""},
		{"2房1厅", "", nil, ""},
		{"IP 192.168.100.200", "", nil, ""},
		{"电话 20261128031", "", nil, ""},
		{"87654321831", "", nil, ""},
	}
	for _, tt := range tests {
		masked := checkMaskText(t, tt.text, tt.masked, tt.kinds)
		switch {
		case tt.secret == "":
		case unicode.Is(unicode.Han, []rune(tt.secret)[0]) || unicode.IsLetter(rune(tt.secret[0])) && tt.secret[0] < 0x80:
			if strings.Contains(masked, tt.secret) {
				t.Errorf("MaskText(%q) = %q shows %q", tt.text, masked, tt.secret)
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

// TestScanRefusesRedteam3OrderIDs: Scan, which intake uses to refuse a
// merchant order id, finds personal data in each id the tester got
// accepted, and nothing in ordinary ids.
func TestScanRefusesRedteam3OrderIDs(t *testing.T) {
	for id, kind := range map[string]string{
		"TB-幺三八幺两三四五六拐八":         KindMobile,
		"TB-138先1234后5678":       KindMobile,
		"TB-138then1234then5678": KindMobile,
		"TB138先1234后5678":        KindMobile,
		"谭文鹏-001":                KindName,
		"TB-701房间":               KindAddress,
		"TB-交予谭文鹏":               KindName,
		"TB-请谭文鹏签收":              KindName,
		"TB-谭文鹏本人":               KindName,
	} {
		if fs := Scan(id); len(fs) != 1 || fs[0].Kind != kind {
			t.Errorf("Scan(%q) = %v, want one %s", id, fs, kind)
		}
	}
	for _, id := range []string{"YWG-20261128-000123", "TB123456789012", "JD-2026-0001", "SO_88231",
		"SF049665595097", "JD081436323153", "苏宁-001", "TB-20261202-0001"} {
		if fs := Scan(id); fs != nil {
			t.Errorf("Scan(%q) = %v, want nothing", id, fs)
		}
	}
}
