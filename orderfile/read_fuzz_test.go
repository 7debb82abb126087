package orderfile

import (
	"bytes"
	"testing"

	"github.com/yuncang/yuncang"
)

// fuzzRead checks what Read must hold for any input: no panic, a whole-file
// error only as EINVALID (reading from memory cannot fail otherwise), and
// every order returned complete unless marked rejected (exactly those with a
// row error): at least one line, each with a SKU and a positive quantity, and
// rows to point at.
func fuzzRead(t *testing.T, data []byte, f Format) {
	orders, rowErrs, err := Read(bytes.NewReader(data), f, Options{MaxRows: 200})
	if err != nil {
		if yuncang.ErrorCode(err) != yuncang.EINVALID {
			t.Fatalf("Read: %v", err)
		}
		return
	}
	errRows := map[int]bool{}
	for _, re := range rowErrs {
		errRows[re.Row] = true
	}
	for _, o := range orders {
		bad := false
		for _, r := range o.Rows {
			bad = bad || errRows[r]
		}
		if o.Rejected != bad {
			t.Fatalf("order rejected=%v but a row error on its rows=%v: %+v", o.Rejected, bad, o)
		}
		if o.Rejected {
			continue
		}
		if len(o.Input.Lines) == 0 || len(o.Rows) == 0 {
			t.Fatalf("order without lines or rows: %+v", o)
		}
		for _, l := range o.Input.Lines {
			if l.SKUCode == "" || l.Quantity <= 0 {
				t.Fatalf("incomplete line %+v in %+v", l, o)
			}
		}
	}
	for _, re := range rowErrs {
		if re.Row <= 0 || re.Message == "" {
			t.Fatalf("row error without a row or message: %+v", re)
		}
	}
}

var fuzzSeedRows = [][]string{
	{ColMerchantOrderID, ColRecipientName, ColRecipientPhone, ColRecipientAddress, ColSKU, ColQuantity, ColRemarks},
	{"A1", "张三", "13812345678", "浙江省金华市义乌市稠城街道工人北路1号", "SKU-1", "2", ""},
	{"A1", "张三", "13812345678", "浙江省金华市义乌市稠城街道工人北路1号", "SKU-2", "1", "送货前电话"},
	{"A2", "李四", "0579-85123456", "北京市朝阳区建国路88号", "SKU-1", "x", ""},
}

func FuzzReadCSV(f *testing.F) {
	f.Add(encodeCSV(f, fuzzSeedRows))
	f.Add([]byte("商家订单号,收件人,电话,地址,货号,数量\nB1,王五,138 1234 5678,上海市浦东新区世纪大道1号,S,1\n"))
	f.Add([]byte("\xef\xbb\xbfmerchant_order_id,sku,quantity\n\"a\"\"b\",s,1\n"))
	f.Add([]byte(""))
	f.Add([]byte("a,b\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, CSV) })
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(encodeXLSX(f, anyRows(fuzzSeedRows)))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) { fuzzRead(t, data, XLSX) })
}
