package plan

import (
	"slices"
	"testing"
)

// testProblem is a small network: Shanghai and Hangzhou (east zone),
// Guangzhou (south), Chengdu (southwest); an ambient carrier that prices by
// zone, a cold-chain carrier that skips Tibet; and a few SKUs.
func testProblem() *Problem {
	return &Problem{
		Warehouses: []Warehouse{
			{Code: "SH", Province: "31"},
			{Code: "HZ", Province: "33"},
			{Code: "GZ", Province: "44"},
			{Code: "CD", Province: "51"},
		},
		SKUs: []SKU{
			{Code: "S", WeightG: 500, VolumeCM3: 1000},
			{Code: "M", WeightG: 3000, VolumeCM3: 4000},
			{Code: "H", WeightG: 8000, VolumeCM3: 10000},
			{Code: "F", WeightG: 1000, VolumeCM3: 1500, Temp: "frozen"},
			{Code: "C", WeightG: 700, VolumeCM3: 1200, Temp: "chilled"},
			{Code: "XL", WeightG: 40000, VolumeCM3: 50000},
		},
		Carriers: []Carrier{
			{Code: "AMB", MaxWeightG: 20000, Rates: []Rate{
				{From: "east", To: "east", FirstFen: 800, AdditionalFen: 200, Days: 1},
				{From: "south", To: "south", FirstFen: 800, AdditionalFen: 200, Days: 1},
				{From: "southwest", To: "southwest", FirstFen: 800, AdditionalFen: 200, Days: 1},
				{From: "*", To: "*", FirstFen: 1000, AdditionalFen: 500, Days: 3},
			}},
			{Code: "COLD", Temps: []string{"chilled", "frozen"}, Excludes: []string{"54"}, MaxWeightG: 20000, Rates: []Rate{
				{From: "*", To: "*", FirstFen: 2000, AdditionalFen: 600, Days: 2},
			}},
		},
	}
}

// stock sets the stock of the problem from "warehouse:sku" → qty.
func withStock(p *Problem, s map[string]int) *Problem {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	p.Stock = nil
	for _, k := range keys {
		i := slices.Index([]byte(k), ':')
		p.Stock = append(p.Stock, Stock{Warehouse: k[:i], SKU: k[i+1:], Qty: s[k]})
	}
	return p
}

func order(id, prov string, promise int, lines ...any) Order {
	o := Order{ID: id, Province: prov, PromiseDays: promise}
	for i := 0; i < len(lines); i += 2 {
		o.Lines = append(o.Lines, Line{SKU: lines[i].(string), Qty: lines[i+1].(int)})
	}
	return o
}

func mustSolve(t *testing.T, p *Problem, o Options) *Plan {
	t.Helper()
	pl, err := Solve(p, o)
	if err != nil {
		t.Fatalf("Solve: %v", err)
	}
	if len(pl.Orders) != len(p.Orders) {
		t.Fatalf("%d orders planned, %d given", len(pl.Orders), len(p.Orders))
	}
	checkPlan(t, p, pl)
	return pl
}

// checkPlan verifies the rules every plan must keep, independently of how
// it was made: every planned order ships exactly its units; no parcel mixes
// classes or exceeds its carrier's limits or misses the promise; costs add
// up; stock is never overdrawn across the batch.
func checkPlan(t *testing.T, p *Problem, pl *Plan) {
	t.Helper()
	skus := map[string]SKU{}
	for _, s := range p.SKUs {
		skus[s.Code] = s
	}
	carriers := map[string]Carrier{}
	for _, c := range p.Carriers {
		carriers[c.Code] = c
	}
	left := map[[2]string]int{}
	for _, s := range p.Stock {
		left[[2]string{s.Warehouse, s.SKU}] = s.Qty
	}
	for i, op := range pl.Orders {
		o := p.Orders[i]
		if op.ID != o.ID {
			t.Fatalf("orders[%d] is %q, want %q", i, op.ID, o.ID)
		}
		if op.Status != StatusPlanned {
			if op.Reason == "" || op.Message == "" || len(op.Parcels) > 0 {
				t.Errorf("%s: unfulfilled without reason or with parcels: %+v", o.ID, op)
			}
			continue
		}
		want := map[string]int{}
		for _, l := range o.Lines {
			want[l.SKU] += l.Qty
		}
		got := map[string]int{}
		var freight int64
		whs := map[string]bool{}
		for _, pc := range op.Parcels {
			whs[pc.Warehouse] = true
			w, v := 0, 0
			for _, l := range pc.Lines {
				got[l.SKU] += l.Qty
				left[[2]string{pc.Warehouse, l.SKU}] -= l.Qty
				s := skus[l.SKU]
				temp := s.Temp
				if temp == "" {
					temp = "ambient"
				}
				if temp != pc.Temp {
					t.Errorf("%s: %s (%s) in a %s parcel", o.ID, l.SKU, temp, pc.Temp)
				}
				w += s.WeightG * l.Qty
				v += s.VolumeCM3 * l.Qty
			}
			if w != pc.WeightG || v != pc.VolumeCM3 {
				t.Errorf("%s: parcel weight/volume %d/%d, lines add up to %d/%d", o.ID, pc.WeightG, pc.VolumeCM3, w, v)
			}
			c := carriers[pc.Carrier]
			if (c.MaxWeightG > 0 && w > c.MaxWeightG) || (c.MaxVolumeCM3 > 0 && v > c.MaxVolumeCM3) {
				t.Errorf("%s: %s parcel of %d g, %d cm³ exceeds its limits", o.ID, pc.Carrier, w, v)
			}
			if o.PromiseDays > 0 && pc.Days > o.PromiseDays {
				t.Errorf("%s: parcel takes %d days, promised %d", o.ID, pc.Days, o.PromiseDays)
			}
			if pc.Explanation == "" {
				t.Errorf("%s: parcel without explanation", o.ID)
			}
			freight += pc.CostFen
		}
		if !mapsEqual(want, got) {
			t.Errorf("%s: ships %v, ordered %v", o.ID, got, want)
		}
		pen := int64(len(op.Parcels)-1)*p.Penalties.ExtraParcelFen + int64(len(whs)-1)*p.Penalties.ExtraWarehouseFen
		if freight != op.FreightFen || pen != op.PenaltyFen || op.CostFen != freight+pen {
			t.Errorf("%s: freight %d penalty %d cost %d, parcels give %d + %d", o.ID, op.FreightFen, op.PenaltyFen, op.CostFen, freight, pen)
		}
		if op.Explanation == "" {
			t.Errorf("%s: no explanation", o.ID)
		}
	}
	for k, n := range left {
		if n < 0 {
			t.Errorf("stock of %s overdrawn by %d", k, -n)
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func warehousesOf(op OrderPlan) []string {
	var ws []string
	for _, p := range op.Parcels {
		if !slices.Contains(ws, p.Warehouse) {
			ws = append(ws, p.Warehouse)
		}
	}
	slices.Sort(ws)
	return ws
}
