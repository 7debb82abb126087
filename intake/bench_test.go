package intake

import (
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
)

// BenchmarkPrepare is the part of order intake that runs before the
// database: validation, the address parse, masking the remarks
// (pii.MaskText) and checking the merchant order id (pii.Scan), over the
// demo generator's orders, as `yuncang bench --only intake` sends them.
func BenchmarkPrepare(b *testing.B) {
	merchant := demodata.Merchants()[0]
	g := demodata.NewGenerator(42)
	inputs := make([]yuncang.OrderInput, 1000)
	for i := range inputs {
		inputs[i] = g.Order(merchant.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Prepare(1, inputs[i%len(inputs)]); err != nil {
			b.Fatal(err)
		}
	}
}
