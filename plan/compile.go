package plan

import (
	"fmt"

	"github.com/yuncang/yuncang"
)

// Validate checks a Problem. The error is a *yuncang.Error whose Field is
// the JSON path of the first bad field, e.g. "orders[3].lines[0].sku".
func Validate(p *Problem) error {
	if _, _, err := batchMode(p, Options{}); err != nil {
		return err
	}
	_, err := compile(p)
	return err
}

func bad(format string, args ...any) func(msg string, margs ...any) error {
	field := fmt.Sprintf(format, args...)
	return func(msg string, margs ...any) error { return yuncang.Invalid(field, msg, margs...) }
}

func compile(p *Problem) (*model, error) {
	m := &model{skuIndex: make(map[string]int, len(p.SKUs))}
	nowMin := -1
	if p.Now != "" {
		t, ok := clock(p.Now)
		if !ok {
			return nil, yuncang.Invalid("now", "must be a time of day HH:MM, got %q", p.Now)
		}
		nowMin = t
	}
	if p.Penalties.ExtraParcelFen < 0 || p.Penalties.ExtraParcelFen > maxPriceFen {
		return nil, yuncang.Invalid("penalties.extra_parcel_fen", "must be between 0 and %d", maxPriceFen)
	}
	if p.Penalties.ExtraWarehouseFen < 0 || p.Penalties.ExtraWarehouseFen > maxPriceFen {
		return nil, yuncang.Invalid("penalties.extra_warehouse_fen", "must be between 0 and %d", maxPriceFen)
	}
	m.extraParcel, m.extraWarehouse = p.Penalties.ExtraParcelFen, p.Penalties.ExtraWarehouseFen

	zoneOf, zoneIndex, err := compileZones(p.Zones)
	if err != nil {
		return nil, err
	}
	whIndex, err := m.compileWarehouses(p.Warehouses, zoneOf)
	if err != nil {
		return nil, err
	}
	if err := m.compileSKUs(p.SKUs); err != nil {
		return nil, err
	}
	if err := m.compileStock(p.Stock, whIndex); err != nil {
		return nil, err
	}
	if len(p.Carriers) == 0 {
		return nil, yuncang.Invalid("carriers", "at least one carrier is required")
	}
	m.routes = make([][]route, len(m.whs)*len(provinces)*numTemps)
	carrierIndex := map[string]bool{}
	for i, c := range p.Carriers {
		if err := m.compileCarrier(i, c, carrierIndex, nowMin, zoneOf, zoneIndex); err != nil {
			return nil, err
		}
	}
	if err := m.compileOrders(p.Orders); err != nil {
		return nil, err
	}
	return m, nil
}

// compileWarehouses checks the warehouses and places them; it returns
// their indexes by code.
func (m *model) compileWarehouses(whs []Warehouse, zoneOf []int) (map[string]int, error) {
	provZone := func(field func(string, ...any) error, prov int) error {
		if zoneOf[prov] < 0 {
			return field("province %s (%s) is in no zone", provinces[prov].code, provinces[prov].name)
		}
		return nil
	}
	whIndex := make(map[string]int, len(whs))
	if len(whs) == 0 {
		return nil, yuncang.Invalid("warehouses", "at least one warehouse is required")
	}
	for i, w := range whs {
		if w.Code == "" {
			return nil, bad("warehouses[%d].code", i)("is required")
		}
		if _, dup := whIndex[w.Code]; dup {
			return nil, bad("warehouses[%d].code", i)("duplicate warehouse %q", w.Code)
		}
		prov, ok := provinceIndex[w.Province]
		if !ok {
			return nil, bad("warehouses[%d].province", i)("unknown province code %q (want a 2-digit GB/T 2260 code of a mainland province)", w.Province)
		}
		if err := provZone(bad("warehouses[%d].province", i), prov); err != nil {
			return nil, err
		}
		if w.City != "" && (!isDigits(w.City, 4) || w.City[:2] != w.Province) {
			return nil, bad("warehouses[%d].city", i)("must be 4 digits starting with the province code")
		}
		lat, lon := w.Lat, w.Lon
		if lat == 0 && lon == 0 {
			lat, lon = provinces[prov].lat, provinces[prov].lon
		} else if lat < 15 || lat > 55 || lon < 70 || lon > 140 {
			return nil, bad("warehouses[%d].lat", i)("lat/lon (%.2f, %.2f) is not in China", lat, lon)
		}
		whIndex[w.Code] = i
		m.whs = append(m.whs, whInfo{code: w.Code, prov: prov, lat: lat, lon: lon})
	}

	return whIndex, nil
}

