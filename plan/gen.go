package plan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// GenConfig sizes a generated instance. Zero fields take the defaults.
type GenConfig struct {
	Seed     uint64
	Orders   int // default 1000
	SKUs     int // default 300
	MaxLines int // lines per order, 1 to MaxLines; default 5
	MaxQty   int // units per line, 1 to MaxQty; default 6
	// StockFactor is stock over demand per SKU, on average (default 1.4).
	// Below about 1.2 some orders run out of stock; large values make every
	// warehouse that stocks an SKU hold plenty of it.
	StockFactor float64
	// Scarce replaces StockFactor: every SKU's stock equals its demand in
	// the batch, unevenly spread over its warehouses, so orders must be
	// sent where the stock is (the 11.11 case: the nearest warehouse runs
	// out of the hot SKUs).
	Scarce bool
}

// genWarehouse is a real place with a cloud-warehouse industry.
var genWarehouses = []Warehouse{
	{Code: "YW", Name: "义乌仓", Province: "33", City: "3307", Lat: 29.31, Lon: 120.08},
	{Code: "GZ", Name: "广州仓", Province: "44", City: "4401", Lat: 23.13, Lon: 113.26},
	{Code: "CD", Name: "成都仓", Province: "51", City: "5101", Lat: 30.57, Lon: 104.07},
	{Code: "BJ", Name: "北京仓", Province: "11", City: "1101", Lat: 39.90, Lon: 116.41},
	{Code: "WH", Name: "武汉仓", Province: "42", City: "4201", Lat: 30.59, Lon: 114.31},
}

// genCarrier describes a made-up carrier by price band: band 0 is within a
// zone, 1–3 farther apart, 4 to or from the remote zone (西藏, 新疆). The
// prices are typical of Chinese e-commerce contract rates, not any real
// company's.
type genCarrier struct {
	code, name     string
	first, add     [5]int64
	days           [5]int
	temps          []string
	excludes       []string
	maxW, maxV     int
	divisor        int
	firstG         int
	cutoff         string
	noRemoteOrigin bool
}

var genCarriers = []genCarrier{
	{code: "ECON", name: "经济快递", first: [5]int64{800, 900, 1000, 1200, 1500}, add: [5]int64{200, 300, 400, 600, 800},
		days: [5]int{1, 2, 3, 4, 6}, maxW: 30_000, maxV: 150_000, divisor: 8000, cutoff: "18:00"},
	{code: "STD", name: "标准快递", first: [5]int64{900, 1000, 1100, 1300, 0}, add: [5]int64{150, 250, 300, 450, 0},
		days: [5]int{1, 2, 2, 3, 0}, excludes: []string{"54", "65"}, maxW: 20_000, maxV: 100_000, divisor: 6000, cutoff: "17:00"},
	{code: "EXPRESS", name: "特快专递", first: [5]int64{1200, 1300, 1400, 1500, 1500}, add: [5]int64{300, 400, 500, 700, 800},
		days: [5]int{1, 1, 2, 2, 3}, maxW: 50_000, maxV: 200_000, divisor: 6000, cutoff: "20:00"},
	{code: "COLD", name: "冷链专送", first: [5]int64{1800, 2000, 2300, 2600, 3000}, add: [5]int64{500, 600, 800, 1000, 1200},
		days: [5]int{1, 1, 2, 3, 3}, temps: []string{"chilled", "frozen"}, excludes: []string{"54"}, maxW: 25_000, maxV: 80_000, divisor: 6000, cutoff: "15:00"},
	{code: "FREIGHT", name: "大件快运", first: [5]int64{2000, 2300, 2600, 3000, 3600}, add: [5]int64{100, 150, 200, 300, 400},
		days: [5]int{2, 3, 4, 5, 6}, maxW: 100_000, maxV: 500_000, divisor: 6000, firstG: 3000, cutoff: "17:00"},
}

