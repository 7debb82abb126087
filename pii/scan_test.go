package pii

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestScan(t *testing.T) {
	type f = Finding
	mob := func(s, e int) f { return f{KindMobile, s, e} }
	land := func(s, e int) f { return f{KindLandline, s, e} }
	id := func(s, e int) f { return f{KindIDNumber, s, e} }
	tests := []struct {
		text   string
		want   []Finding
		masked string
	}{
		// Mobiles.
		{"电话13812345678", []f{mob(2, 13)}, "电话138******78"},
		{"13812345678", []f{mob(0, 11)}, "138******78"},
		{"联系 138 1234 5678 谢谢", []f{mob(3, 16)}, "联系 138******78 谢谢"},
		{"138-1234-5678", []f{mob(0, 13)}, "138******78"},
		{"138.1234.5678", []f{mob(0, 13)}, "138******78"},
		{"tel:+86-138-1234-5678.", []f{mob(4, 21)}, "tel:138******78."},
		{"（+86）13812345678", []f{mob(0, 16)}, "138******78"},
		{"(+86) 138 1234 5678", []f{mob(0, 19)}, "138******78"},
		{"手机：１３８１２３４５６７８", []f{mob(3, 14)}, "手机：138******78"},
		{"＋８６　１３８－１２３４－５６７８", []f{mob(0, 17)}, "138******78"},
		{"8613812345678", []f{mob(0, 13)}, "138******78"},
		{"+8613812345678", []f{mob(0, 14)}, "138******78"},
		{"0086 13812345678", []f{mob(0, 16)}, "138******78"},
		{"86-13812345678", []f{mob(0, 14)}, "138******78"},
		{"86 13812345678", []f{mob(3, 14)}, "86 138******78"}, // a bare 86 may be anything
		{"隐私号13800138000转1234请拨打", []f{mob(3, 19)}, "隐私号138******00-****请拨打"},
		{"13800138000-1234", []f{mob(0, 16)}, "138******00-****"},
		{"ABC13812345678xyz", []f{mob(3, 14)}, "ABC138******78xyz"},
		{"13812345678,13987654321", []f{mob(0, 11), mob(12, 23)}, "138******78,139******21"},
		{"收件人 张三 19912345678 备注：放门口", []f{{KindName, 4, 6}, mob(7, 18)}, "收件人 张* 199******78 备注：放门口"},
		{"*13812345678*", []f{mob(1, 12)}, "*138******78*"},
		// Landlines.
		{"座机0579-85123456", []f{land(2, 15)}, "座机0579-******56"},
		{"(0579)85123456", []f{land(0, 14)}, "0579-******56"},
		{"（0579）8512 3456", []f{land(0, 15)}, "0579-******56"},
		{"010-6512 3456转8001", []f{land(0, 18)}, "010-******56-****"},
		{"057985123456", []f{land(0, 12)}, "0579-******56"},
		{"01065123456", []f{land(0, 11)}, "010-******56"},
		{"0755-2612345", []f{land(0, 12)}, "0755-******5"},
		{"请打0579 85123456#12", []f{land(2, 18)}, "请打0579-******56-****"},
		// ID numbers.
		{"身份证11010519491231002X", []f{id(3, 21)}, "身份证110*************2X"},
		{"id:11010519491231002x,", []f{id(3, 21)}, "id:110*************2x,"},
		{"330782199001011239", []f{id(0, 18)}, "330*************39"},
		{"３３０７８２１９９００１０１１２３９", []f{id(0, 18)}, "330*************39"},
		// Several at once.
		// A name right before a phone is masked too (issue: redteam 3).
		{"张三 13812345678 / 0579-85123456 / 330782199001011239",
			[]f{{KindName, 0, 2}, mob(3, 14), land(17, 30), id(33, 51)},
			"张* 138******78 / 0579-******56 / 330*************39"},
		// Not personal data.
		{"订单号2023101381234567801", nil, ""},                // 19-digit run
		{"单号 SF1234567890123", nil, ""},                    // waybill number
		{"SF049665595097", nil, ""},                        // SF waybill, was read as landline 0496-65595097
		{"京东JD081436323153", nil, ""},                      // JD waybill, was read as landline 0814-36323153
		{"1381234567", nil, ""},                            // 10 digits
		{"138123456789", nil, ""},                          // 12 digits
		{"13812345678901", nil, ""},                        // inside a longer run
		{"913812345678", nil, ""},                          // inside a longer run
		{"9913812345678", nil, ""},                         // 99 is no country code
		{"00861381234567", nil, ""},                        // 0086 + 10 digits
		{"12345678901", nil, ""},                           // 12x is no mobile prefix
		{"138 1234 56789", nil, ""},                        // 12 digits in groups
		{"1 38 1234 5678", []f{mob(0, 14)}, "138******78"}, // small groups still spell a mobile
		{"330782199001011230", nil, ""},                    // wrong checksum
		{"110105194912310020", nil, ""},                    // wrong checksum
		{"33078219900101123", nil, ""},                     // 17 digits
		{"3307821990010112390", nil, ""},                   // 19 digits
		{"33078219900101123X5", nil, ""},                   // X inside a run
		{"202310011234567897", nil, ""},                    // valid checksum, no province 20
		{"330782199002301238", nil, ""},                    // 30 February
		{"日期 2023-10-01 13:45:00", nil, ""},                // dates and times
		{"20231001", nil, ""},                              // date
		{"金额 12,345,678.90 元", nil, ""},                    // money
		{"IP 192.168.100.200", nil, ""},                    // address
		{"0579-1234567", nil, ""},                          // local number starts with 1
		{"0000-85123456", nil, ""},                         // no such area code
		{"SKU 0579-85", nil, ""},                           // too short
		{"数量 3 件，尺码 42，颜色 黑", nil, ""},                     // ordinary remarks
		{"", nil, ""},
	}
	for _, tt := range tests {
		got := Scan(tt.text)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Scan(%q) = %v, want %v", tt.text, got, tt.want)
		}
		masked, findings := MaskText(tt.text)
		if !reflect.DeepEqual(findings, tt.want) {
			t.Errorf("MaskText(%q) findings = %v, want %v", tt.text, findings, tt.want)
		}
		want := tt.masked
		if tt.want == nil {
			want = tt.text
		}
		if masked != want {
			t.Errorf("MaskText(%q) = %q, want %q", tt.text, masked, want)
		}
	}
}

