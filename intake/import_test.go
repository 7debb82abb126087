package intake

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/orderfile"
)

// summaryCSV has four orders: A and B good, C one row with a bad quantity, a
// bad phone and a bad address, D a bad phone only; and a row with no order id.
const summaryCSV = `merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity,remarks
A,张三,13812345678,北京市东城区东华门街道南池子大街7号院2号楼301室,SKU-1,1,
B,李四,13912345678,北京市东城区东华门街道南池子大街7号院2号楼302室,SKU-1,2,
C,王五,12,火星基地,SKU-1,lots,
D,赵六,99,北京市东城区东华门街道南池子大街7号院2号楼303室,SKU-1,1,
`

// TestImportSummaryAddsUp: every order of the file is counted once, as
// created, existing or rejected, and a row refused by the file reader for
// its quantity also lists its phone and address, with its merchant order id.
// Before, C was dropped by the reader and counted as a row: orders 3,
// rejected 2, and C's issue was only "row 4: quantity" without its id.
func TestImportSummaryAddsUp(t *testing.T) {
	for _, extra := range []string{"", ",,,,SKU-1,1,\n"} {
		orders, rowErrs, err := orderfile.Read(strings.NewReader(summaryCSV+extra), orderfile.CSV, orderfile.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Import(context.Background(), nil, 1, orders, rowErrs, true, yuncang.Event{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantOrders, wantRejected := 4, 2
		if extra != "" {
			wantOrders, wantRejected = 5, 3 // the row without an id is one more, rejected
		}
		// All-or-nothing stores nothing, so created is 0 and the good
		// orders are neither created nor rejected: count those refused.
		if rep.Orders != wantOrders || rep.Rejected != wantRejected {
			t.Errorf("orders %d rejected %d, want %d and %d", rep.Orders, rep.Rejected, wantOrders, wantRejected)
		}
		// The good orders A and B were not stored: counted as such, so
		// the counts add up even though nothing was committed.
		if rep.NotCommitted != 2 || rep.Created+len(rep.Existing)+rep.Rejected+rep.NotCommitted != rep.Orders {
			t.Errorf("not committed %d: counts %+v do not add up", rep.NotCommitted, rep)
		}
		var got []string
		for _, is := range rep.Issues {
			got = append(got, fmt.Sprintf("%d %s %s", is.Row, is.MerchantOrderID, is.Field))
		}
		want := "4 C quantity|4 C recipient.phone|4 C recipient.address|5 D recipient.phone"
		if extra != "" {
			want += "|6  merchant_order_id"
		}
		if strings.Join(got, "|") != want {
			t.Errorf("issues:\n got %s\nwant %s", strings.Join(got, "|"), want)
		}
	}
}
