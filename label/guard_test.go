package label

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
)

func TestValidateRefuses(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Label)
		field  string
		secret string // must not appear in the error
	}{
		{"unmasked name", func(l *Label) { l.Recipient.Name = "欧阳娜娜" }, "recipient.name", "欧阳娜娜"},
		{"name with a number", func(l *Label) { l.Recipient.Name = "欧*13812345678" }, "recipient.name", "13812345678"},
		{"unmasked mobile", func(l *Label) { l.Recipient.Phone = "13812345678" }, "recipient.phone", "13812345678"},
		{"mobile hiding four digits", func(l *Label) { l.Recipient.Phone = "138****5678" }, "recipient.phone", "5678"},
		{"mobile hiding five digits", func(l *Label) { l.Recipient.Phone = "138*****678" }, "recipient.phone", "678"},
		{"stars appended to a full number", func(l *Label) { l.Recipient.Phone = "13812345678******" }, "recipient.phone", "13812345678"},
		{"unmasked landline", func(l *Label) { l.Recipient.Phone = "0579-85123456" }, "recipient.phone", "85123456"},
		{"phone as words", func(l *Label) { l.Recipient.Phone = "一三八******七八" }, "recipient.phone", ""},
		{"missing phone", func(l *Label) { l.Recipient.Phone = "" }, "recipient.phone", ""},
		{"full address", func(l *Label) { l.Recipient.Address = knownRecipient.Address }, "recipient.address", "1088"},
		{"road shown", func(l *Label) { l.Recipient.Address = "浙江省金华市义乌市稠城街道工人北路****" }, "recipient.address", "工人北路"},
		{"house number in Chinese", func(l *Label) { l.Recipient.Address = "浙江省金华市义乌市稠城街道三单元****" }, "recipient.address", "三单元"},
		{"full-width digits", func(l *Label) { l.Recipient.Address = "浙江省金华市义乌市稠城街道１０８８号" }, "recipient.address", "１０８８"},
		{"virtual number without extension", func(l *Label) { l.VirtualPhone = "17012345678" }, "virtual_phone", "17012345678"},
		{"virtual number with short extension", func(l *Label) { l.VirtualPhone = "17012345678转12" }, "virtual_phone", "17012345678"},
		{"virtual number beside an unmasked phone", func(l *Label) { l.VirtualPhone = "17012345678转1234"; l.Recipient.Phone = "13812345678" }, "recipient.phone", "13812345678"},
		{"sender phone invalid", func(l *Label) { l.Sender.Phone = "12345" }, "sender.phone", "12345"},
		{"sender address unknown", func(l *Label) { l.Sender.Address = "火星乌托邦1号" }, "sender.address", "火星"},
		{"phone in order ref", func(l *Label) { l.OrderRef = "A-13812345678" }, "order_ref", "13812345678"},
		{"phone in operator", func(l *Label) { l.Trace.Operator = "13812345678" }, "trace.operator", "13812345678"},
		{"ID number in sort code", func(l *Label) { l.SortCode = "11010519491231002X" }, "sort_code", "11010519491231002X"},
		{"phone as waybill", func(l *Label) { l.Waybill = "13812345678" }, "waybill", "13812345678"},
		{"waybill with spaces", func(l *Label) { l.Waybill = "ZT 123" }, "waybill", ""},
		{"missing token", func(l *Label) { l.QRToken = "" }, "qr_token", ""},
		{"phone in token", func(l *Label) { l.QRToken = "YC1.13812345678.1.AAAA" }, "qr_token", "13812345678"},
		{"ZPL command in token", func(l *Label) { l.QRToken = "YC1.X^XZ" }, "qr_token", ""},
		{"no destination", func(l *Label) { l.Destination = yuncang.Region{} }, "destination", ""},
		{"negative weight", func(l *Label) { l.WeightG = -1 }, "weight_g", ""},
		{"two-line carrier", func(l *Label) { l.Carrier.Name = "中通\n快递" }, "carrier.name", ""},
		{"remarks too long", func(l *Label) { l.Remarks = strings.Repeat("长", maxRemarksRunes+1) }, "remarks", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := sampleLabel(t, "73902468013579")
			tt.edit(&l)
			err := l.Validate()
			if err == nil {
				t.Fatal("label was accepted")
			}
			if got := yuncang.ErrorField(err); got != tt.field {
				t.Errorf("field = %q, want %q (%v)", got, tt.field, err)
			}
			if yuncang.ErrorCode(err) != yuncang.EINVALID {
				t.Errorf("code = %q, want invalid", yuncang.ErrorCode(err))
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q repeats the input", err)
			}
		})
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Label)
	}{
		{"sample", func(*Label) {}},
		{"virtual number instead of phone", func(l *Label) { l.Recipient.Phone = ""; l.VirtualPhone = "17012345678 转 1234" }},
		{"virtual number and masked phone", func(l *Label) { l.VirtualPhone = "+86 170-1234-5678 ext 1234" }},
		{"masked landline", func(l *Label) { l.Recipient.Phone = "0579-******56" }},
		{"masked landline with extension", func(l *Label) { l.Recipient.Phone = "010-*******6-****" }},
		{"address with nothing to hide", func(l *Label) { l.Recipient.Address = "浙江省金华市义乌市稠城街道" }},
		{"one-character name", func(l *Label) { l.Recipient.Name = "*" }},
		{"no weight, remarks, order or sort code", func(l *Label) { l.WeightG, l.Remarks, l.OrderRef, l.SortCode = 0, "", "", "" }},
		{"unmasked remarks are masked, not refused", func(l *Label) { l.Remarks = "电话13812345678" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := sampleLabel(t, "73902468013579")
			tt.edit(&l)
			if err := l.Validate(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestPreparedFaceIsMasked checks what the renderers receive, field by field.
func TestPreparedFaceIsMasked(t *testing.T) {
	l := sampleLabel(t, "73902468013579")
	l.Remarks = "到了打13812345678，身份证11010519491231002X"
	f, err := prepare(&l)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"toName": "欧阳**", "toPhone": "138******78", "toAddress": "浙江省金华市义乌市稠城街道****",
		"fromName": "王**", "fromPhone": "0579-******56", "fromAddress": "浙江省金华市义乌市福田街道****",
		"route": "浙-金华-义乌", "routeCode": "330782", "weight": "1.25 kg",
	}
	got := map[string]string{
		"toName": f.toName, "toPhone": f.toPhone, "toAddress": f.toAddress,
		"fromName": f.fromName, "fromPhone": f.fromPhone, "fromAddress": f.fromAddress,
		"route": f.route, "routeCode": f.routeCode, "weight": f.weight,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if strings.Contains(f.remarks, "13812345678") || strings.Contains(f.remarks, "19491231") {
		t.Errorf("remarks not masked: %q", f.remarks)
	}
}

// TestDemoRecipientsPass runs intake-style masking over many synthetic
// recipients: every masked view must pass the gate, or real orders would be
// refused at the printer.
func TestDemoRecipientsPass(t *testing.T) {
	g := demodata.NewGenerator(7)
	base := sampleLabel(t, "73902468013579")
	for i := range 2000 {
		r := yuncang.Recipient{Name: g.Name(), Phone: g.Phone(), Address: g.Address()}
		m, region := mask(t, r)
		l := base
		l.Recipient, l.Destination = m, region
		if err := l.Validate(); err != nil {
			t.Fatalf("recipient %d (masked %q / %q / %q): %v", i, m.Name, m.Phone, m.Address, err)
		}
	}
}

func TestRouteOf(t *testing.T) {
	tests := []struct {
		region      yuncang.Region
		route, code string
	}{
		{yuncang.Region{Province: "浙江省", ProvinceCode: "33", City: "金华市", CityCode: "3307", District: "义乌市", DistrictCode: "330782"}, "浙-金华-义乌", "330782"},
		{yuncang.Region{Province: "北京市", ProvinceCode: "11", City: "北京市", CityCode: "1101", District: "朝阳区", DistrictCode: "110105"}, "京-北京-朝阳", "110105"},
		{yuncang.Region{Province: "湖北省", ProvinceCode: "42", City: "恩施土家族苗族自治州", CityCode: "4228", District: "恩施市", DistrictCode: "422801"}, "鄂-恩施", "422801"},
		{yuncang.Region{Province: "内蒙古自治区", ProvinceCode: "15", City: "锡林郭勒盟", CityCode: "1525"}, "蒙-锡林郭勒", "1525"},
		{yuncang.Region{Province: "广东省", ProvinceCode: "44", City: "东莞市", CityCode: "4419", District: "东莞市", DistrictCode: "441900"}, "粤-东莞", "441900"},
		{yuncang.Region{Province: "山西省", ProvinceCode: "14", City: "长治市", CityCode: "1404", District: "城区", DistrictCode: "140402"}, "晋-长治-城区", "140402"},
	}
	for _, tt := range tests {
		route, code, err := routeOf(tt.region)
		if err != nil || route != tt.route || code != tt.code {
			t.Errorf("routeOf(%v) = %q, %q, %v; want %q, %q", tt.region, route, code, err, tt.route, tt.code)
		}
	}
}
