package plan

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestPrice(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:S": 1})
	p.Carriers[0].VolumeDivisor = 5000
	p.Orders = []Order{order("o", "31", 0, "S", 1)}
	m, err := compile(p)
	if err != nil {
		t.Fatal(err)
	}
	sh, hz, gz := 0, 1, 2
	shanghai, xinjiang := provinceIndex["31"], provinceIndex["65"]
	cases := []struct {
		name       string
		w, prov    int
		weightG    int
		volCM3     int
		wantFen    int64
		wantCharge int
		wantDays   int
	}{
		{"within first kg", sh, shanghai, 999, 100, 800, 999, 1},
		{"exactly first kg", hz, shanghai, 1000, 100, 800, 1000, 1},
		{"one gram over starts a step", sh, shanghai, 1001, 100, 1000, 1001, 1},
		{"volumetric weight wins", sh, shanghai, 500, 10000, 800 + 200, 2000, 1},
		{"volumetric rounds up", sh, shanghai, 1, 5001, 1000, 1001, 1},
		{"wildcard rate across zones", gz, shanghai, 2500, 100, 1000 + 2*500, 2500, 3},
		{"wildcard to the far west", sh, xinjiang, 1000, 100, 1000, 1000, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			routes := m.routesFor(c.w, c.prov, tempAmbient)
			if len(routes) != 1 {
				t.Fatalf("%d ambient routes, want 1", len(routes))
			}
			fen, charge := m.price(&routes[0], c.weightG, c.volCM3)
			if fen != c.wantFen || charge != c.wantCharge || routes[0].days != c.wantDays {
				t.Errorf("price = %d fen, %d g, %d days; want %d, %d, %d", fen, charge, routes[0].days, c.wantFen, c.wantCharge, c.wantDays)
			}
		})
	}
}

func TestPackingLimits(t *testing.T) {
	cases := []struct {
		name     string
		maxW     int
		maxV     int
		lines    []any
		parcels  int
		reason   string
		maxUnits int // most units in one parcel, 0 to skip
	}{
		{"fits one parcel", 20000, 0, []any{"M", 3}, 1, "", 3},
		{"weight splits", 20000, 0, []any{"H", 3}, 2, "", 2},
		{"weight splits 5 × 8 kg", 20000, 0, []any{"H", 5}, 3, "", 2},
		{"volume splits", 0, 9000, []any{"M", 3}, 2, "", 2},
		{"one unit per parcel", 9000, 0, []any{"H", 3}, 3, "", 1},
		{"unit heavier than every carrier", 20000, 0, []any{"XL", 1}, 0, ReasonUnitTooLarge, 0},
		{"heavy unit among light ones", 20000, 0, []any{"S", 1, "XL", 1}, 0, ReasonUnitTooLarge, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := withStock(testProblem(), map[string]int{"SH:M": 10, "SH:H": 10, "SH:S": 10, "SH:XL": 10})
			p.Carriers[0].MaxWeightG, p.Carriers[0].MaxVolumeCM3 = c.maxW, c.maxV
			p.Orders = []Order{order("o", "31", 0, c.lines...)}
			for _, st := range []Strategy{Auto, Exact, Heuristic, GreedyBaseline} {
				op := mustSolve(t, p, Options{Strategy: st}).Orders[0]
				if op.Reason != c.reason || len(op.Parcels) != c.parcels {
					t.Fatalf("%s: %d parcels, reason %q (%s); want %d, %q", st, len(op.Parcels), op.Reason, op.Message, c.parcels, c.reason)
				}
				most := 0
				for _, pc := range op.Parcels {
					for _, l := range pc.Lines {
						most = max(most, l.Qty)
					}
				}
				if c.maxUnits > 0 && most != c.maxUnits {
					t.Errorf("%s: at most %d units in a parcel, want %d", st, most, c.maxUnits)
				}
			}
		})
	}
}

