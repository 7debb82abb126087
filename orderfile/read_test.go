package orderfile

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/yuncang/yuncang"
)

func order(id string, rows []int, name, phone, addr, remarks string, lines ...yuncang.OrderLine) Order {
	return Order{
		Input: yuncang.OrderInput{
			MerchantOrderID: id,
			Lines:           lines,
			Recipient:       yuncang.Recipient{Name: name, Phone: phone, Address: addr},
			Remarks:         remarks,
		},
		Rows: rows,
	}
}

func line(sku string, qty int) yuncang.OrderLine {
	return yuncang.OrderLine{SKUCode: sku, Quantity: qty}
}

const (
	addrA = "浙江省杭州市西湖区文三路100号"
	addrB = "上海市浦东新区世纪大道1号"
)

// TestRead runs each case as a CSV file and as an XLSX file.
func TestRead(t *testing.T) {
	chinese := []string{"订单号", "收货人", "手机号", "收货地址", "商品编码", "数量", "买家留言"}
	tests := []struct {
		name   string
		rows   [][]string
		orders []Order
		errs   []RowError
	}{{
		name: "multi-line order, Chinese header",
		rows: [][]string{
			chinese,
			{"SO-1", "张三", "13800138000", addrA, "SKU-A", "2", "周末送"},
			{"SO-1", "张三", "13800138000", addrA, "SKU-B", "1", "周末送"},
			{"SO-2", "李四", "13900139000", addrB, "SKU-A", "5", ""},
		},
		orders: []Order{
			order("SO-1", []int{2, 3}, "张三", "13800138000", addrA, "周末送", line("SKU-A", 2), line("SKU-B", 1)),
			order("SO-2", []int{4}, "李四", "13900139000", addrB, "", line("SKU-A", 5)),
		},
	}, {
		name: "aliases, case, spaces, required markers, unknown columns, no remarks column",
		rows: [][]string{
			{" 店铺 ", "*外部订单号", "姓名", "联系电话", "详细地址", " Sku_Code ", "QTY", "Merchant Order"},
			{"旗舰店", "SO-1", "张三", "13800138000", addrA, "SKU-A", "3", "x"},
		},
		orders: []Order{order("SO-1", []int{2}, "张三", "13800138000", addrA, "", line("SKU-A", 3))},
	}, {
		name: "interleaved rows group in first-appearance order",
		rows: [][]string{
			canonicalHeader,
			{"B", "李四", "139", addrB, "S1", "1"},
			{"A", "张三", "138", addrA, "S1", "1"},
			{"B", "李四", "139", addrB, "S2", "2"},
		},
		orders: []Order{
			order("B", []int{2, 4}, "李四", "139", addrB, "", line("S1", 1), line("S2", 2)),
			order("A", []int{3}, "张三", "138", addrA, "", line("S1", 1)),
		},
	}, {
		name: "continuation rows may leave order fields blank, as merged cells read",
		rows: [][]string{
			canonicalHeader,
			{"A", "张三", "138", addrA, "S1", "1", "礼盒"},
			{"A", "", "", "", "S2", "2", ""},
			{"A", "张三", "", "", "S3", "3"},
		},
		orders: []Order{order("A", []int{2, 3, 4}, "张三", "138", addrA, "礼盒", line("S1", 1), line("S2", 2), line("S3", 3))},
	}, {
		name: "disagreeing recipient drops the order",
		rows: [][]string{
			canonicalHeader,
			{"A", "张三", "138", addrA, "S1", "1"},
			{"B", "李四", "139", addrB, "S1", "1"},
			{"A", "张三", "137", addrA, "S2", "1"},
		},
		orders: []Order{order("B", []int{3}, "李四", "139", addrB, "", line("S1", 1))},
		errs:   []RowError{{4, "recipient_phone", "differs from row 2 of the same order"}},
	}, {
		name: "disagreeing remarks and address",
		rows: [][]string{
			canonicalHeader,
			{"A", "张三", "138", addrA, "S1", "1", ""},
			{"A", "张三", "138", addrB, "S2", "1", "加急"},
		},
		errs: []RowError{
			{3, "recipient_address", "differs from row 2 of the same order"},
			{3, "remarks", "differs from row 2 of the same order"},
		},
	}, {
		name: "structural row errors",
		rows: [][]string{
			canonicalHeader,
			{"", "张三", "138", addrA, "S1", "1"},
			{"B", "张三", "138", addrA, "", "1"},
			{"C", "张三", "138", addrA, "S1", ""},
			{"D", "张三", "138", addrA, "S1", "0"},
			{"E", "张三", "138", addrA, "S1", "-1"},
			{"F", "张三", "138", addrA, "S1", "two"},
			{"G", "张三", "138", addrA, "S1", "1.5"},
			{"H", "张三", "138", addrA, "S1", "100001"},
			{"I", "张三", "138", addrA, "S1", "99999999999999999999"},
			{"J", "张三", "138", addrA, "S1", "1e3"},
			{"1.23456789012346E+17", "张三", "138", addrA, "S1", "1"},
			{"K", "张三", "1.3800138E+10", addrA, "S1", "1"},
		},
		errs: []RowError{
			{2, "merchant_order_id", "is required"},
			{3, "sku", "is required"},
			{4, "quantity", "is required"},
			{5, "quantity", "must be a positive integer"},
			{6, "quantity", "must be a positive integer"},
			{7, "quantity", "must be a positive integer"},
			{8, "quantity", "must be a positive integer"},
			{9, "quantity", "must be at most 100000"},
			{10, "quantity", "must be at most 100000"},
			{11, "quantity", "must be a positive integer"},
			{12, "merchant_order_id", "was stored as a number and has lost digits; format the column as text and enter it again"},
			{13, "recipient_phone", "was stored as a number and has lost digits; format the column as text and enter it again"},
		},
	}, {
		name: "accepted quantities",
		rows: [][]string{
			canonicalHeader,
			{"A", "张三", "138", addrA, "S1", "100000"},
			{"A", "", "", "", "S2", "007"},
			{"A", "", "", "", "S3", "3.0"},
			{"A", "", "", "", "S4", " 4 "},
		},
		orders: []Order{order("A", []int{2, 3, 4, 5}, "张三", "138", addrA, "",
			line("S1", 100000), line("S2", 7), line("S3", 3), line("S4", 4))},
	}, {
		name: "one bad line drops the whole order",
		rows: [][]string{
			canonicalHeader,
			{"A", "张三", "138", addrA, "S1", "1"},
			{"A", "张三", "138", addrA, "S2", "0"},
			{"B", "李四", "139", addrB, "S1", "1"},
		},
		orders: []Order{order("B", []int{4}, "李四", "139", addrB, "", line("S1", 1))},
		errs:   []RowError{{3, "quantity", "must be a positive integer"}},
	}, {
		name: "empty rows are skipped and still counted",
		rows: [][]string{
			nil,
			canonicalHeader,
			nil,
			{"A", "张三", "138", addrA, "S1", "1"},
			{"", "", "", "", "", "", ""},
			nil,
			{"A", "张三", "138", addrA, "S2", "2"},
		},
		orders: []Order{order("A", []int{4, 7}, "张三", "138", addrA, "", line("S1", 1), line("S2", 2))},
	}, {
		name: "ragged rows",
		rows: [][]string{
			canonicalHeader,
			{"A", "张三", "138", addrA, "S1"},
			{"B", "李四", "139", addrB, "S1", "1"},
			{"C", "王五", "137", addrB, "S1", "1", "", "extra", "cells"},
		},
		orders: []Order{
			order("B", []int{3}, "李四", "139", addrB, "", line("S1", 1)),
			order("C", []int{4}, "王五", "137", addrB, "", line("S1", 1)),
		},
		errs: []RowError{{2, "quantity", "is required"}},
	}, {
		name:   "header only",
		rows:   [][]string{canonicalHeader},
		orders: []Order{},
	}}
	for _, tt := range tests {
		for _, f := range []Format{CSV, XLSX} {
			t.Run(fmt.Sprintf("%s/%s", tt.name, f), func(t *testing.T) {
				orders, errs, err := Read(bytes.NewReader(encode(t, f, tt.rows)), f, Options{})
				if err != nil {
					t.Fatalf("Read: %v", err)
				}
				if tt.orders == nil {
					tt.orders = []Order{}
				}
				if !reflect.DeepEqual(accepted(orders), tt.orders) {
					t.Errorf("orders:\n got %+v\nwant %+v", orders, tt.orders)
				}
				if !reflect.DeepEqual(errs, tt.errs) {
					t.Errorf("row errors:\n got %v\nwant %v", errs, tt.errs)
				}
			})
		}
	}
}