// Generate returns a realistic instance: five warehouses at real cloud-
// warehouse hubs, eight zones (the seven geographic regions, with 西藏 and
// 新疆 apart as "remote"), five carriers (two cheap ones, one of which skips
// 西藏 and 新疆, a fast one, a cold-chain one and a bulky-freight one), SKUs
// from 50 g trinkets to 25 kg appliances in three temperature classes, and
// orders of 1–5 lines sent to provinces in proportion to population.
// The same config always gives the same instance.
func Generate(c GenConfig) *Problem {
	if c.Orders <= 0 {
		c.Orders = 1000
	}
	if c.SKUs <= 0 {
		c.SKUs = 300
	}
	if c.MaxLines <= 0 {
		c.MaxLines = 5
	}
	if c.MaxQty <= 0 {
		c.MaxQty = 6
	}
	if c.StockFactor <= 0 {
		c.StockFactor = 1.4
	}
	rng := rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
	p := &Problem{
		Now:        "14:00",
		Warehouses: slices.Clone(genWarehouses),
		Penalties:  Penalties{ExtraParcelFen: 150, ExtraWarehouseFen: 300},
	}

	genNetwork(p)
	genSKUs(rng, p, c.SKUs)
	demand := genOrders(rng, p, c)
	genStock(rng, p, c, demand)
	return p
}

// genNetwork adds the zones (the seven regions and "remote") and the
// carriers' rates by the distance band between each pair of zones.
func genNetwork(p *Problem) {
	// Zones and the price band between each pair of them.
	regionZones := []string{"north", "northeast", "east", "central", "south", "southwest", "northwest"}
	members := map[string][]string{}
	for _, pr := range provinces {
		z := pr.region
		if pr.code == "54" || pr.code == "65" {
			z = "remote"
		}
		members[z] = append(members[z], pr.code)
	}
	zones := append(regionZones, "remote")
	centroid := map[string][2]float64{}
	for _, z := range zones {
		var lat, lon float64
		for _, code := range members[z] {
			pr := provinces[provinceIndex[code]]
			lat, lon = lat+pr.lat, lon+pr.lon
		}
		n := float64(len(members[z]))
		centroid[z] = [2]float64{lat / n, lon / n}
		p.Zones = append(p.Zones, Zone{Code: z, Provinces: members[z]})
	}
	band := func(a, b string) int {
		switch {
		case a == "remote" || b == "remote":
			return 4
		case a == b:
			return 0
		}
		d := distanceKM(centroid[a][0], centroid[a][1], centroid[b][0], centroid[b][1])
		switch {
		case d < 900:
			return 1
		case d < 1600:
			return 2
		}
		return 3
	}
	for _, g := range genCarriers {
		car := Carrier{Code: g.code, Name: g.name, Temps: g.temps, Excludes: g.excludes, MaxWeightG: g.maxW,
			MaxVolumeCM3: g.maxV, VolumeDivisor: g.divisor, FirstWeightG: g.firstG, Cutoff: g.cutoff}
		for _, from := range zones {
			for _, to := range zones {
				b := band(from, to)
				if g.first[b] == 0 {
					continue // the carrier does not serve this band
				}
				car.Rates = append(car.Rates, Rate{From: from, To: to, FirstFen: g.first[b], AdditionalFen: g.add[b], Days: g.days[b]})
			}
		}
		p.Carriers = append(p.Carriers, car)
	}

}

// genSKUs adds n SKUs: weights log-uniform 50 g – 8 kg, a few bulky 8–25 kg
// ones; 1–8 cm³ per gram, so light bulky goods are charged by volume.
func genSKUs(rng *rand.Rand, p *Problem, n int) {
	// SKUs: weights log-uniform 50 g – 8 kg, a few bulky 8–25 kg ones;
	// 1–8 cm³ per gram, so light bulky goods are charged by volume.
	for i := range n {
		w := math.Exp(math.Log(50) + rng.Float64()*(math.Log(8000)-math.Log(50)))
		if rng.Float64() < 0.04 {
			w = 8000 + rng.Float64()*17000
		}
		temp := "ambient"
		switch r := rng.Float64(); {
		case r < 0.06:
			temp = "frozen"
		case r < 0.15:
			temp = "chilled"
		}
		density := 1 + rng.Float64()*7
		if temp != "ambient" {
			density = 1 + rng.Float64()*2
		}
		p.SKUs = append(p.SKUs, SKU{Code: fmt.Sprintf("SKU%04d", i+1), WeightG: int(w), VolumeCM3: max(1, int(w*density)), Temp: temp})
	}

}