// TestPackingPicksTwoCheapParcels covers the packing DP: one big parcel fits
// only the expensive carrier, two small ones fit the cheap one.
func TestPackingPicksTwoCheapParcels(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:M": 10})
	p.SKUs[1].WeightG = 1500
	p.Carriers = []Carrier{
		{Code: "BIG", Rates: []Rate{{From: "*", To: "*", FirstFen: 3000, AdditionalFen: 100, Days: 1}}},
		{Code: "SMALL", MaxWeightG: 2000, Rates: []Rate{{From: "*", To: "*", FirstFen: 500, AdditionalFen: 100, Days: 1}}},
	}
	p.Penalties.ExtraParcelFen = 100
	p.Orders = []Order{order("o", "31", 0, "M", 2)}
	for _, st := range []Strategy{Auto, Exact, Heuristic} {
		op := mustSolve(t, p, Options{Strategy: st}).Orders[0]
		// Two SMALL parcels of 1.5 kg: 2 × (500 + 100) + 100 penalty.
		if op.CostFen != 1300 || len(op.Parcels) != 2 || op.Parcels[0].Carrier != "SMALL" {
			t.Errorf("%s: cost %d, %d parcels, %+v; want 1300 in two SMALL parcels", st, op.CostFen, len(op.Parcels), op.Parcels)
		}
	}
	if op := mustSolve(t, p, Options{Strategy: GreedyBaseline}).Orders[0]; op.CostFen < 1300 {
		t.Errorf("greedy %d beats the optimum 1300", op.CostFen)
	}
}

func TestTemperatureSeparation(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:S": 5, "SH:F": 5, "SH:C": 5, "HZ:F": 5})
	p.Orders = []Order{
		order("mixed", "31", 0, "S", 2, "F", 1, "C", 1),
		order("frozen-only", "32", 0, "F", 3),
	}
	for _, st := range []Strategy{Auto, Exact, Heuristic, GreedyBaseline} {
		pl := mustSolve(t, p, Options{Strategy: st}) // checkPlan rejects mixed parcels
		temps := map[string]string{}
		for _, pc := range pl.Orders[0].Parcels {
			if prev, ok := temps[pc.Temp]; ok {
				t.Errorf("%s: two %s parcels (%s and %s) where one fits", st, pc.Temp, prev, pc.Carrier)
			}
			temps[pc.Temp] = pc.Carrier
		}
		want := map[string]string{"ambient": "AMB", "frozen": "COLD", "chilled": "COLD"}
		if !reflect.DeepEqual(temps, want) {
			t.Errorf("%s: parcels by class %v, want %v", st, temps, want)
		}
		if st != GreedyBaseline && !strings.Contains(pl.Orders[0].Explanation, "temperature classes") {
			t.Errorf("%s: explanation does not say why three parcels: %s", st, pl.Orders[0].Explanation)
		}
	}
}

func TestCoverageAndRoutes(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(*Problem)
		prov   string
		lines  []any
		reason string
		carr   string
	}{
		{"ambient anywhere", nil, "65", []any{"S", 1}, "", "AMB"},
		{"cold chain skips Tibet", nil, "54", []any{"F", 1}, ReasonNoCarrier, ""},
		{"cold chain reaches Xinjiang", nil, "65", []any{"F", 1}, "", "COLD"},
		{"covers list", func(p *Problem) { p.Carriers[0].Covers = []string{"31", "32"} }, "33", []any{"S", 1}, ReasonNoCarrier, ""},
		{"covered but no rate from the stocking zone", func(p *Problem) {
			p.Carriers[0].Rates = []Rate{{From: "east", To: "*", FirstFen: 800, Days: 1}}
		}, "44", []any{"M", 1}, ReasonNoRoute, ""},
		{"second carrier covers what the first skips", func(p *Problem) {
			p.Carriers[0].Excludes = []string{"65"}
			p.Carriers = append(p.Carriers, Carrier{Code: "WEST", Covers: []string{"65"}, Rates: []Rate{{From: "*", To: "*", FirstFen: 2500, Days: 4}}})
		}, "65", []any{"S", 1}, "", "WEST"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := withStock(testProblem(), map[string]int{"SH:S": 5, "SH:F": 5, "GZ:M": 5})
			if c.edit != nil {
				c.edit(p)
			}
			p.Orders = []Order{order("o", c.prov, 0, c.lines...)}
			for _, st := range []Strategy{Auto, GreedyBaseline} {
				op := mustSolve(t, p, Options{Strategy: st}).Orders[0]
				if op.Reason != c.reason {
					t.Fatalf("%s: reason %q (%s), want %q", st, op.Reason, op.Message, c.reason)
				}
				if c.carr != "" && op.Parcels[0].Carrier != c.carr {
					t.Errorf("%s: carrier %s, want %s", st, op.Parcels[0].Carrier, c.carr)
				}
			}
		})
	}
}

