package main

import (
	"strings"
	"testing"
)

// TestPIIScanFreeText: `yuncang pii scan` masks names in context, address
// tails, spelled phones, e-mails and chat ids, and leaves order, waybill,
// SKU and date numbers alone (issue 10, done-when).
func TestPIIScanFreeText(t *testing.T) {
	input := strings.Join([]string{
		"收件人王佳，文三路4号5幢3单元601室",
		"门牌 7-7-707 请找李女士",
		"电话幺三八 洞洞一二 三四五六，或 138_1234_5678",
		"邮箱 wangjia@example.com 微信 wangjia_88",
		"顺丰 SF049665595097 京东 JD081436323153 订单 YWG-20261128-000123 SKU A1234-56 日期 2026-11-28",
	}, "\n")
	code, out, errOut := runPII(t, input, "pii", "scan")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := jsonLines(t, out)
	want := []string{
		"收件人王*，文三路*号*幢*单元***室",
		"门牌 *-*-*** 请找*女士",
		"电话138******56，或 138******78",
		"邮箱 w***@example.com 微信 w*********",
		"顺丰 SF049665595097 京东 JD081436323153 订单 YWG-20261128-000123 SKU A1234-56 日期 2026-11-28",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines: %s", len(got), out)
	}
	for i, w := range want {
		if got[i]["masked"] != w {
			t.Errorf("line %d masked = %q, want %q", i+1, got[i]["masked"], w)
		}
	}
	if n := len(got[4]["findings"].([]any)); n != 0 {
		t.Errorf("waybill/order/SKU/date line has %d findings", n)
	}
}

// TestPIIScanRedteam3: `yuncang pii scan` masks the third outside tester's
// forms line by line: radio digits, a phone cut by words or told tail first,
// a name beside a phone or before a title, room and unit forms and an e-mail
// with at and dot spelled out; order and waybill numbers stay.
func TestPIIScanRedteam3(t *testing.T) {
	input := strings.Join([]string{
		"幺三八幺两三四五六拐八",
		"打 138 先 1234 后 5678",
		"尾号5678，前面1381234",
		"电话 13812345678（谭文鹏）",
		"谭文鹏先生的快递",
		"绿城小区12-301 地址文三路8号3-2-301",
		"tan.wenpeng at qq dot com",
		"订单 YWG-20261128-000123 顺丰 SF049665595097 京东 JD081436323153",
	}, "\n")
	code, out, errOut := runPII(t, input, "pii", "scan")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := jsonLines(t, out)
	want := []string{
		"138******78",
		"打 138 先 **** 后 **78",
		"尾号****，前面*******",
		"电话 138******78（谭**）",
		"谭**先生的快递",
		"绿城小区**-*** 地址文三路*号*-*-***",
		"t*** at qq dot com",
		"订单 YWG-20261128-000123 顺丰 SF049665595097 京东 JD081436323153",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines: %s", len(got), out)
	}
	for i, w := range want {
		if got[i]["masked"] != w {
			t.Errorf("line %d masked = %q, want %q", i+1, got[i]["masked"], w)
		}
	}
}
