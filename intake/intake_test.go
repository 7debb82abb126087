package intake

import (
	"context"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/orderfile"
)

func validInput() yuncang.OrderInput {
	return yuncang.OrderInput{
		MerchantOrderID: " TB-1001 ",
		Lines:           []yuncang.OrderLine{{SKUCode: "SKU-1", Quantity: 2}},
		Recipient:       yuncang.Recipient{Name: " 张  三丰 ", Phone: "0086 138 1234 5678", Address: "北京市东城区东华门街道南池子大街7号院2号楼301室"},
		Remarks:         "门卫代收，电话 13900001111",
	}
}

func TestPrepareNormalisesAndMasks(t *testing.T) {
	p, err := Prepare(7, validInput())
	if err != nil {
		t.Fatal(err)
	}
	if p.TenantID != 7 || p.MerchantOrderID != "TB-1001" || p.Recipient.Phone != "13812345678" || p.Recipient.Name != "张 三丰" {
		t.Fatalf("normalised = %+v", p)
	}
	if p.Masked.Phone != "138******78" || !strings.HasPrefix(p.Masked.Name, "张") || !strings.Contains(p.Masked.Name, "*") {
		t.Fatalf("masked = %+v", p.Masked)
	}
	if strings.ContainsAny(p.Masked.Address, "0123456789") || strings.Contains(p.Masked.Address, "南池子") {
		t.Fatalf("masked address keeps detail: %q", p.Masked.Address)
	}
	if p.Destination.ProvinceCode != "11" || p.Destination.DistrictCode != "110101" {
		t.Fatalf("destination = %+v", p.Destination)
	}
	if strings.Contains(p.MaskedRemarks, "13900001111") || p.Remarks != "门卫代收，电话 13900001111" {
		t.Fatalf("remarks = %q / %q", p.Remarks, p.MaskedRemarks)
	}
}

func TestPrepareRejects(t *testing.T) {
	cases := []struct {
		field string
		mut   func(in *yuncang.OrderInput)
	}{
		{"merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "  " }},
		{"merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = strings.Repeat("x", 65) }},
		{"merchant_order_id", func(in *yuncang.OrderInput) { in.MerchantOrderID = "a\x00b" }},
		{"lines", func(in *yuncang.OrderInput) { in.Lines = nil }},
		{"lines", func(in *yuncang.OrderInput) { in.Lines = make([]yuncang.OrderLine, 201) }},
		{"lines[0].sku", func(in *yuncang.OrderInput) { in.Lines[0].SKUCode = "" }},
		{"lines[0].quantity", func(in *yuncang.OrderInput) { in.Lines[0].Quantity = -1 }},
		{"lines[0].quantity", func(in *yuncang.OrderInput) { in.Lines[0].Quantity = 100_001 }},
		{"recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "" }},
		{"recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = "张3" }},
		{"recipient.name", func(in *yuncang.OrderInput) { in.Recipient.Name = strings.Repeat("张", 51) }},
		{"recipient.phone", func(in *yuncang.OrderInput) { in.Recipient.Phone = "" }},
		{"recipient.phone", func(in *yuncang.OrderInput) { in.Recipient.Phone = "23812345678" }},
		{"recipient.address", func(in *yuncang.OrderInput) { in.Recipient.Address = "" }},
		{"recipient.address", func(in *yuncang.OrderInput) { in.Recipient.Address = "某个不存在的地方88号" }},
		{"recipient.address", func(in *yuncang.OrderInput) { in.Recipient.Address = strings.Repeat("北京", 101) }},
		{"remarks", func(in *yuncang.OrderInput) { in.Remarks = strings.Repeat("字", 501) }},
		{"remarks", func(in *yuncang.OrderInput) { in.Remarks = "\xff\xfe" }},
	}
	for _, c := range cases {
		in := validInput()
		c.mut(&in)
		_, err := Prepare(1, in)
		if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != c.field {
			t.Errorf("want invalid %s, got %v", c.field, err)
			continue
		}
		msg := yuncang.ErrorMessage(err)
		for _, v := range []string{"张", "2381234", "某个不存在", "南池子"} {
			if strings.Contains(msg, v) {
				t.Errorf("%s: message %q echoes input", c.field, msg)
			}
		}
	}
}

// TestPrepareReportsEveryInvalidField: four bad fields are four problems in
// one answer, not four round trips; none repeats the submitted value.
func TestPrepareReportsEveryInvalidField(t *testing.T) {
	in := validInput()
	in.MerchantOrderID = ""
	in.Lines = []yuncang.OrderLine{{SKUCode: "SKU-1", Quantity: 1}, {SKUCode: "", Quantity: 0}}
	in.Recipient.Phone = "23812345678"
	in.Recipient.Address = "某个不存在的地方88号"
	_, err := Prepare(1, in)
	var got []string
	for _, f := range yuncang.ErrorFields(err) {
		got = append(got, f.Field)
		for _, v := range []string{"2381234", "某个不存在", "88号"} {
			if strings.Contains(f.Problem, v) {
				t.Errorf("%s: problem %q echoes input", f.Field, f.Problem)
			}
		}
	}
	want := []string{"merchant_order_id", "lines[1].sku", "lines[1].quantity", "recipient.phone", "recipient.address"}
	if yuncang.ErrorCode(err) != yuncang.EINVALID || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("fields = %v (%v), want %v", got, err, want)
	}
}

// TestImportListsEveryFieldWithoutRepeatingARefusedID: a row with several
// invalid fields has one issue per field; when the merchant order id is
// one of them (it carries a phone), no issue of that row repeats it.
func TestImportListsEveryFieldWithoutRepeatingARefusedID(t *testing.T) {
	in := validInput()
	in.MerchantOrderID = "13812345678"
	in.Recipient.Address = ""
	in.Lines[0].Quantity = 0
	rep, err := Import(context.Background(), nil, 1, []orderfile.Order{{Input: in, Rows: []int{2}}}, nil, true, yuncang.Event{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, is := range rep.Issues {
		fields = append(fields, is.Field)
		if is.MerchantOrderID != "" || is.Row != 2 {
			t.Errorf("issue %+v repeats the refused id or lost its row", is)
		}
	}
	if rep.Rejected != 1 || rep.Committed || strings.Join(fields, " ") != "merchant_order_id lines[0].quantity recipient.address" {
		t.Fatalf("report = %+v", rep)
	}
}
