package demodata

import (
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
)

// Every generated order must pass intake: the demo and benchmarks rely on it.
func TestOrdersPassIntake(t *testing.T) {
	g := NewGenerator(1)
	for i := 0; i < 2000; i++ {
		m := Merchants()[i%2].Code
		in := g.Order(m)
		p, err := intake.Prepare(1, in)
		if err != nil {
			t.Fatalf("order %d (%s) rejected: %v", i, in.Recipient.Address, err)
		}
		if strings.Contains(p.Masked.Address, "室") || strings.Contains(p.Masked.Address, "单元") {
			t.Fatalf("masked address keeps a room or unit: %s", p.Masked.Address)
		}
		if p.Destination.DistrictCode == "" && p.Destination.CityCode == "" {
			t.Fatalf("no destination for %s", in.Recipient.Address)
		}
	}
}

func TestPlacesAllResolve(t *testing.T) {
	for _, p := range places {
		if _, err := intake.Prepare(1, orderAt(p.prefix+p.roads[0]+"1号")); err != nil {
			t.Errorf("%s: %v", p.prefix, err)
		}
	}
}

func TestDeterministic(t *testing.T) {
	a, b := NewGenerator(7).Order("hz-fresh"), NewGenerator(7).Order("hz-fresh")
	if a.Recipient != b.Recipient || a.MerchantOrderID != b.MerchantOrderID {
		t.Fatal("same seed gave different orders")
	}
}

func orderAt(addr string) yuncang.OrderInput {
	return yuncang.OrderInput{MerchantOrderID: "X", Lines: []yuncang.OrderLine{{SKUCode: "A", Quantity: 1}},
		Recipient: yuncang.Recipient{Name: "王伟", Phone: "13800001111", Address: addr}}
}