// compileSKUs checks the SKUs and indexes them by code.
func (m *model) compileSKUs(skus []SKU) error {
	for i, s := range skus {
		field := func(name string) func(string, ...any) error { return bad("skus[%d].%s", i, name) }
		if s.Code == "" {
			return field("code")("is required")
		}
		if _, dup := m.skuIndex[s.Code]; dup {
			return field("code")("duplicate SKU %q", s.Code)
		}
		if s.WeightG <= 0 || s.WeightG > maxWeightG {
			return field("weight_g")("must be between 1 and %d", maxWeightG)
		}
		if s.VolumeCM3 <= 0 || s.VolumeCM3 > maxVolumeCM3 {
			return field("volume_cm3")("must be between 1 and %d", maxVolumeCM3)
		}
		t, ok := tempIndex(s.Temp)
		if !ok {
			return field("temp")("must be ambient, chilled or frozen, got %q", s.Temp)
		}
		m.skuIndex[s.Code] = i
		m.skus = append(m.skus, skuInfo{code: s.Code, weightG: s.WeightG, volCM3: s.VolumeCM3, temp: t})
	}

	return nil
}

// compileStock checks the stock rows and fills the warehouse × SKU table.
func (m *model) compileStock(stock []Stock, whIndex map[string]int) error {
	m.stock = make([]int, len(m.skus)*len(m.whs))
	seenStock := make([]bool, len(m.stock))
	for i, s := range stock {
		w, ok := whIndex[s.Warehouse]
		if !ok {
			return bad("stock[%d].warehouse", i)("unknown warehouse %q", s.Warehouse)
		}
		k, ok := m.skuIndex[s.SKU]
		if !ok {
			return bad("stock[%d].sku", i)("unknown SKU %q", s.SKU)
		}
		if s.Qty < 0 || s.Qty > 1_000_000_000 {
			return bad("stock[%d].qty", i)("must be between 0 and 1000000000")
		}
		if seenStock[k*len(m.whs)+w] {
			return bad("stock[%d]", i)("warehouse %q and SKU %q appear twice", s.Warehouse, s.SKU)
		}
		seenStock[k*len(m.whs)+w] = true
		m.stock[k*len(m.whs)+w] = s.Qty
	}

	return nil
}

