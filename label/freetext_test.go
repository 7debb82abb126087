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

// TestGateMasksRedteam3Forms: the third outside tester's forms never reach
// the label: remarks are masked (a phone cut by words or one group per line,
// a name beside a phone, a unit-room tail, a spelled-out e-mail) and an
// order ref that carries a phone cut by words, a name or a room is refused.
func TestGateMasksRedteam3Forms(t *testing.T) {
	l := sampleLabel(t, "73902468013579")
	l.Remarks = "打 138 先 1234 后 5678，电话139\n2345\n6789，电话 13812345678（谭文鹏），地址文三路8号3-2-301，tan.wenpeng at qq dot com"
	f, err := prepare(&l)
	if err != nil {
		t.Fatal(err)
	}
	want := "打 138 先 **** 后 **78，电话139******89，电话 138******78（谭**），地址文三路*号*-*-***，t*** at qq dot com"
	if f.remarks != want {
		t.Errorf("remarks = %q, want %q", f.remarks, want)
	}
	for _, ref := range []string{"TB-138先1234后5678", "TB-幺三八幺两三四五六拐八", "谭文鹏-001", "TB-701房间"} {
		l := sampleLabel(t, "73902468013579")
		l.OrderRef = ref
		if err := l.Validate(); yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != "order_ref" {
			t.Errorf("order_ref %q: want invalid, got %v", ref, err)
		}
	}
	l = sampleLabel(t, "73902468013579")
	l.OrderRef = "YWG-20261128-000123"
	if err := l.Validate(); err != nil {
		t.Errorf("order_ref YWG-20261128-000123: %v", err)
	}
}
