package label

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestGateRefusesFreeTextForms: no free-text field of a label may carry a
// name in context, a house or room number, a spelled phone, an e-mail
// address or a chat id (issue 10 item 1).
func TestGateRefusesFreeTextForms(t *testing.T) {
	tests := []struct {
		field string
		edit  func(*Label)
	}{
		{"order_ref", func(l *Label) { l.OrderRef = "收件人王佳" }},
		{"order_ref", func(l *Label) { l.OrderRef = "TB-138_1234_5678" }},
		{"order_ref", func(l *Label) { l.OrderRef = "一三八一二三四五六七八" }},
		{"sort_code", func(l *Label) { l.SortCode = "7-7-707" }},
		{"sort_code", func(l *Label) { l.SortCode = "文三路4号601室" }},
		{"trace.operator", func(l *Label) { l.Trace.Operator = "wangjia@example.com" }},
		{"trace.station", func(l *Label) { l.Trace.Station = "QQ 123456789" }},
		{"carrier.name", func(l *Label) { l.Carrier.Name = "交给李女士" }},
	}
	for _, tt := range tests {
		l := sampleLabel(t, "73902468013579")
		tt.edit(&l)
		err := l.Validate()
		if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != tt.field {
			t.Errorf("%s: want invalid, got %v", tt.field, err)
		}
	}
}

// TestGateMasksFreeTextRemarks: remarks reach the printer with every form
// masked and the words around them kept.
func TestGateMasksFreeTextRemarks(t *testing.T) {
	l := sampleLabel(t, "73902468013579")
	l.Remarks = "收件人王佳，文三路4号5幢3单元601室，门牌 7-7-707，电话幺三八 一二三四 五六七八，wangjia@example.com"
	f, err := prepare(&l)
	if err != nil {
		t.Fatal(err)
	}
	want := "收件人王*，文三路*号*幢*单元***室，门牌 *-*-***，电话138******78，w***@example.com"
	if f.remarks != want {
		t.Errorf("remarks = %q, want %q", f.remarks, want)
	}
}

// TestGateAcceptsCarrierWaybills: SF and JD waybill numbers were refused
// as landlines; they are waybill numbers, and print.
func TestGateAcceptsCarrierWaybills(t *testing.T) {
	for _, wb := range []string{"SF049665595097", "JD081436323153", "73902468013579", "432109876543"} {
		l := sampleLabel(t, wb)
		if err := l.Validate(); err != nil {
			t.Errorf("%s: %v", wb, err)
		}
		if !strings.HasPrefix(wb, "SF") {
			continue
		}
		l.Remarks = "顺丰单号 " + wb
		f, err := prepare(&l)
		if err != nil || f.remarks != l.Remarks {
			t.Errorf("remarks with a waybill number: %q, %v", f.remarks, err)
		}
	}
}
