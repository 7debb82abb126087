package demodata

import (
	"strconv"
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

// TestNumberingKeepsNoStep: merchants taking turns each count their own
// orders, rising, with gaps, and their numbers use every parity and class
// mod 3 (with one counter shared by two merchants, one had only odd
// numbers and the other only even: a decoy filling a skipped number was
// the only one of the other parity).
func TestNumberingKeepsNoStep(t *testing.T) {
	g := NewGenerator(20261128)
	last := map[string]int{}
	classes := map[string]map[int]int{}
	gaps := 0
	for i := range 600 {
		code := Merchants()[i%2].Code
		id := g.Order(code).MerchantOrderID
		n, err := strconv.Atoi(id[len(id)-6:])
		if err != nil || n <= last[code] {
			t.Fatalf("%s after %d", id, last[code])
		}
		if n > last[code]+1 {
			gaps++
		}
		last[code] = n
		if classes[code] == nil {
			classes[code] = map[int]int{}
		}
		classes[code][n%2]++
		classes[code][10+n%3]++
	}
	for code, c := range classes {
		for _, k := range []int{0, 1, 10, 11, 12} {
			if c[k] < 300/5 {
				t.Errorf("%s: only %d of 300 numbers in class %d: %v", code, c[k], k, c)
			}
		}
	}
	if gaps < 600/10 {
		t.Errorf("only %d gaps in 600 orders: decoys have no numbers to take", gaps)
	}
}