func TestReadFileErrors(t *testing.T) {
	xlsxTwoSheets := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		if _, err := f.NewSheet("二月"); err != nil {
			t.Fatal(err)
		}
		buf, err := f.WriteToBuffer()
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}()
	tests := []struct {
		name   string
		format Format
		data   []byte
		opts   Options
		want   string // in the message
	}{
		{"empty CSV", CSV, nil, Options{}, "empty"},
		{"blank lines only", CSV, []byte("\n\n , ,\n"), Options{}, "no header row"},
		{"empty workbook", XLSX, encodeXLSX(t, nil), Options{}, "no header row"},
		{"missing column", CSV, []byte("merchant_order_id,recipient_name,recipient_phone,recipient_address,sku\n"), Options{},
			"missing required column: quantity (or 数量, qty)"},
		{"missing columns", XLSX, encodeXLSX(t, [][]any{{"订单号", "收货人", "电话", "地址"}}), Options{},
			"missing required column: sku (or sku_code, 商品编码, 货号); quantity (or 数量, qty)"},
		{"column named twice", CSV, []byte("订单号,商家订单号,收件人,电话,地址,sku,数量\n"), Options{},
			"the header names column merchant_order_id twice (columns A and B)"},
		{"not a workbook", XLSX, []byte("PK\x03\x04 this is not a zip"), Options{}, "not a readable XLSX workbook"},
		{"CSV that is binary", CSV, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Options{}, "neither CSV text nor an XLSX workbook"},
		{"malformed quotes", CSV, []byte("订单号,收货人,电话,地址,sku,数量\n\"A\",\"B\",1,2,3,4\n\nA,B\",1,2,3,4\n"), Options{}, "row 4: malformed CSV"},
		{"unknown sheet", XLSX, xlsxTwoSheets, Options{Sheet: "三月"}, `no sheet named "三月"`},
		{"unknown format", Format("ods"), []byte("x"), Options{}, "unsupported order file format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orders, errs, err := Read(bytes.NewReader(tt.data), tt.format, tt.opts)
			if err == nil {
				t.Fatalf("Read succeeded with %d orders, %d row errors; want error", len(orders), len(errs))
			}
			if got := yuncang.ErrorCode(err); got != yuncang.EINVALID {
				t.Errorf("code %q, want %q (%v)", got, yuncang.EINVALID, err)
			}
			if msg := yuncang.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
		})
	}
}