func TestScanOffsetsAreRunes(t *testing.T) {
	text := "请联系收件人王小二先生，电话 138-1234-5678，谢谢！"
	fs := Scan(text)
	if len(fs) != 2 {
		t.Fatalf("Scan = %v, want two findings", fs)
	}
	r := []rune(text)
	if got := string(r[fs[0].Start:fs[0].End]); got != "王小二" {
		t.Errorf("finding covers %q", got)
	}
	if got := string(r[fs[1].Start:fs[1].End]); got != "138-1234-5678" {
		t.Errorf("finding covers %q", got)
	}
}

// TestScanLongInput guards against anything worse than linear time.
func TestScanLongInput(t *testing.T) {
	for _, unit := range []string{"1", "1 ", "+86", "(0", "0579-", "138-", "9",
		"一", "一 ", "收件人", "给王", "王先生", "1号", "a@", "a.", "qq ", "7-", "B", "门牌 1-", "_1",
		"娜娜收", "王佳收", "收件人 王 ", "1️⃣", "110101 ", "1 和 ", "电话1", "4号 王",
		"138 先 ", "尾号123 ", "a at ", "a dot ", "a艾特", "小区1-", "车位B1-", "8号1-", "王佳 ", "(王佳)", "王佳的", "收件人 ab "} {
		text := strings.Repeat(unit, 200_000)
		Scan(text)
	}
}

