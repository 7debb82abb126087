package yuncang

import (
	"context"
	"time"
)

// InventoryService runs the warehouse floor: locations, inbound (ASNs,
// receiving, putaway), the stock ledger and cycle counts, reservations and
// planning, waves, picking, packing, shipping and logistics analytics.
//
// Every call is tenant-scoped and, where it acts in a warehouse, names the
// warehouse: there is no call that reaches another merchant's stock or
// orders. The acting user is taken from the context (ActorFromContext) and
// recorded with every stock movement and status change; no call stores,
// logs or returns recipient data.
type InventoryService interface {
	// CreateLocations adds storage locations to a warehouse. The receiving
	// dock (RECV), the pack station (PACK) and the unlocated bucket exist in
	// every warehouse already.
	CreateLocations(ctx context.Context, warehouseID int64, ls []*Location) error
	Locations(ctx context.Context, warehouseID int64) ([]*Location, error)
	// SetLotTracking makes receipts of the SKU name a lot and expiry date and
	// picking take the earliest expiry first.
	SetLotTracking(ctx context.Context, tenantID int64, skuCode string, tracked bool) error

	CreateASN(ctx context.Context, a *ASN) error
	ASN(ctx context.Context, tenantID, id int64) (*ASN, error)
	ASNs(ctx context.Context, tenantID, warehouseID int64) ([]*ASN, error)
	// Receive books goods arriving against an open ASN into the warehouse's
	// receiving dock: over- and short-deliveries are recorded against the
	// expected quantities, damaged units are recorded and not stocked.
	Receive(ctx context.Context, tenantID, asnID int64, lines []ReceiptLine) (*ASN, error)
	// CloseASN ends receiving; whatever is still missing is short.
	CloseASN(ctx context.Context, tenantID, asnID int64) (*ASN, error)
	// Move moves units between two locations of a warehouse (putaway from
	// the dock to a bin, or bin to bin). Units allocated to a wave stay put.
	Move(ctx context.Context, tenantID, warehouseID int64, m Transfer) error

	LocationStock(ctx context.Context, tenantID, warehouseID int64) ([]*LocationStock, error)
	Ledger(ctx context.Context, f LedgerFilter) ([]*StockMove, error)
	// CheckBooks recomputes every balance of the tenant from the ledger and
	// returns the differences; an empty result means the books balance.
	CheckBooks(ctx context.Context, tenantID int64) ([]string, error)
	// CycleCount records counted quantities for the given locations and
	// books the differences as adjustments; anything in a counted location
	// that is not in the count is counted as zero.
	CycleCount(ctx context.Context, tenantID, warehouseID int64, c *CycleCount) error

	// StorePlanningConfig stores the tenant's carriers, rates, coverage,
	// zones and penalties (the plan package's JSON, see docs/plan.md) as
	// the allocate service validated them; PlanningConfig reads it back
	// (Default and no body when the tenant has none).
	StorePlanningConfig(ctx context.Context, tenantID int64, body []byte) error
	PlanningConfig(ctx context.Context, tenantID int64) (*PlanningConfig, error)

	// TransitionOrder moves an order to a new status (pay, cancel), checked
	// against the status machine and recorded; cancelling releases its
	// reservations.
	TransitionOrder(ctx context.Context, tenantID, orderID int64, to, note string) (*OrderState, error)
	// Allocation (planning orders against the stock left and reserving
	// it, atomically per order) is the allocate service's, over
	// AllocationCandidates, FreeStock and InAllocationTx.
	AllocationCandidates(ctx context.Context, tenantID int64, ids []int64) ([]*AllocationCandidate, error)
	FreeStock(ctx context.Context, tenantID int64) ([]FreeStock, error)
	InAllocationTx(ctx context.Context, fn func(tx AllocationTx) error) error
	OrderState(ctx context.Context, tenantID, orderID int64) (*OrderState, error)

	// InWaveTx runs one wave's release in one transaction (the fulfil
	// service chooses the carrier, parcels and pick locations).
	InWaveTx(ctx context.Context, fn func(tx WaveTx) error) error
	Wave(ctx context.Context, tenantID, warehouseID, id int64) (*Wave, error)
	Waves(ctx context.Context, tenantID, warehouseID int64) ([]*Wave, error)
	// ConfirmPick confirms one pick-list line: the units move from their
	// bin to the pack station.
	ConfirmPick(ctx context.Context, tenantID, warehouseID, waveID int64, p PickConfirm) (*Wave, error)
	// PackParcel verifies the scanned barcodes against the parcel's lines:
	// a wrong item or a wrong count is refused and nothing changes.
	PackParcel(ctx context.Context, tenantID, warehouseID, parcelID int64, barcodes []string) (*Parcel, error)
	// WeighParcel checks the packed parcel's weight against what its goods
	// should weigh.
	WeighParcel(ctx context.Context, tenantID, warehouseID, parcelID int64, grossG, tareG int) (*Parcel, error)
	ParcelShipping
	Parcel(ctx context.Context, tenantID, parcelID int64) (*Parcel, error)

	// LogisticsStats aggregates shipped parcels: no personal data, only
	// merchants, warehouses, carriers, provinces, days and money.
	LogisticsStats(ctx context.Context, f StatsFilter) ([]*StatsRow, error)
}

// ParcelShipping is the hook the waybill and shipment code uses: it asks for
// a weighed parcel's facts (ShippableParcel: carrier, weight, origin,
// destination region; never the recipient), prints its label, and then
// confirms the shipment with the waybill number (ShipParcel). Tracking
// events that end the journey come back through DeliverParcel. Each call
// validates the parcel's state and records the transition.
type ParcelShipping interface {
	ShippableParcel(ctx context.Context, tenantID, parcelID int64) (*Parcel, error)
	// ShipParcel books the units out of the warehouse (ledger kind "ship")
	// and marks the parcel shipped; only a weighed parcel of a live order
	// ships. Repeating it with the same waybill number is a no-op.
	ShipParcel(ctx context.Context, tenantID, parcelID int64, s ShipInput) (*Parcel, error)
	DeliverParcel(ctx context.Context, tenantID, parcelID int64, at time.Time) (*Parcel, error)
	// ParcelByWaybill finds the parcel shipped with a waybill number (nil if none).
	ParcelByWaybill(ctx context.Context, waybill string) (*Parcel, error)
}

// PlanningConfig is a tenant's planning configuration as stored.
type PlanningConfig struct {
	TenantID  int64
	Body      []byte // JSON in the plan package's format
	UpdatedAt time.Time
	UpdatedBy int64
	Default   bool // no configuration stored: the built-in default applies
}