type failingReader struct{ err error }

func (r failingReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadReaderFailureIsInternal(t *testing.T) {
	cause := errors.New("connection reset")
	for _, f := range []Format{CSV, XLSX} {
		_, _, err := Read(failingReader{cause}, f, Options{})
		if yuncang.ErrorCode(err) != yuncang.EINTERNAL || !errors.Is(err, cause) {
			t.Errorf("%s: got %v, want an internal error wrapping the cause", f, err)
		}
	}
}

func TestReadMaxRows(t *testing.T) {
	rows := [][]string{canonicalHeader}
	for i := range 10 {
		rows = append(rows, []string{fmt.Sprint("SO-", i), "张三", "138", addrA, "S1", "1"}, nil)
	}
	for _, f := range []Format{CSV, XLSX} {
		data := encode(t, f, rows)
		if orders, _, err := Read(bytes.NewReader(data), f, Options{MaxRows: 10}); err != nil || len(orders) != 10 {
			t.Errorf("%s: at the limit (empty rows not counted): %d orders, %v", f, len(orders), err)
		}
		_, _, err := Read(bytes.NewReader(data), f, Options{MaxRows: 9})
		if want := "more than 9 order rows"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: over the limit: got %v, want %q", f, err, want)
		}
	}
}

func TestReadDefaultMaxRows(t *testing.T) {
	var b strings.Builder
	b.WriteString("merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n")
	for range DefaultMaxRows + 1 {
		b.WriteString("A,n,p,a,S,1\n")
	}
	if _, _, err := Read(strings.NewReader(b.String()), CSV, Options{}); err == nil {
		t.Fatal("read more than DefaultMaxRows rows without error")
	}
}

func TestReadProgress(t *testing.T) {
	for _, tt := range []struct {
		rows int
		want []int
	}{
		{0, []int{0}},
		{999, []int{999}},
		{2000, []int{1000, 2000}},
		{2500, []int{1000, 2000, 2500}},
	} {
		rows := [][]string{canonicalHeader}
		for i := range tt.rows {
			rows = append(rows, []string{fmt.Sprint(i), "n", "p", "a", "S", "1"})
		}
		for _, f := range []Format{CSV, XLSX} {
			var got []int
			_, _, err := Read(bytes.NewReader(encode(t, f, rows)), f, Options{Progress: func(n int) { got = append(got, n) }})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s, %d rows: progress %v, want %v", f, tt.rows, got, tt.want)
			}
		}
	}
}

