package allocate

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"strconv"
	"sync"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/plan"
)

// The planning configuration is a plan.Problem document holding only the
// network a tenant buys: zones, carriers (coverage, limits, rate tables,
// cut-offs) and penalties. Warehouses, SKUs, stock and orders come from
// storage when orders are allocated.

// maxConfigBytes bounds a stored configuration.
const maxConfigBytes = 1 << 20

// configCache keeps decoded configurations: strict decoding costs more
// than planning an order. Entries are keyed by the body's hash and the
// warehouses, and never modified (problem copies before filling in).
var configCache struct {
	sync.Mutex
	m map[string]*plan.Problem
}

// decodeConfig parses a configuration strictly (unknown fields are errors
// naming their JSON path) and checks it against the warehouses.
func decodeConfig(body []byte, whs []*yuncang.Warehouse) (*plan.Problem, error) {
	h := sha256.New()
	h.Write(body)
	for _, w := range whs {
		fmt.Fprintf(h, "|%s:%s:%s", w.Code, w.ProvinceCode, w.CityCode)
	}
	key := string(h.Sum(nil))
	configCache.Lock()
	p := configCache.m[key]
	configCache.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := decodeConfigUncached(body, whs)
	if err != nil {
		return nil, err
	}
	configCache.Lock()
	if configCache.m == nil || len(configCache.m) > 256 {
		configCache.m = map[string]*plan.Problem{}
	}
	configCache.m[key] = p
	configCache.Unlock()
	return p, nil
}

func decodeConfigUncached(body []byte, whs []*yuncang.Warehouse) (*plan.Problem, error) {
	p, err := plan.Decode(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	switch {
	case len(p.Warehouses) > 0:
		return nil, yuncang.Invalid("warehouses", "come from the warehouse catalogue, not the planning configuration")
	case len(p.SKUs) > 0:
		return nil, yuncang.Invalid("skus", "come from the SKU catalogue, not the planning configuration")
	case len(p.Stock) > 0:
		return nil, yuncang.Invalid("stock", "comes from the stock ledger, not the planning configuration")
	case len(p.Orders) > 0:
		return nil, yuncang.Invalid("orders", "come from the order book, not the planning configuration")
	case len(p.Carriers) == 0:
		return nil, yuncang.Invalid("carriers", "at least one carrier is required")
	}
	p.Now = ""
	p.Warehouses = planWarehouses(whs)
	if err := plan.Validate(p); err != nil {
		return nil, err
	}
	return p, nil
}

// planWarehouses lists the warehouses the planner can ship from: those in
// one of the mainland provinces it knows.
func planWarehouses(whs []*yuncang.Warehouse) []plan.Warehouse {
	out := make([]plan.Warehouse, 0, len(whs))
	for _, w := range whs {
		if !mainland(w.ProvinceCode) {
			continue
		}
		out = append(out, plan.Warehouse{Code: w.Code, Name: w.Name, Province: w.ProvinceCode, City: w.CityCode})
	}
	return out
}

// mainland reports whether a province code is one of the 31 the planner knows.
func mainland(code string) bool {
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 2 {
		return false
	}
	switch {
	case n >= 11 && n <= 15, n >= 21 && n <= 23, n >= 31 && n <= 37, n >= 41 && n <= 46, n >= 50 && n <= 54, n >= 61 && n <= 65:
		return true
	}
	return false
}
