package allocate

import (
	"sort"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/plan"
)

// index maps the planner's codes back to storage's ids.
type index struct {
	warehouse map[string]int64
	sku       map[string]int64
}

func newIndex(whs []*yuncang.Warehouse, skus []*yuncang.SKU) index {
	ix := index{warehouse: map[string]int64{}, sku: map[string]int64{}}
	for _, w := range whs {
		ix.warehouse[w.Code] = w.ID
	}
	for _, s := range skus {
		ix.sku[s.Code] = s.ID
	}
	return ix
}

// problem turns the configuration, the warehouses, the stock still free
// and the orders into a planning problem. Orders the planner cannot take
// (no mainland destination, no lines) are left out: plannable says which
// went in, in the order given.
func problem(base *plan.Problem, now time.Time, whs []*yuncang.Warehouse, skus []*yuncang.SKU, free []yuncang.FreeStock, orders []*yuncang.AllocationCandidate) (*plan.Problem, map[int64]bool) {
	p := *base
	p.Now = now.In(beijing).Format("15:04")
	p.Warehouses = planWarehouses(whs)
	known := map[string]bool{}
	for _, w := range p.Warehouses {
		known[w.Code] = true
	}
	used := map[string]bool{}
	p.Orders = nil
	plannable := map[int64]bool{}
	for _, o := range orders {
		if !mainland(o.ProvinceCode) || len(o.Lines) == 0 {
			continue
		}
		po := plan.Order{ID: strconv.FormatInt(o.ID, 10), Province: o.ProvinceCode}
		if len(o.CityCode) == 4 && o.CityCode[:2] == o.ProvinceCode {
			po.City = o.CityCode
		}
		for _, l := range o.Lines {
			po.Lines = append(po.Lines, plan.Line{SKU: l.SKUCode, Qty: l.Quantity})
			used[l.SKUCode] = true
		}
		p.Orders = append(p.Orders, po)
		plannable[o.ID] = true
	}
	p.SKUs = nil
	for _, s := range skus {
		if used[s.Code] {
			p.SKUs = append(p.SKUs, plan.SKU{Code: s.Code, WeightG: s.WeightG, VolumeCM3: s.VolumeCM3, Temp: s.TempClass})
		}
	}
	sort.Slice(p.SKUs, func(i, j int) bool { return p.SKUs[i].Code < p.SKUs[j].Code })
	p.Stock = nil
	for _, f := range free {
		if known[f.WarehouseCode] && used[f.SKUCode] && f.Qty > 0 {
			p.Stock = append(p.Stock, plan.Stock{Warehouse: f.WarehouseCode, SKU: f.SKUCode, Qty: f.Qty})
		}
	}
	return &p, plannable
}
