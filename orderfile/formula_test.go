package orderfile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestWriteCSVGuardsFullWidthFormulas: some spreadsheets take ＝ for =, so a
// buyer's remark starting with it is quoted like the ASCII forms, and read
// back unchanged.
func TestWriteCSVGuardsFullWidthFormulas(t *testing.T) {
	orders := []yuncang.OrderInput{{
		MerchantOrderID: "F-1", Lines: []yuncang.OrderLine{{SKUCode: "S1", Quantity: 1}},
		Recipient: yuncang.Recipient{Name: "张三", Phone: "13812345678", Address: addrA},
		Remarks:   `＝HYPERLINK("http://x.example","点我")`,
	}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, orders); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `'＝HYPERLINK(`) {
		t.Errorf("full-width formula not quoted:\n%s", buf.String())
	}
	got, _, err := Read(bytes.NewReader(buf.Bytes()), CSV, Options{})
	if err != nil || len(got) != 1 || got[0].Input.Remarks != orders[0].Remarks {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
}