// hasMobile reports whether s contains 11 contiguous digits (full-width or
// not) forming a mainland mobile number, not inside a longer digit run. It is
// deliberately independent of the scanner.
func hasMobile(s string) bool {
	r := foldRunes(s)
	for i := 0; i < len(r); {
		if !isDigit(r[i]) {
			i++
			continue
		}
		j := i
		for j < len(r) && isDigit(r[j]) {
			j++
		}
		if j-i == 11 && r[i] == '1' && r[i+1] >= '3' && r[i+1] <= '9' {
			return true
		}
		i = j
	}
	return false
}

func FuzzMaskText(f *testing.F) {
	for _, s := range []string{
		"电话13812345678", "+86 138 1234 5678", "0579-85123456转123", "身份证11010519491231002X",
		"13800138000-1234", "138 12345 11010519491231002X", "138 12345 13812345678",
		"（+86）１３８１２３４５６７８", "8613812345678x", "(0579)8512 3456#12", "",
		"订单号2023101381234567801", "138-1234-5678-1234-5678", "\xff\xfe138123456789",
		"收件人王佳一三八一二三四五六七八", "文三路4号5幢3单元601室", "门牌 7-7-707", "qq 12345 a@b.cn",
		"备用电话 138，1234，5678", "138（1234）5678", "138 OOOO 5678", "⑬⑧①②③④⑤⑥⑦⑧", "one three eight 1234 five six seven eight",
		"韩梅梅代收", "收件人换成李雷", "给我老公张伟打电话", "¥13,800,000,000",
		"欧阳娜娜收", "交給歐陽娜娜", "收件人 欧 阳 娜 娜", "文三路4號 王佳", "壹參捌壹貳參肆伍陸柒捌", "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",
		"¹³⁸¹²³⁴⁵⁶⁷⁸", "١٣٨١٢٣٤٥٦٧٨", "1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", "Ⅰ3812345678", "1381234 和 5678",
		"电话87654321831", "110101 19900307 7571",
		// Texts that hold just one kind of rune a matcher needs (fastpath_test.go).
		"请尽快发货", "B座", "放三单元门口", "微信 abcdef", "王先生", "one two", "x@y.cn", "十号楼", "扣扣 一二三四五六七八",
		"幺三八幺两三四五六拐八", "打 138 先 1234 后 5678", "电话138\n1234\n5678", "电话138🙂1234🙂5678", "尾号5678，前面1381234",
		"电话 13812345678（谭文鹏）", "谭文鹏 13812345678", "收件人:Tan Wenpeng", "绿城小区12-301", "地址文三路8号3-2-301",
		"tan.wenpeng at qq dot com", "谭文鹏-001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		masked, findings := MaskText(text)
		n := utf8.RuneCountInString(text)
		last := 0
		for _, fd := range findings {
			if fd.Start < last || fd.End <= fd.Start || fd.End > n {
				t.Fatalf("MaskText(%q): bad finding %v after offset %d", text, fd, last)
			}
			last = fd.End
		}
		if len(findings) == 0 && masked != text {
			t.Fatalf("MaskText(%q) changed text without findings: %q", text, masked)
		}
		if hasMobile(masked) {
			t.Fatalf("MaskText(%q) = %q still holds a mobile number", text, masked)
		}
		for _, fd := range Scan(masked) {
			if fd.Kind == KindMobile {
				t.Fatalf("MaskText(%q) = %q: scanner finds a mobile at %v", text, masked, fd)
			}
		}
		if !reflect.DeepEqual(Scan(text), findings) {
			t.Fatalf("Scan and MaskText disagree on %q", text)
		}
		if again, _ := MaskText(masked); again != masked {
			t.Fatalf("MaskText(%q) = %q is not stable: %q", text, masked, again)
		}
		checkFastPath(t, text) // the matchers left out change nothing
	})
}

func BenchmarkMaskText(b *testing.B) {
	text := "请周一至周五送货，联系人电话 138-1234-5678 或座机 0579-85123456 转 123，" +
		"开票身份证 11010519491231002X，订单号 2023101381234567801，谢谢！"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		MaskText(text)
	}
}
