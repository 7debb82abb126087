package yuncang

import "context"

// PickableStock is free stock in one location, as a wave takes it.
type PickableStock struct {
	Location   Location
	SKUID      int64
	SKUCode    string
	Lot        string
	Expiry     string // YYYY-MM-DD, "" when the SKU is not lot-tracked
	Free       int    // on the shelf and not yet in a wave
	LotTracked bool
}

// WaveTx is one wave's release as storage runs it in a single transaction:
// the fulfil service chooses the carrier, the parcels and where each unit
// is picked from; these calls only read and write rows.
type WaveTx interface {
	// AllocatedParcels lists the warehouse's parcels waiting for a wave,
	// oldest first.
	AllocatedParcels(ctx context.Context, tenantID, warehouseID int64) ([]*Parcel, error)
	// PickableStock lists the free stock of the warehouse's shelves, dock
	// and unlocated bucket (never the pack station).
	PickableStock(ctx context.Context, tenantID, warehouseID int64) ([]*PickableStock, error)
	// AddWave stores an open wave and returns its id.
	AddWave(ctx context.Context, w *Wave) (int64, error)
	// TakeLocationStock sets qty units of a location's free stock aside for
	// a parcel of the wave (its pick task); false when fewer are free.
	TakeLocationStock(ctx context.Context, waveID, parcelID int64, src *PickableStock, qty int) (bool, error)
	// WaveParcel puts a parcel into the wave and records the change on it
	// and its order.
	WaveParcel(ctx context.Context, waveID int64, p *Parcel) error
}
