package pii

import "testing"

// TestFreeTextGaps covers the forms an outside tester got past MaskText:
// phones with IME commas, brackets, letter O for zero, enclosed numbers and
// English number words; names before 代收, after 换成/改为 and after a
// relation word. Each is masked so that no 6 digits of the phone and not
// the whole name are left (GB/T 41833).
func TestFreeTextGaps(t *testing.T) {
	const (
		N = KindName
		M = KindMobile
	)
	tests := []maskCase{
		{"138，1234，5678", "138******78", []string{M}, "13812345678"},
		{"备用电话 138，1234，5678", "备用电话 138******78", []string{M}, "13812345678"},
		{"电话138,1234,5678谢谢", "电话138******78谢谢", []string{M}, "13812345678"},
		{"138；1234；5678", "138******78", []string{M}, "13812345678"},
		{"138(1234)5678", "138******78", []string{M}, "13812345678"},
		{"138（1234）5678", "138******78", []string{M}, "13812345678"},
		{"手机138【1234】5678", "手机138******78", []string{M}, "13812345678"},
		{"138 OOOO 5678", "138******78", []string{M}, "13800005678"},
		{"139 oooo 1234", "139******34", []string{M}, "13900001234"},
		{"⑬⑧①②③④⑤⑥⑦⑧", "138******78", []string{M}, "13812345678"},
		{"电话①③⑧①②③④⑤⑥⑦⑧", "电话138******78", []string{M}, "13812345678"},
		{"⑬⑨⑳⑲⑱⑰", "139******17", []string{M}, "13920191817"},
		{"❶❸❽ ⑴⑵⑶⑷ ⒌⒍⒎⒏", "138******78", []string{M}, "13812345678"},
		{"one three eight one two three four five six seven eight", "138******78", []string{M}, "13812345678"},
		{"call One-Three-Eight 1234 5678 pls", "call 138******78 pls", []string{M}, "13812345678"},
		{"138 one two three four 5678", "138******78", []string{M}, "13812345678"},
		{"ONE THREE NINE zero zero oh oh 1 2 3 4", "139******34", []string{M}, "13900001234"},
		{"TB-138(1234)5678", "TB-138******78", []string{M}, "13812345678"},

		{"韩梅梅代收", "韩**代收", []string{N}, "韩梅梅"},
		{"韩梅梅代收-01", "韩**代收-01", []string{N}, "韩梅梅"},
		{"放门口让李雷代签", "放门口让李*代签", []string{N}, "李雷"},
		{"同事欧阳娜娜代收", "同事欧阳**代收", []string{N}, "欧阳娜娜"},
		{"收件人换成李雷", "收件人换成李*", []string{N}, "李雷"},
		{"收货人改为：韩梅梅", "收货人改为：韩**", []string{N}, "韩梅梅"},
		{"收件人改成了王佳，谢谢", "收件人改成了王*，谢谢", []string{N}, "王佳"},
		{"联系人变更为张伟", "联系人变更为张*", []string{N}, "张伟"},
		{"给我老公张伟打电话", "给我老公张*打电话", []string{N}, "张伟"},
		{"我老婆李娜收", "我老婆李*收", []string{N}, "李娜"},
		{"我妈王秀英在家", "我妈王**在家", []string{N}, "王秀英"},
		{"爸张建国签收", "爸张**签收", []string{N}, "张建国"},
		{"儿子刘洋来拿", "儿子刘*来拿", []string{N}, "刘洋"},
		{"女儿陈静收", "女儿陈*收", []string{N}, "陈静"},
		{"朋友赵磊代收", "朋友赵*代收", []string{N}, "赵磊"},
		{"同事孙丽取", "同事孙*取", []string{N}, "孙丽"},

		// Ordinary remarks stay readable.
		{"周一到周五送货", "", nil, ""},
		{"2件", "", nil, ""},
		{"订单号 20261202", "", nil, ""},
		{"¥1,299.00", "", nil, ""},
		{"价格 13,800,000,000 元", "", nil, ""},
		{"共 1,380,000 元", "", nil, ""},
		{"合计 ¥13,800,000,000", "", nil, ""},
		{"预算 13,800,000,000.00", "", nil, ""},
		{"14,791,900,093", "147******93", []string{M}, "14791900093"}, // no money around it: a phone
		{"SKU-A1023-XL 2件", "", nil, ""},
		{"条码 6901234567890", "", nil, ""},
		{"尺码 38，39，40，41", "", nil, ""},
		{"数量 1，2，3，4，5，6，7，8，9，10，11", "", nil, ""},
		{"规格(1)(2)(3)", "", nil, ""},
		{"第①步拆箱，第②步验货", "", nil, ""},
		{"I have one or two questions", "", nil, ""},
		{"one two three", "", nil, ""},
		{"Model ONE 2024", "", nil, ""},
		{"FOOD 138 boxes", "", nil, ""},
		{"包裹代收", "", nil, ""},
		{"周五代收", "", nil, ""},
		{"商家代收", "", nil, ""},
		{"麻烦代收", "", nil, ""},
		{"放前台代收", "", nil, ""},
		{"物业或邻居代收", "", nil, ""},
		{"任何人代收都可以", "", nil, ""},
		{"货到付款代收货款", "", nil, ""},
		{"收件人换成本人", "", nil, ""},
		{"同事周一到周五上班", "", nil, ""},
		{"老公司门口", "", nil, ""},
		{"发朋友圈", "", nil, ""},
		{"老公不在家，放门口", "", nil, ""},
		{"给老婆的礼物", "", nil, ""},
		{"老公应该在家", "", nil, ""},
		{"老婆全天在家", "", nil, ""},
		{"老公万一不在，放门口", "", nil, ""},
		{"朋友安排的", "", nil, ""},
		{"老公明早来拿", "", nil, ""},
		{"老婆饼两盒", "", nil, ""},
	}
	checkMaskCases(t, tests)
}

// TestScanFindsGapsInOrderIDs: Scan, which intake uses to refuse a
// merchant order id, finds the phone and the name the tester's ids carried.
func TestScanFindsGapsInOrderIDs(t *testing.T) {
	for id, kind := range map[string]string{"TB-138(1234)5678": KindMobile, "韩梅梅代收-01": KindName, "JD-138，1234，5678": KindMobile} {
		if fs := Scan(id); len(fs) != 1 || fs[0].Kind != kind {
			t.Errorf("Scan(%q) = %v, want one %s", id, fs, kind)
		}
	}
	for _, id := range []string{"TB-20261202-0001", "SF049665595097", "PO(2026)1202-7"} {
		if fs := Scan(id); fs != nil {
			t.Errorf("Scan(%q) = %v, want nothing", id, fs)
		}
	}
}
