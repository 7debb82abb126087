package intake

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestPrepareRefusesHiddenAndFormulaText covers issue 10 item 7: NUL,
// zero-width and bidi characters in names, addresses, remarks and ids, and
// names a spreadsheet would run as a formula. All fail on the old intake.
func TestPrepareRefusesHiddenAndFormulaText(t *testing.T) {
	cases := []struct {
		name  string
		field string
		mut   func(in *yuncang.OrderInput)
	}{
		{"NUL in remarks", "remarks", func(in *yuncang.OrderInput) { in.Remarks = "放门口\x00" }},
		{"bidi override in remarks", "remarks", func(in *yuncang.OrderInput) { in.Remarks = "放门口\u202e87654321831" }},
		{"zero width space in remarks", "remarks", func(in *yuncang.OrderInput) { in.Remarks = "电话138\u200b1234\u200b5678" }},
		{"zero width space in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\u200b三" }},
		{"right-to-left mark in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张三\u200f" }},
		{"bidi isolate in address", "recipient.address", func(in *yuncang.OrderInput) {
			in.Recipient.Address = "北京市东城区东华门街道南池子大街\u20667号\u2069"
		}},
		{"byte-order mark in order id", "merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "TB-1\ufeff001" }},
		{"zero width joiner in order id", "merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "TB-1\u200d001" }},
		{"word joiner in SKU", "lines[0].sku", func(in *yuncang.OrderInput) { in.Lines[0].SKUCode = "SKU\u20601" }},
		{"formula as name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = `=HYPERLINK("http://x.example/?a","点我")` }},
		{"plus formula as name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "+cmd|' /C calc'!A0" }},
		{"at formula as name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "@SUM(A1:A9)" }},
		{"minus formula as name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = " -张三" }},
		{"Hangul filler as name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "\u3164" }},
		{"Hangul filler in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\u3164三" }},
		{"Hangul choseong filler in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\u115f三" }},
		{"Hangul jungseong filler in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\u1160三" }},
		{"halfwidth Hangul filler in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张三\uffa0" }},
		{"braille blank in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\u2800三" }},
		{"private use in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\ue000三" }},
		{"last private use in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\uf8ff三" }},
		{"line separator in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张\u2028三" }},
		{"variation selector in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张三\ufe0f" }},
		{"combining mark at start of name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "\u0301张三" }},
		{"combining mark after space in name", "recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "Li \u0301Wei" }},
		{"Hangul filler in address", "recipient.address", func(in *yuncang.OrderInput) {
			in.Recipient.Address = "北京市东城区东华门街道南池子大街\u31647号"
		}},
		{"paragraph separator in address", "recipient.address", func(in *yuncang.OrderInput) {
			in.Recipient.Address = "北京市东城区东华门街道南池子大街\u20297号"
		}},
		{"braille blank in address", "recipient.address", func(in *yuncang.OrderInput) {
			in.Recipient.Address = "北京市东城区东华门街道南池子大街7号\u2800"
		}},
		{"private use in address", "recipient.address", func(in *yuncang.OrderInput) {
			in.Recipient.Address = "北京市东城区东华门街道南池子大街\ue8007号"
		}},
		{"formula as order id", "merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "=HYPERLINK(\"http://x.example\")" }},
		{"plus formula as order id", "merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "+1001" }},
		{"minus formula as order id", "merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "-1+1" }},
		{"at formula as order id", "merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "@SUM(A1)" }},
		{"full-width formula as order id", "merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "＝1+1" }},
	}
	for _, c := range cases {
		in := validInput()
		c.mut(&in)
		_, err := Prepare(1, in)
		if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != c.field {
			t.Errorf("%s: want invalid %s, got %v", c.name, c.field, err)
		}
	}
}

func TestPrepareKeepsEmojiSequences(t *testing.T) {
	in := validInput()
	in.Remarks = "谢谢 👨\u200d👩\u200d👧 多行\n备注\t好 ❤\ufe0f"
	if _, err := Prepare(1, in); err != nil {
		t.Fatal(err)
	}
}

// TestPrepareKeepsOrdinaryText: the new refusals leave accents, order ids
// with dashes inside and ordinary names alone.
func TestPrepareKeepsOrdinaryText(t *testing.T) {
	in := validInput()
	in.Recipient.Name = "José Müller"
	in.MerchantOrderID = "TB-1001-A"
	if _, err := Prepare(1, in); err != nil {
		t.Fatal(err)
	}
	in.Recipient.Name = "Jose\u0301" // a decomposed é combines with its e
	if _, err := Prepare(1, in); err != nil {
		t.Fatal(err)
	}
}

// TestPrepareRefusesOrderIDWithPersonalData: merchant_order_id is shown
// unmasked everywhere, so it must not carry personal data (issue 10 item 1).
func TestPrepareRefusesOrderIDWithPersonalData(t *testing.T) {
	for _, moid := range []string{
		"13812345678", "TB-138_1234_5678", "一三八一二三四五六七八", "收件人王佳",
		"文三路4号5幢3单元601室", "7-7-707", "zhangsan@qq.com", "QQ123456789",
		"11010519491231002X",
		// redteam 3: radio digits, phones cut by words, a name, a room
		"TB-幺三八幺两三四五六拐八", "TB-138先1234后5678", "TB-138then1234then5678", "谭文鹏-001", "TB-701房间",
	} {
		in := validInput()
		in.MerchantOrderID = moid
		_, err := Prepare(1, in)
		if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != "merchant_order_id" {
			t.Errorf("%q: want invalid merchant_order_id, got %v", moid, err)
			continue
		}
		if msg := yuncang.ErrorMessage(err); strings.Contains(msg, moid) {
			t.Errorf("%q: message %q echoes it", moid, msg)
		}
	}
	for _, moid := range []string{"YWG-20261128-000123", "SF049665595097", "JD081436323153", "73902468013579",
		"2023101381234567801", "TB-1001", "M-1", "TB123456789012", "JD-2026-0001", "SO_88231"} {
		in := validInput()
		in.MerchantOrderID = moid
		if _, err := Prepare(1, in); err != nil {
			t.Errorf("%q refused: %v", moid, err)
		}
	}
}

func TestPrepareMasksFreeTextRemarks(t *testing.T) {
	in := validInput()
	in.Remarks = "收件人王佳，文三路4号5幢3单元601室，电话幺三八 一二三四 五六七八，邮箱 wangjia@qq.com，单号 SF049665595097"
	p, err := Prepare(1, in)
	if err != nil {
		t.Fatal(err)
	}
	want := "收件人王*，文三路*号*幢*单元***室，电话138******78，邮箱 w***@qq.com，单号 SF049665595097"
	if p.MaskedRemarks != want {
		t.Errorf("masked remarks = %q, want %q", p.MaskedRemarks, want)
	}
	if p.Remarks != in.Remarks {
		t.Errorf("plaintext remarks changed: %q", p.Remarks)
	}
}