func TestPromise(t *testing.T) {
	// FAST delivers anywhere in 1 day at a higher price; AMB's cross-zone
	// rate takes 3 days.
	fast := Carrier{Code: "FAST", Cutoff: "18:00", Rates: []Rate{{From: "*", To: "*", FirstFen: 1500, AdditionalFen: 800, Days: 1}}}
	cases := []struct {
		name    string
		now     string
		promise int
		carrier string
		reason  string
	}{
		{"no promise takes the cheap slow carrier", "", 0, "AMB", ""},
		{"loose promise too", "", 3, "AMB", ""},
		{"tight promise needs the fast one", "", 2, "FAST", ""},
		{"1 day still possible before the cut-off", "17:59", 1, "FAST", ""},
		{"after the cut-off a day is added", "18:01", 1, "", ReasonPromise},
		{"after the cut-off 2 days is fine", "18:01", 2, "FAST", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := withStock(testProblem(), map[string]int{"GZ:S": 5})
			p.Carriers = append(p.Carriers, fast)
			p.Now = c.now
			p.Orders = []Order{order("o", "31", c.promise, "S", 1)}
			for _, st := range []Strategy{Auto, GreedyBaseline} {
				op := mustSolve(t, p, Options{Strategy: st}).Orders[0]
				if op.Reason != c.reason {
					t.Fatalf("%s: reason %q (%s), want %q", st, op.Reason, op.Message, c.reason)
				}
				if c.carrier != "" && op.Parcels[0].Carrier != c.carrier {
					t.Errorf("%s: carrier %s, want %s", st, op.Parcels[0].Carrier, c.carrier)
				}
			}
		})
	}
}

func TestStockAcrossBatch(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:S": 3, "GZ:S": 2})
	p.Orders = []Order{
		order("first", "31", 0, "S", 2),  // takes 2 of SH's 3
		order("second", "31", 0, "S", 2), // 1 left in SH: SH+GZ, or both from GZ
		order("third", "31", 0, "S", 2),  // what is left is not enough
		order("fourth", "31", 0, "S", 1), // but one unit is
	}
	for _, st := range []Strategy{Auto, Exact, Heuristic, GreedyBaseline} {
		pl := mustSolve(t, p, Options{Strategy: st}) // checkPlan catches overdrawn stock
		got := []string{}
		for _, op := range pl.Orders {
			got = append(got, op.Status+":"+strings.Join(warehousesOf(op), "+")+op.Reason)
		}
		want := []string{"planned:SH", "planned:GZ", "unfulfilled:no_stock", "planned:SH"}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %v, want %v", st, got, want)
		}
	}
}

// TestUnfulfilledTakesNoStock: an order that fails on one line leaves the
// stock of its other lines for later orders.
func TestUnfulfilledTakesNoStock(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:S": 1, "SH:F": 1})
	p.Orders = []Order{order("fails", "54", 0, "S", 1, "F", 1), order("gets it", "31", 0, "S", 1)}
	pl := mustSolve(t, p, Options{})
	if pl.Orders[0].Reason != ReasonNoCarrier || pl.Orders[1].Status != StatusPlanned {
		t.Errorf("got %+v", pl.Orders)
	}
	if pl.Summary.Planned != 1 || pl.Summary.Unfulfilled != 1 {
		t.Errorf("summary %+v", pl.Summary)
	}
}