// compileCarrier checks carrier i and adds its routes from every warehouse
// to every province it covers, per temperature class it carries.
func (m *model) compileCarrier(i int, c Carrier, carrierIndex map[string]bool, nowMin int, zoneOf []int, zoneIndex map[string]int) error {
	field := func(name string) func(string, ...any) error { return bad("carriers[%d].%s", i, name) }
	if c.Code == "" {
		return field("code")("is required")
	}
	if carrierIndex[c.Code] {
		return field("code")("duplicate carrier %q", c.Code)
	}
	carrierIndex[c.Code] = true
	ci := carrierInfo{code: c.Code, maxW: c.MaxWeightG, maxV: c.MaxVolumeCM3, divisor: c.VolumeDivisor, firstG: c.FirstWeightG, stepG: c.StepG}
	if ci.maxW < 0 || ci.maxV < 0 {
		return bad("carriers[%d]", i)("parcel limits must not be negative")
	}
	if ci.divisor != 0 && (ci.divisor < 1000 || ci.divisor > 100_000) {
		return field("volume_divisor")("must be between 1000 and 100000 (cm³ per kg)")
	}
	if ci.firstG < 0 || ci.firstG > maxWeightG {
		return field("first_weight_g")("must be between 0 (default 1000) and %d", maxWeightG)
	}
	if ci.stepG != 0 && (ci.stepG < 100 || ci.stepG > maxWeightG) {
		return field("step_g")("must be between 100 and %d", maxWeightG)
	}
	if ci.maxW == 0 {
		ci.maxW = noLimit
	}
	if ci.maxV == 0 {
		ci.maxV = noLimit
	}
	if ci.divisor == 0 {
		ci.divisor = 6000
	}
	if ci.firstG == 0 {
		ci.firstG = 1000
	}
	if ci.stepG == 0 {
		ci.stepG = 1000
	}
	var covers [len(provinces)]bool
	if len(c.Covers) == 0 {
		for j := range covers {
			covers[j] = true
		}
	}
	for j, code := range c.Covers {
		prov, ok := provinceIndex[code]
		if !ok {
			return bad("carriers[%d].covers[%d]", i, j)("unknown province code %q", code)
		}
		covers[prov] = true
	}
	for j, code := range c.Excludes {
		prov, ok := provinceIndex[code]
		if !ok {
			return bad("carriers[%d].excludes[%d]", i, j)("unknown province code %q", code)
		}
		covers[prov] = false
	}
	var temps [numTemps]bool
	if len(c.Temps) == 0 {
		temps[tempAmbient] = true
	}
	for j, s := range c.Temps {
		t, ok := tempIndex(s)
		if !ok || s == "" {
			return bad("carriers[%d].temps[%d]", i, j)("must be ambient, chilled or frozen, got %q", s)
		}
		temps[t] = true
	}
	late := false
	if c.Cutoff != "" {
		cut, ok := clock(c.Cutoff)
		if !ok {
			return field("cutoff")("must be a time of day HH:MM, got %q", c.Cutoff)
		}
		late = nowMin > cut
	}
	table, err := compileRates(i, c.Rates, zoneIndex)
	if err != nil {
		return err
	}
	nz := len(zoneIndex)
	ci.covers, ci.temps = covers, temps
	m.carriers = append(m.carriers, ci)
	for w, wh := range m.whs {
		fz := zoneOf[wh.prov]
		for prov := range provinces {
			tz := zoneOf[prov]
			if !covers[prov] || tz < 0 {
				continue
			}
			ri := -1
			for _, k := range [][2]int{{fz, tz}, {fz, nz}, {nz, tz}, {nz, nz}} {
				if ri = table[k[0]*(nz+1)+k[1]]; ri >= 0 {
					break
				}
			}
			if ri < 0 {
				continue
			}
			r := c.Rates[ri]
			rt := route{carrier: i, firstFen: r.FirstFen, addFen: r.AdditionalFen, days: r.Days, lateByCut: late}
			if late {
				rt.days++
			}
			for t := range numTemps {
				if temps[t] {
					k := (w*len(provinces)+prov)*numTemps + t
					m.routes[k] = append(m.routes[k], rt)
				}
			}
		}
	}
	return nil
}

// compileRates checks carrier i's rates and returns its rate table:
// table[from*(nz+1)+to] is the index of the rate for that zone pair, with
// index nz standing for "*", or -1.
func compileRates(i int, rates []Rate, zoneIndex map[string]int) ([]int, error) {
	field := func(name string) func(string, ...any) error { return bad("carriers[%d].%s", i, name) }
	if len(rates) == 0 {
		return nil, field("rates")("at least one rate is required")
	}
	// rate[from][to] with index len(zones) standing for "*".
	nz := len(zoneIndex)
	table := make([]int, (nz+1)*(nz+1))
	for j := range table {
		table[j] = -1
	}
	for j, r := range rates {
		rf := func(name string) func(string, ...any) error { return bad("carriers[%d].rates[%d].%s", i, j, name) }
		from, ok := zoneIndex[r.From]
		if r.From == "*" {
			from, ok = nz, true
		}
		if !ok {
			return nil, rf("from")("unknown zone %q", r.From)
		}
		to, ok := zoneIndex[r.To]
		if r.To == "*" {
			to, ok = nz, true
		}
		if !ok {
			return nil, rf("to")("unknown zone %q", r.To)
		}
		if r.FirstFen < 0 || r.FirstFen > maxPriceFen {
			return nil, rf("first_fen")("must be between 0 and %d", maxPriceFen)
		}
		if r.AdditionalFen < 0 || r.AdditionalFen > maxStepFen {
			return nil, rf("additional_fen")("must be between 0 and %d", maxStepFen)
		}
		if r.Days < 0 || r.Days > maxDays {
			return nil, rf("days")("must be between 0 and %d", maxDays)
		}
		if table[from*(nz+1)+to] >= 0 {
			return nil, bad("carriers[%d].rates[%d]", i, j)("zone pair %s → %s appears twice", r.From, r.To)
		}
		table[from*(nz+1)+to] = j
	}
	return table, nil
}

