package orderfile

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/yuncang/yuncang"
)

// benchOrders makes orders with 10,000 line items in all, two per order.
func benchOrders() []yuncang.OrderInput {
	orders := make([]yuncang.OrderInput, 5000)
	for i := range orders {
		orders[i] = yuncang.OrderInput{
			MerchantOrderID: fmt.Sprintf("SO-%08d", i),
			Lines:           []yuncang.OrderLine{{SKUCode: "SKU-A", Quantity: 1 + i%5}, {SKUCode: fmt.Sprintf("SKU-%d", i%300), Quantity: 2}},
			Recipient: yuncang.Recipient{
				Name:    "张三",
				Phone:   fmt.Sprintf("138%08d", i),
				Address: fmt.Sprintf("浙江省杭州市西湖区文三路%d号", i),
			},
			Remarks: "请周末送货",
		}
	}
	return orders
}

func BenchmarkRead(b *testing.B) {
	orders := benchOrders()
	for _, bb := range []struct {
		format Format
		write  func(io.Writer, []yuncang.OrderInput) error
	}{{XLSX, WriteXLSX}, {CSV, WriteCSV}} {
		var buf bytes.Buffer
		if err := bb.write(&buf, orders); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(fmt.Sprintf("%s/rows=10000", bb.format), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				got, errs, err := Read(bytes.NewReader(data), bb.format, Options{})
				if err != nil || len(errs) > 0 || len(got) != len(orders) {
					b.Fatalf("%d orders, %v, %v", len(got), errs, err)
				}
			}
		})
	}
}