// TestPenaltiesTradeOff: the order's two lines are each held near the
// destination in different warehouses (SH, HZ) and both far away (GZ). Two
// parcels from near cost 2 × ¥12 freight; one from far costs ¥35. The
// penalties decide.
func TestPenaltiesTradeOff(t *testing.T) {
	cases := []struct {
		parcel, warehouse int64
		whs               []string
		cost              int64
	}{
		{0, 0, []string{"HZ", "SH"}, 2400},
		{500, 500, []string{"HZ", "SH"}, 3400},
		{500, 600, []string{"GZ"}, 3500}, // a tie at 3500: fewer warehouses is no better, GZ is found first
		{500, 700, []string{"GZ"}, 3500},
		{2000, 0, []string{"GZ"}, 3500},
	}
	for _, c := range cases {
		p := withStock(testProblem(), map[string]int{"SH:M": 1, "HZ:M": 0, "HZ:S": 0, "GZ:M": 1})
		p.SKUs = append(p.SKUs, SKU{Code: "M2", WeightG: 3000, VolumeCM3: 4000})
		p.Stock = append(p.Stock, Stock{Warehouse: "HZ", SKU: "M2", Qty: 1}, Stock{Warehouse: "GZ", SKU: "M2", Qty: 1})
		p.Penalties = Penalties{ExtraParcelFen: c.parcel, ExtraWarehouseFen: c.warehouse}
		p.Orders = []Order{order("o", "31", 0, "M", 1, "M2", 1)}
		for _, st := range []Strategy{Auto, Exact, Heuristic} {
			op := mustSolve(t, p, Options{Strategy: st}).Orders[0]
			if op.CostFen != c.cost {
				t.Errorf("penalties %d/%d, %s: cost %d from %v, want %d", c.parcel, c.warehouse, st, op.CostFen, warehousesOf(op), c.cost)
			}
			if c.cost != 3500 && !reflect.DeepEqual(warehousesOf(op), c.whs) {
				t.Errorf("penalties %d/%d, %s: from %v, want %v", c.parcel, c.warehouse, st, warehousesOf(op), c.whs)
			}
		}
	}
}

// TestExactAgainstBruteForce checks the branch and bound and the packing DP
// against an independent enumeration of every assignment of units to
// warehouses and every partition of each warehouse's units into parcels.
func TestExactAgainstBruteForce(t *testing.T) {
	g := Generate(GenConfig{Seed: 3, Orders: 150, SKUs: 40, MaxLines: 3, MaxQty: 2, StockFactor: 0.3})
	// Tight stock, so that splits are forced; heavy SKUs, so that limits bite.
	for i := range g.SKUs {
		if i%5 == 0 {
			g.SKUs[i].WeightG = 9000 + 1000*(i%7)
		}
	}
	compared := 0
	for i, o := range g.Orders {
		p := *g
		p.Orders = []Order{o}
		units := 0
		for _, l := range o.Lines {
			units += l.Qty
		}
		if units > 5 {
			continue
		}
		exact := mustSolve(t, &p, Options{Strategy: Exact}).Orders[0]
		want, ok := bruteForce(t, &p)
		if !ok {
			if exact.Status == StatusPlanned {
				t.Errorf("order %d: brute force finds no plan, Solve: %+v", i, exact)
			}
			continue
		}
		compared++
		if exact.CostFen != want || exact.Method != "exact" {
			t.Errorf("order %d (%v): exact %d (%s), brute force %d", i, o.Lines, exact.CostFen, exact.Method, want)
		}
		for _, st := range []Strategy{Heuristic, GreedyBaseline} {
			if op := mustSolve(t, &p, Options{Strategy: st}).Orders[0]; op.CostFen < want {
				t.Errorf("order %d: %s %d beats the optimum %d", i, st, op.CostFen, want)
			}
		}
	}
	if compared < 50 {
		t.Errorf("only %d orders compared", compared)
	}
}