// compileOrders checks the orders and merges repeated SKUs of an order.
func (m *model) compileOrders(orders []Order) error {
	seen := make(map[string]bool, len(orders))
	m.orders = make([]orderInfo, len(orders))
	for i, o := range orders {
		field := func(name string) func(string, ...any) error { return bad("orders[%d].%s", i, name) }
		if o.ID == "" {
			return field("id")("is required")
		}
		if seen[o.ID] {
			return field("id")("duplicate order id %q", o.ID)
		}
		seen[o.ID] = true
		prov, ok := provinceIndex[o.Province]
		if !ok {
			return field("province")("unknown province code %q (want a 2-digit GB/T 2260 code of a mainland province)", o.Province)
		}
		if o.City != "" && (!isDigits(o.City, 4) || o.City[:2] != o.Province) {
			return field("city")("must be 4 digits starting with the province code")
		}
		if o.PromiseDays < 0 || o.PromiseDays > maxDays {
			return field("promise_days")("must be between 0 (no promise) and %d", maxDays)
		}
		if len(o.Lines) == 0 {
			return field("lines")("at least one line is required")
		}
		if len(o.Lines) > yuncang.MaxOrderLines {
			return field("lines")("more than %d lines", yuncang.MaxOrderLines)
		}
		oi := orderInfo{id: o.ID, prov: prov, promise: o.PromiseDays, lines: make([]lineInfo, 0, len(o.Lines))}
	lines:
		for j, l := range o.Lines {
			k, ok := m.skuIndex[l.SKU]
			if !ok {
				return bad("orders[%d].lines[%d].sku", i, j)("unknown SKU %q", l.SKU)
			}
			if l.Qty <= 0 || l.Qty > maxQty {
				return bad("orders[%d].lines[%d].qty", i, j)("must be between 1 and %d", maxQty)
			}
			for x := range oi.lines {
				if oi.lines[x].sku == k {
					if oi.lines[x].qty += l.Qty; oi.lines[x].qty > maxQty {
						return bad("orders[%d].lines[%d].qty", i, j)("lines of SKU %q add up to more than %d", l.SKU, maxQty)
					}
					continue lines
				}
			}
			oi.lines = append(oi.lines, lineInfo{sku: k, qty: l.Qty})
		}
		m.orders[i] = oi
	}
	return nil
}

// compileZones returns each province's zone index (-1 for none) and the
// zone codes' indexes. Without zones, the geographic regions serve.
func compileZones(zones []Zone) ([]int, map[string]int, error) {
	zoneOf := make([]int, len(provinces))
	index := map[string]int{}
	if len(zones) == 0 {
		for i, p := range provinces {
			z, ok := index[p.region]
			if !ok {
				z = len(index)
				index[p.region] = z
			}
			zoneOf[i] = z
		}
		return zoneOf, index, nil
	}
	for i := range zoneOf {
		zoneOf[i] = -1
	}
	for i, z := range zones {
		if z.Code == "" || z.Code == "*" {
			return nil, nil, bad("zones[%d].code", i)("is required and must not be \"*\"")
		}
		if _, dup := index[z.Code]; dup {
			return nil, nil, bad("zones[%d].code", i)("duplicate zone %q", z.Code)
		}
		index[z.Code] = i
		for j, code := range z.Provinces {
			prov, ok := provinceIndex[code]
			if !ok {
				return nil, nil, bad("zones[%d].provinces[%d]", i, j)("unknown province code %q", code)
			}
			if zoneOf[prov] >= 0 {
				return nil, nil, bad("zones[%d].provinces[%d]", i, j)("province %s is already in zone %q", code, zones[zoneOf[prov]].Code)
			}
			zoneOf[prov] = i
		}
	}
	return zoneOf, index, nil
}
