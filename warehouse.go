package yuncang

import (
	"context"
	"time"
)

// Warehouse is a physical site of the cloud warehouse. Its location is given
// as GB/T 2260 division codes so that planning can compute distances and
// carrier zones.
type Warehouse struct {
	ID           int64
	Code         string
	Name         string
	ProvinceCode string // 2 digits, e.g. "33" for 浙江省
	CityCode     string // 4 digits, e.g. "3307" for 金华市
	DistrictCode string // 6 digits, e.g. "330782" for 义乌市
	CreatedAt    time.Time
}

// Validate checks a warehouse before it is created. The codes must nest:
// the district code starts with the city code, which starts with the province code.
func (w *Warehouse) Validate() error {
	var p Problems
	p.Check(validCode("code", w.Code))
	if w.Name == "" {
		p.Add("name", "is required")
	}
	if !digits(w.ProvinceCode, 2) {
		p.Add("province_code", "must be 2 digits (GB/T 2260)")
	}
	if !digits(w.CityCode, 4) || w.CityCode[:2] != w.ProvinceCode {
		p.Add("city_code", "must be 4 digits starting with the province code")
	}
	if !digits(w.DistrictCode, 6) || w.DistrictCode[:4] != w.CityCode {
		p.Add("district_code", "must be 6 digits starting with the city code")
	}
	return p.Err()
}

// WarehouseService stores warehouses. Warehouses belong to the platform, not
// to a tenant: merchants share them.
type WarehouseService interface {
	// CreateWarehouse stores a warehouse with its audit event
	// (EventWarehouseCreate), in one transaction; the event gains the
	// target "warehouse:N".
	CreateWarehouse(ctx context.Context, w *Warehouse, ev *Event) error
	WarehouseByCode(ctx context.Context, code string) (*Warehouse, error)
	Warehouses(ctx context.Context) ([]*Warehouse, error)
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