// bruteForce returns the optimal cost of the only order of p.
func bruteForce(t *testing.T, p *Problem) (int64, bool) {
	m, err := compile(p)
	if err != nil {
		t.Fatal(err)
	}
	o := &m.orders[0]
	type unit struct{ sku, temp, wG, vC int }
	var units []unit
	for _, l := range o.lines {
		k := m.skus[l.sku]
		for range l.qty {
			units = append(units, unit{l.sku, k.temp, k.weightG, k.volCM3})
		}
	}
	nW := len(m.whs)
	assign := make([]int, len(units))
	best, found := int64(infCost), false
	// groupCost: the best partition of the units into parcels, each with
	// its cheapest carrier that fits and meets the promise.
	var partition func(us []unit, cands []route) int64
	partition = func(us []unit, cands []route) int64 {
		if len(us) == 0 {
			return 0
		}
		// The block holding us[0]: every subset of the rest joins it.
		rest := us[1:]
		bestP := int64(infCost)
		for mask := 0; mask < 1<<len(rest); mask++ {
			w, v := us[0].wG, us[0].vC
			var others []unit
			for j, u := range rest {
				if mask&(1<<j) != 0 {
					w, v = w+u.wG, v+u.vC
				} else {
					others = append(others, u)
				}
			}
			blk := int64(infCost)
			for i := range cands {
				if m.fits(cands[i].carrier, w, v) {
					f, _ := m.price(&cands[i], w, v)
					blk = min(blk, f)
				}
			}
			if blk == infCost {
				continue
			}
			if r := partition(others, cands); r < infCost {
				bestP = min(bestP, blk+m.extraParcel+r)
			}
		}
		return bestP
	}
	var rec func(i int)
	rec = func(i int) {
		if i == len(units) {
			used := map[int]int{}
			for j, u := range units {
				used[u.sku*nW+assign[j]]++
			}
			for k, n := range used {
				if m.stock[k] < n {
					return
				}
			}
			total := int64(0)
			for w := range nW {
				nonEmpty := false
				for temp := range numTemps {
					var us []unit
					for j, u := range units {
						if assign[j] == w && u.temp == temp {
							us = append(us, u)
						}
					}
					if len(us) == 0 {
						continue
					}
					nonEmpty = true
					var cands []route
					for _, r := range m.routesFor(w, o.prov, temp) {
						if o.promise == 0 || r.days <= o.promise {
							cands = append(cands, r)
						}
					}
					c := partition(us, cands)
					if c >= infCost {
						return
					}
					total += c
				}
				if nonEmpty {
					total += m.extraWarehouse
				}
			}
			if total-m.extraParcel-m.extraWarehouse < best {
				best, found = total-m.extraParcel-m.extraWarehouse, true
			}
			return
		}
		for w := range nW {
			assign[i] = w
			rec(i + 1)
		}
	}
	rec(0)
	return best, found
}

func TestHeuristicNearOptimal(t *testing.T) {
	p := Generate(GenConfig{Seed: 5, Orders: 800, MaxLines: 4, MaxQty: 3, StockFactor: 5})
	var exactSum, heurSum, greedySum int64
	for _, o := range p.Orders {
		q := *p
		q.Orders = []Order{o}
		e := mustSolve(t, &q, Options{Strategy: Exact}).Orders[0]
		if e.Status != StatusPlanned {
			continue
		}
		h := mustSolve(t, &q, Options{Strategy: Heuristic}).Orders[0]
		a := mustSolve(t, &q, Options{}).Orders[0]
		g := mustSolve(t, &q, Options{Strategy: GreedyBaseline}).Orders[0]
		if h.CostFen < e.CostFen || g.CostFen < e.CostFen || a.CostFen != e.CostFen {
			t.Errorf("%s: exact %d, auto %d, heuristic %d, greedy %d", o.ID, e.CostFen, a.CostFen, h.CostFen, g.CostFen)
		}
		exactSum, heurSum, greedySum = exactSum+e.CostFen, heurSum+h.CostFen, greedySum+g.CostFen
	}
	if r := float64(heurSum) / float64(exactSum); r > 1.01 {
		t.Errorf("heuristic / exact = %.4f, want ≤ 1.01", r)
	}
	if greedySum <= exactSum {
		t.Errorf("greedy %d is no worse than exact %d: the instances test nothing", greedySum, exactSum)
	}
	t.Logf("heuristic/exact %.4f, greedy/exact %.4f", float64(heurSum)/float64(exactSum), float64(greedySum)/float64(exactSum))
}

func TestBudgetFallsBackToHeuristic(t *testing.T) {
	p := Generate(GenConfig{Seed: 9, Orders: 300, StockFactor: 0.8, MaxQty: 12})
	tiny := mustSolve(t, p, Options{NodeBudget: 5})
	if tiny.Summary.Exact == tiny.Summary.Planned || tiny.Summary.Exact == 0 {
		t.Fatalf("a 5-node budget should prove some orders optimal, not all: %+v", tiny.Summary)
	}
	for _, op := range tiny.Orders {
		if op.Method == "heuristic" && !strings.Contains(op.Explanation, "budget of 5 nodes") {
			t.Errorf("%s: heuristic plan does not say why: %s", op.ID, op.Explanation)
		}
	}
	if full := mustSolve(t, p, Options{Strategy: Exact}); full.Summary.Exact != full.Summary.Planned {
		t.Errorf("without a budget every plan should be exact: %+v", full.Summary)
	}
}

