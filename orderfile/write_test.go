package orderfile

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yuncang/yuncang"
)

var sampleOrders = []yuncang.OrderInput{{
	MerchantOrderID: "SO-1001",
	Lines:           []yuncang.OrderLine{{SKUCode: "SKU-A", Quantity: 2}, {SKUCode: "SKU-B", Quantity: 1}},
	Recipient:       yuncang.Recipient{Name: "张三", Phone: "13800138000", Address: "浙江省杭州市西湖区文三路100号3单元501室"},
	Remarks:         "请周末送货",
}, {
	MerchantOrderID: "202401010000000001", // 18 digits, more than a spreadsheet number holds
	Lines:           []yuncang.OrderLine{{SKUCode: "600123", Quantity: 100000}},
	Recipient:       yuncang.Recipient{Name: "O'Brien, Ann", Phone: "+86 139 0013 9000", Address: "北京市朝阳区\n建国路88号"},
	Remarks:         `=HYPERLINK("http://example.com","点我")`,
}, {
	MerchantOrderID: "SO-1003",
	Lines:           []yuncang.OrderLine{{SKUCode: "-SKU", Quantity: 1}},
	Recipient:       yuncang.Recipient{Name: "李四", Phone: "021-12345678", Address: "上海市浦东新区世纪大道1号"},
	Remarks:         "@买家：\"易碎\"",
}}

func TestWriteReadRoundTrip(t *testing.T) {
	for _, tt := range []struct {
		format Format
		write  func(io.Writer, []yuncang.OrderInput) error
	}{{CSV, WriteCSV}, {XLSX, WriteXLSX}} {
		t.Run(string(tt.format), func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.write(&buf, sampleOrders); err != nil {
				t.Fatal(err)
			}
			f, err := DetectFormat("orders", "", buf.Bytes()[:min(buf.Len(), 512)])
			if err != nil || f != tt.format {
				t.Fatalf("DetectFormat: %q, %v", f, err)
			}
			orders, errs, err := Read(&buf, f, Options{})
			if err != nil || len(errs) > 0 {
				t.Fatalf("Read: %v %v", errs, err)
			}
			var got []yuncang.OrderInput
			var rows [][]int
			for _, o := range orders {
				got = append(got, o.Input)
				rows = append(rows, o.Rows)
			}
			if !reflect.DeepEqual(got, sampleOrders) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, sampleOrders)
			}
			if want := [][]int{{2, 3}, {4}, {5}}; !reflect.DeepEqual(rows, want) {
				t.Errorf("rows %v, want %v", rows, want)
			}
		})
	}
}

func TestWriteCSVGuardsFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sampleOrders); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	if !strings.HasPrefix(s, "\ufeffmerchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity,remarks\n") {
		t.Errorf("no BOM and canonical header: %q", s[:min(len(s), 120)])
	}
	for _, want := range []string{`"'=HYPERLINK(`, `'+86 139`, `'-SKU`, `'@买家`} {
		if !strings.Contains(s, want) {
			t.Errorf("CSV lacks %q:\n%s", want, s)
		}
	}
}

// The XLSX template is what merchants fill in by hand: its columns must be
// text, so Excel keeps long ids and phones as typed.
func TestWriteXLSXTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, nil); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Orders")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rows, [][]string{canonicalHeader}) {
		t.Errorf("template rows %q", rows)
	}
	for col, wantText := range map[string]bool{"A": true, "C": true, "F": false} {
		style, err := f.GetColStyle("Orders", col)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(style)
		if err != nil {
			t.Fatal(err)
		}
		if isText := s.NumFmt == 49; isText != wantText {
			t.Errorf("column %s: text format %v, want %v", col, isText, wantText)
		}
	}
	orders, errs, err := Read(&buf, XLSX, Options{})
	if err != nil || len(orders) > 0 || len(errs) > 0 {
		t.Errorf("reading the template: %v %v %v", orders, errs, err)
	}
}

func TestWriteRejectsOrderWithoutLines(t *testing.T) {
	orders := append([]yuncang.OrderInput{}, sampleOrders...)
	orders = append(orders, yuncang.OrderInput{MerchantOrderID: "EMPTY"})
	for name, write := range map[string]func(io.Writer, []yuncang.OrderInput) error{"csv": WriteCSV, "xlsx": WriteXLSX} {
		var buf bytes.Buffer
		err := write(&buf, orders)
		if yuncang.ErrorCode(err) != yuncang.EINVALID || buf.Len() != 0 {
			t.Errorf("%s: got %v and %d bytes, want an invalid error and nothing written", name, err, buf.Len())
		}
	}
}