// Excel stores numbers typed into cells as numbers; phones, ids and
// quantities must come back as the digits the merchant typed.
func TestReadXLSXNumericCells(t *testing.T) {
	data := encodeXLSX(t, [][]any{
		{"订单号", "收货人", "手机", "地址", "货号", "数量"},
		{202401010001, "张三", 13800138000, addrA, 600123, 3},
		{202401010001, "张三", 13800138000, addrA, "S2", 1.0},
		{"A", "李四", "139", addrB, "S1", 2.5},
	})
	orders, errs, err := Read(bytes.NewReader(data), XLSX, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Order{order("202401010001", []int{2, 3}, "张三", "13800138000", addrA, "", line("600123", 3), line("S2", 1))}
	if !reflect.DeepEqual(accepted(orders), want) {
		t.Errorf("orders:\n got %+v\nwant %+v", orders, want)
	}
	if wantErrs := []RowError{{4, "quantity", "must be a positive integer"}}; !reflect.DeepEqual(errs, wantErrs) {
		t.Errorf("row errors: got %v, want %v", errs, wantErrs)
	}
}

func TestReadXLSXSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	if _, err := f.NewSheet("二月"); err != nil {
		t.Fatal(err)
	}
	for sheet, id := range map[string]string{"Sheet1": "JAN", "二月": "FEB"} {
		for i, row := range [][]any{
			{"订单号", "收货人", "电话", "地址", "sku", "数量"},
			{id, "张三", "138", addrA, "S", 1},
		} {
			if err := f.SetSheetRow(sheet, fmt.Sprint("A", i+1), &row); err != nil {
				t.Fatal(err)
			}
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	for sheet, want := range map[string]string{"": "JAN", "Sheet1": "JAN", "二月": "FEB"} {
		orders, _, err := Read(bytes.NewReader(buf.Bytes()), XLSX, Options{Sheet: sheet})
		if err != nil || len(orders) != 1 || orders[0].Input.MerchantOrderID != want {
			t.Errorf("sheet %q: got %+v, %v; want order %s", sheet, orders, err, want)
		}
	}
}

func TestReadCSVText(t *testing.T) {
	const body = "订单号,收货人,电话,地址,商品编码,数量,备注\nSO-1,张三,138,杭州市,SKU-A,2,易碎\n"
	want := []Order{order("SO-1", []int{2}, "张三", "138", "杭州市", "易碎", line("SKU-A", 2))}
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"UTF-8", []byte(body)},
		{"UTF-8 with BOM", append([]byte("\ufeff"), body...)},
		{"CRLF", []byte(strings.ReplaceAll(body, "\n", "\r\n"))},
		{"GBK", gbk},
		{"tab-delimited", []byte(strings.ReplaceAll(body, ",", "\t"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orders, errs, err := Read(bytes.NewReader(tt.data), CSV, Options{})
			if err != nil || len(errs) > 0 {
				t.Fatalf("Read: %v %v", errs, err)
			}
			if !reflect.DeepEqual(orders, want) {
				t.Errorf("got %+v, want %+v", orders, want)
			}
		})
	}
}

// Text that is not valid in the file's encoding, past the part the encoding
// is decided from, is a row error on the row it is in.
func TestReadCSVInvalidTextLate(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n")
	n := 1
	for b.Len() <= sniffSize {
		n++
		fmt.Fprintf(&b, "SO-%d,name,138,addr,S,1\n", n)
	}
	b.WriteString("SO-X,\xff\xfe,138,addr,S,1\n")
	orders, errs, err := Read(&b, CSV, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []RowError{{n + 1, "recipient_name", "contains characters that are not valid text; save the file as UTF-8"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("row errors: got %v, want %v", errs, want)
	}
	if len(accepted(orders)) != n-1 {
		t.Errorf("%d orders, want %d", len(accepted(orders)), n-1)
	}
}

// Rows are numbered as a spreadsheet shows them: a quoted cell with line
// breaks is one row, a blank line is a row.
func TestReadCSVRowNumbers(t *testing.T) {
	data := "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n" +
		"A,张三,138,\"杭州市\r\n西湖区\r\n文三路\",S1,1\n" + // row 2
		"\n" + // row 3
		"B,李四,139,上海,S1,0\n" + // row 4
		"C,\"王\n五\",137,上海,S1,\n" // row 5
	_, errs, err := Read(strings.NewReader(data), CSV, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []RowError{{4, "quantity", "must be a positive integer"}, {5, "quantity", "is required"}}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("got %v, want %v", errs, want)
	}
}

// Cells are personal data: no message may repeat one, whatever is wrong.
func TestErrorsNeverContainCellValues(t *testing.T) {
	rows := [][]string{
		canonicalHeader,
		{"", "秘密姓名一", "PHONE-SECRET-1", "秘密地址一号", "SKU-SECRET-1", "qty-secret-1", "秘密备注一"},
		{"ORDER-SECRET-2", "秘密姓名二", "PHONE-SECRET-2", "秘密地址二号", "", "-12345", "秘密备注二"},
		{"ORDER-SECRET-2", "秘密姓名三", "PHONE-SECRET-3", "秘密地址三号", "SKU-SECRET-3", "987654321", "秘密备注三"},
		{"ORDER-SECRET-2", "秘密姓名二", "PHONE-SECRET-2", "秘密地址二号", "SKU-SECRET-4", "4.25", "秘密备注二"},
		{"9.87654321098765E+17", "秘密姓名五", "1.3812345678E+10", "秘密地址五号", "SKU-SECRET-5", "５", "秘密备注五"},
	}
	var secrets []string
	for _, r := range rows[1:] {
		for _, c := range r {
			if c != "" {
				secrets = append(secrets, c)
			}
		}
	}
	check := func(t *testing.T, what, msg string) {
		t.Helper()
		for _, s := range secrets {
			if strings.Contains(msg, s) {
				t.Errorf("%s %q contains the cell value %q", what, msg, s)
			}
		}
	}
	for _, f := range []Format{CSV, XLSX} {
		t.Run(string(f), func(t *testing.T) {
			data := encode(t, f, rows)
			orders, errs, err := Read(bytes.NewReader(data), f, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(accepted(orders)) != 0 {
				t.Errorf("%d orders read from a file with only bad orders", len(accepted(orders)))
			}
			if len(errs) < 8 {
				t.Errorf("only %d row errors: %v", len(errs), errs)
			}
			for _, e := range errs {
				check(t, "row error", e.Error())
			}
			_, _, err = Read(bytes.NewReader(data), f, Options{MaxRows: 2})
			check(t, "file error", err.Error())
		})
	}
	head := strings.Join(canonicalHeader, ",") + "\n"
	for _, bad := range []string{
		head + "ORDER-SECRET-2,秘密姓名二,PHONE-SECRET-2,秘密地址二号,SKU\"SECRET\",1\n",
		head + "ORDER-SECRET-2,秘密姓名二,PHONE-SECRET-2,\"秘密地址二号,SKU-SECRET-1,1\n",
		"merchant_order_id,秘密姓名一\nORDER-SECRET-2,SKU-SECRET-1\n",
	} {
		_, _, err := Read(strings.NewReader(bad), CSV, Options{})
		if err == nil {
			t.Fatalf("no error for %q", bad)
		}
		check(t, "file error", err.Error())
	}
}

// accepted is the orders Read did not mark rejected.
func accepted(orders []Order) []Order {
	out := []Order{}
	for _, o := range orders {
		if !o.Rejected {
			out = append(out, o)
		}
	}
	return out
}

// TestReadReturnsRejectedOrders: an order with a bad row comes back marked
// rejected, with its rows and the recipient of its first row, so that the
// import can report the recipient's problems too and count the order.
func TestReadReturnsRejectedOrders(t *testing.T) {
	rows := [][]string{canonicalHeader,
		{"A", "张三", "12", "nowhere", "S1", "1", ""},
		{"A", "", "", "", "S2", "lots", ""},
		{"B", "李四", "139", addrB, "S1", "1", ""},
	}
	for _, f := range []Format{CSV, XLSX} {
		orders, errs, err := Read(bytes.NewReader(encode(t, f, rows)), f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(orders) != 2 || !orders[0].Rejected || orders[1].Rejected {
			t.Fatalf("%s: orders = %+v, want A rejected and B not", f, orders)
		}
		a := orders[0]
		if !reflect.DeepEqual(a.Rows, []int{2, 3}) || a.Input.Recipient.Phone != "12" || a.Input.Recipient.Address != "nowhere" ||
			!reflect.DeepEqual(a.Input.Lines, []yuncang.OrderLine{{SKUCode: "S1", Quantity: 1}}) {
			t.Errorf("%s: rejected order = %+v", f, a)
		}
		if want := []RowError{{3, "quantity", "must be a positive integer"}}; !reflect.DeepEqual(errs, want) {
			t.Errorf("%s: row errors = %v, want %v", f, errs, want)
		}
	}
}