func TestDeterministic(t *testing.T) {
	a := Generate(GenConfig{Seed: 42, Orders: 500})
	b := Generate(GenConfig{Seed: 42, Orders: 500})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate is not deterministic")
	}
	if c := Generate(GenConfig{Seed: 43, Orders: 500}); reflect.DeepEqual(a, c) {
		t.Fatal("Generate ignores the seed")
	}
	for _, st := range []Strategy{Auto, Heuristic, GreedyBaseline} {
		x, _ := json.Marshal(mustSolve(t, a, Options{Strategy: st}))
		y, _ := json.Marshal(mustSolve(t, b, Options{Strategy: st}))
		if string(x) != string(y) {
			t.Errorf("%s: two runs differ", st)
		}
	}
}

func TestExplanations(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:S": 5, "SH:M": 5, "HZ:S": 5, "HZ:M": 5, "GZ:M": 5, "CD:S": 5})
	p.Penalties = Penalties{ExtraParcelFen: 50, ExtraWarehouseFen: 100}
	p.Orders = []Order{
		order("single", "31", 0, "S", 1),
		// GZ's M at the same-zone rate plus S from afar (¥12 + ¥10 + ¥1.50)
		// beats any one warehouse sending both across zones (¥25).
		order("split", "44", 0, "S", 1, "M", 1),
	}
	// A separate network where Hangzhou has a cheap contract to Shanghai,
	// so it beats the nearer Shanghai warehouse.
	q := withStock(testProblem(), map[string]int{"SH:S": 5, "SH:M": 5, "HZ:S": 5, "HZ:M": 5})
	q.Zones = []Zone{{Code: "sh", Provinces: []string{"31"}}, {Code: "zj", Provinces: []string{"33"}}, {Code: "other", Provinces: []string{"44", "51"}}}
	q.Carriers = []Carrier{{Code: "AMB", Rates: []Rate{
		{From: "zj", To: "sh", FirstFen: 700, AdditionalFen: 100, Days: 2},
		{From: "*", To: "*", FirstFen: 1000, AdditionalFen: 500, Days: 3},
	}}}
	q.Orders = []Order{order("farther", "31", 0, "S", 2, "M", 1)}

	pl := mustSolve(t, p, Options{})
	ql := mustSolve(t, q, Options{})
	cases := []struct {
		op   OrderPlan
		want []string
		alts int
	}{
		{pl.Orders[0], []string{"1 parcel from SH", "nearest", "Proven cheapest", "¥8.00"}, 2},
		{pl.Orders[1], []string{"2 parcels from GZ", "+ HZ", "splitting saves ¥1.50 against the best single warehouse", "1 extra parcel × ¥0.50, 1 extra warehouse × ¥1.00"}, 2},
		{ql.Orders[0], []string{"1 parcel from HZ", "¥15.00 less than the nearest warehouse that can, SH"}, 1},
	}
	for _, c := range cases {
		op := c.op
		for _, w := range c.want {
			if !strings.Contains(op.Explanation, w) {
				t.Errorf("%s: explanation lacks %q: %s", op.ID, w, op.Explanation)
			}
		}
		if len(op.Alternatives) != c.alts {
			t.Errorf("%s: %d alternatives, want %d: %+v", op.ID, len(op.Alternatives), c.alts, op.Alternatives)
		}
		for _, a := range op.Alternatives {
			if a.CostFen < op.CostFen || !strings.HasPrefix(a.Description, "all from ") {
				t.Errorf("%s: alternative %+v against the plan's %d", op.ID, a, op.CostFen)
			}
		}
		for _, pc := range op.Parcels {
			if !strings.HasPrefix(pc.Explanation, pc.Carrier+":") || !strings.Contains(pc.Explanation, "chargeable") {
				t.Errorf("%s: parcel explanation %q", op.ID, pc.Explanation)
			}
		}
	}
}