// genOrders adds the orders: destination by population, SKUs by Zipf-like
// popularity. It returns each SKU's total demand.
func genOrders(rng *rand.Rand, p *Problem, c GenConfig) []int {
	// Orders: destination by population, SKUs by Zipf-like popularity.
	var popTotal float64
	for _, pr := range provinces {
		popTotal += pr.popM
	}
	skuWeight := make([]float64, c.SKUs)
	var skuTotal float64
	for i := range skuWeight {
		skuWeight[i] = 1 / float64(i+10)
		skuTotal += skuWeight[i]
	}
	popWeights := make([]float64, len(provinces))
	for i, pr := range provinces {
		popWeights[i] = pr.popM
	}
	lineWeights := []float64{40, 25, 15, 10, 10}[:min(5, c.MaxLines)]
	for len(lineWeights) < c.MaxLines {
		lineWeights = append(lineWeights, 5)
	}
	qtyWeights := []float64{70, 20, 7, 3}
	demand := make([]int, c.SKUs)
	for i := range c.Orders {
		pr := provinces[pick(rng, popWeights, popTotal)]
		o := Order{ID: fmt.Sprintf("O%06d", i+1), Province: pr.code, City: pr.code + "01"}
		switch r := rng.Float64(); {
		case r < 0.3:
			o.PromiseDays = 3
		case r < 0.5:
			o.PromiseDays = 2
		case r < 0.6:
			o.PromiseDays = 5
		}
		n := 1 + pick(rng, lineWeights, sum(lineWeights))
		for len(o.Lines) < n {
			k := pick(rng, skuWeight, skuTotal)
			if slices.ContainsFunc(o.Lines, func(l Line) bool { return l.SKU == p.SKUs[k].Code }) {
				continue
			}
			q := 1 + pick(rng, qtyWeights[:min(len(qtyWeights), c.MaxQty)], sum(qtyWeights[:min(len(qtyWeights), c.MaxQty)]))
			if q == 4 && c.MaxQty > 4 {
				q += rng.IntN(c.MaxQty - 3)
			}
			o.Lines = append(o.Lines, Line{SKU: p.SKUs[k].Code, Qty: q})
			demand[k] += q
		}
		p.Orders = append(p.Orders, o)
	}

	return demand
}

// genStock adds the stock: each SKU in 1–5 warehouses, together about
// StockFactor × its demand; one SKU in fifty gets less than its demand.
func genStock(rng *rand.Rand, p *Problem, c GenConfig, demand []int) {
	// Stock: each SKU in 1–5 warehouses, together about StockFactor × its
	// demand; one SKU in fifty gets less than its demand.
	nwWeights := []float64{20, 30, 25, 15, 10}
	for k := range c.SKUs {
		nw := 1 + pick(rng, nwWeights, 100)
		whs := rng.Perm(len(p.Warehouses))[:nw]
		slices.Sort(whs)
		f := c.StockFactor * (0.7 + rng.Float64()*0.6)
		if rng.Float64() < 0.02 {
			f = 0.7
		}
		total := int(math.Ceil(float64(demand[k])*f)) + 1
		shares := make([]float64, nw)
		var st float64
		for i := range shares {
			shares[i] = 0.3 + rng.Float64()
			if c.Scarce {
				shares[i] = 0.05 + rng.Float64()*rng.Float64()
			}
			st += shares[i]
		}
		if c.Scarce {
			// Exactly the demand, the remainder of the rounding to the
			// first warehouse.
			left := demand[k]
			qs := make([]int, nw)
			for i := range qs {
				qs[i] = int(float64(demand[k]) * shares[i] / st)
				left -= qs[i]
			}
			qs[0] += left
			for i, w := range whs {
				if qs[i] > 0 {
					p.Stock = append(p.Stock, Stock{Warehouse: p.Warehouses[w].Code, SKU: p.SKUs[k].Code, Qty: qs[i]})
				}
			}
			continue
		}
		for i, w := range whs {
			q := int(math.Ceil(float64(total) * shares[i] / st))
			p.Stock = append(p.Stock, Stock{Warehouse: p.Warehouses[w].Code, SKU: p.SKUs[k].Code, Qty: q})
		}
	}
}

// pick draws an index with probability proportional to its weight.
func pick(rng *rand.Rand, weights []float64, total float64) int {
	x := rng.Float64() * total
	for i, w := range weights {
		if x -= w; x < 0 {
			return i
		}
	}
	return len(weights) - 1
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}
