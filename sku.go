package yuncang

import (
	"context"
	"time"
)

// Temperature classes. Parcels never mix classes.
const (
	TempAmbient = "ambient"
	TempChilled = "chilled"
	TempFrozen  = "frozen"
)

// SKU is a stock-keeping unit owned by one tenant.
type SKU struct {
	ID        int64
	TenantID  int64
	Code      string // the merchant's SKU code, unique per tenant
	Barcode   string // EAN/UPC or internal barcode scanned at the pack station
	Name      string
	WeightG   int // grams per unit
	VolumeCM3 int // cubic centimetres per unit
	TempClass string
	CreatedAt time.Time
}

// Validate checks an SKU before it is created.
func (s *SKU) Validate() error {
	var p Problems
	p.Check(validCode("code", s.Code))
	if s.Barcode == "" {
		p.Add("barcode", "is required")
	} else if len(s.Barcode) > 64 {
		p.Add("barcode", "is longer than 64 characters")
	}
	if s.Name == "" {
		p.Add("name", "is required")
	} else if len(s.Name) > 200 {
		p.Add("name", "is longer than 200 bytes")
	}
	if s.WeightG <= 0 || s.WeightG > 1_000_000 {
		p.Add("weight_g", "must be between 1 and 1000000")
	}
	if s.VolumeCM3 <= 0 || s.VolumeCM3 > 10_000_000 {
		p.Add("volume_cm3", "must be between 1 and 10000000")
	}
	switch s.TempClass {
	case TempAmbient, TempChilled, TempFrozen:
	case "":
		s.TempClass = TempAmbient
	default:
		p.Add("temp_class", "must be one of ambient, chilled, frozen")
	}
	return p.Err()
}

// Stock is the quantity of one tenant's SKU in one warehouse.
type Stock struct {
	TenantID      int64
	WarehouseID   int64
	WarehouseCode string
	SKUID         int64
	SKUCode       string
	OnHand        int
	Reserved      int
}

// Available is what can still be promised to new orders.
func (s *Stock) Available() int { return s.OnHand - s.Reserved }

// SKUService stores SKUs and their stock. Every call is tenant-scoped.
type SKUService interface {
	// CreateSKU stores an SKU with its audit event (EventSKUCreate), in one
	// transaction; the event gains the target "sku:N".
	CreateSKU(ctx context.Context, s *SKU, ev *Event) error
	SKUs(ctx context.Context, tenantID int64) ([]*SKU, error)
	// SetStock sets the on-hand quantity of a tenant's SKU in a warehouse,
	// with its audit event (EventStockSet) in the same transaction; the
	// event gains the targets "sku:N" and "warehouse:N" and, after its
	// detail, the quantity before and after.
	SetStock(ctx context.Context, tenantID int64, warehouseCode, skuCode string, onHand int, ev *Event) error
	Stock(ctx context.Context, tenantID int64) ([]*Stock, error)
}