// TestPartialLineSplit: the best plan takes one of SH's two units and one of
// HZ's, because HZ has a cheap contract to Shanghai but only one unit.
func TestPartialLineSplit(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:H": 2, "HZ:H": 1})
	p.Zones = []Zone{{Code: "sh", Provinces: []string{"31"}}, {Code: "zj", Provinces: []string{"33"}}, {Code: "other", Provinces: []string{"44", "51"}}}
	p.Carriers = []Carrier{{Code: "AMB", MaxWeightG: 20000, Rates: []Rate{
		{From: "zj", To: "sh", FirstFen: 700, AdditionalFen: 100, Days: 2},
		{From: "*", To: "*", FirstFen: 1000, AdditionalFen: 500, Days: 3},
	}}}
	p.Orders = []Order{order("o", "31", 0, "H", 2)}
	for _, st := range []Strategy{Auto, Exact, Heuristic} {
		op := mustSolve(t, p, Options{Strategy: st}).Orders[0]
		// 8 kg from SH: 1000 + 7 × 500; 8 kg from HZ: 700 + 7 × 100.
		if op.CostFen != 5900 || !reflect.DeepEqual(warehousesOf(op), []string{"HZ", "SH"}) {
			t.Errorf("%s: cost %d from %v, want 5900 from HZ and SH", st, op.CostFen, warehousesOf(op))
		}
	}
	if op := mustSolve(t, p, Options{Strategy: GreedyBaseline}).Orders[0]; op.CostFen != 8500 {
		t.Errorf("greedy: cost %d, want 8500 (both from the nearest, SH)", op.CostFen)
	}
}

// TestGreedyFixedCarrier: the baseline uses the carrier cheapest at 1 kg for
// the province even where another is cheaper for the parcel at hand, and
// falls back only when that carrier cannot take the parcel.
func TestGreedyFixedCarrier(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:S": 5, "SH:H": 5, "SH:XL": 5})
	p.Carriers = []Carrier{
		{Code: "LIGHT", MaxWeightG: 30000, Rates: []Rate{{From: "*", To: "*", FirstFen: 500, AdditionalFen: 900, Days: 1}}},
		{Code: "HEAVY", Rates: []Rate{{From: "*", To: "*", FirstFen: 900, AdditionalFen: 100, Days: 2}}},
	}
	p.Orders = []Order{
		order("light", "31", 0, "S", 1),
		order("heavy", "31", 0, "H", 1),
		order("too heavy for LIGHT", "31", 0, "XL", 1),
	}
	cases := []struct {
		st    Strategy
		carr  []string
		costs []int64
	}{
		{GreedyBaseline, []string{"LIGHT", "LIGHT", "HEAVY"}, []int64{500, 500 + 7*900, 900 + 39*100}},
		{Auto, []string{"LIGHT", "HEAVY", "HEAVY"}, []int64{500, 900 + 7*100, 900 + 39*100}},
	}
	for _, c := range cases {
		pl := mustSolve(t, p, Options{Strategy: c.st})
		for i, op := range pl.Orders {
			if op.Parcels[0].Carrier != c.carr[i] || op.CostFen != c.costs[i] {
				t.Errorf("%s %s: %s %d, want %s %d", c.st, op.ID, op.Parcels[0].Carrier, op.CostFen, c.carr[i], c.costs[i])
			}
		}
	}
}

// TestLargeGroupFirstFit: 100 + 100 units of two SKUs are too many
// sub-multisets for the exact packing, so first-fit decreasing packs them;
// the plan must still keep every limit and say it is not proven.
func TestLargeGroupFirstFit(t *testing.T) {
	p := withStock(testProblem(), map[string]int{"SH:H": 100, "SH:M": 100})
	p.Orders = []Order{order("bulk", "31", 0, "H", 100, "M", 100)}
	for _, st := range []Strategy{Auto, Exact} {
		op := mustSolve(t, p, Options{Strategy: st}).Orders[0]
		// 1100 kg in parcels of at most 20 kg: at least 55. First-fit
		// decreasing: 50 × (2 H + 1 M) and 9 of the remaining M.
		if len(op.Parcels) != 59 || op.Method != "heuristic" || !strings.Contains(op.Explanation, "first-fit") {
			t.Errorf("%s: %d parcels, method %s: %s", st, len(op.Parcels), op.Method, op.Explanation)
		}
	}
}
