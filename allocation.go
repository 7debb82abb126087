package yuncang

import "context"

// AllocationCandidate is an order waiting for stock, as planning needs it:
// its status, destination region and lines, never its recipient.
type AllocationCandidate struct {
	ID           int64
	Status       string
	ProvinceCode string
	CityCode     string
	Lines        []OrderLine
	// Decoy marks a canary order: it answers allocation as a real order
	// would, but never takes stock (the allocate service decides how).
	// Never on the wire.
	Decoy bool
}

// FreeStock is the stock of one SKU in one warehouse that no order has
// reserved yet.
type FreeStock struct {
	WarehouseCode string
	SKUCode       string
	Qty           int
}

// PlannedParcel is one box of an allocated order as storage records it:
// planning decided the warehouse, carrier, lines and cost.
type PlannedParcel struct {
	WarehouseID  int64
	Carrier      string
	Temp         string
	WeightG      int
	VolumeCM3    int
	ChargeableG  int
	CostFen      int64
	Days         int
	Explanation  string
	ProvinceCode string
	CityCode     string
	Lines        []PlannedLine
}

// PlannedLine is a quantity of one SKU (by id) in a planned parcel.
type PlannedLine struct {
	SKUID int64
	Qty   int
}

// AllocationTx is one order's allocation as storage runs it in a single
// transaction: the allocate service decides, these calls only read and
// write rows.
type AllocationTx interface {
	// OrderStatus reads the order's status inside the transaction.
	OrderStatus(ctx context.Context, tenantID, orderID int64) (string, error)
	// MoveOrder sets the order's status from one to another; false when the
	// order is no longer in from.
	MoveOrder(ctx context.Context, tenantID, orderID int64, from, to string) (bool, error)
	// Reserve promises qty free units of a warehouse's SKU to ref; false
	// (and nothing changed) when fewer are free.
	Reserve(ctx context.Context, tenantID, warehouseID, skuID int64, qty int, ref string) (bool, error)
	// AddParcel stores a planned parcel with its lines and returns its id.
	AddParcel(ctx context.Context, tenantID, orderID int64, p *PlannedParcel) (int64, error)
	// StorePlan stores (or replaces) the order's plan.
	StorePlan(ctx context.Context, tenantID, orderID int64, p *OrderPlan) error
	// RecordChange appends to the order's status history.
	RecordChange(ctx context.Context, tenantID, orderID, parcelID int64, from, to, note string) error
}
