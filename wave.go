package yuncang

import "time"

// Wave statuses.
const (
	WaveOpen   = "open"   // picking
	WavePicked = "picked" // every pick-list line confirmed
	WaveDone   = "done"   // every parcel shipped
)

// WaveInput selects what a wave releases.
type WaveInput struct {
	Carrier    string // empty: the carrier with the earliest cut-off among waiting parcels
	Zone       string // empty: any zone; else only parcels pickable entirely from this zone
	MaxParcels int    // 0: 200
}

// Wave is a batch of parcels of one warehouse and carrier picked together.
type Wave struct {
	ID          int64
	TenantID    int64
	WarehouseID int64
	Carrier     string
	Zone        string
	Cutoff      string // the carrier's cut-off, HH:MM, if it has one
	Status      string
	ParcelIDs   []int64
	Picks       []PickLine // in walking order
	CreatedAt   time.Time
}

// PickLine is one stop on the pick walk: take Qty units of an SKU (lot)
// from a location, split between parcels.
type PickLine struct {
	Location string
	Zone     string
	SKUCode  string
	Barcode  string
	Lot      string
	Expiry   string
	Qty      int
	Picked   int
	Parcels  []int64
}

// PickConfirm confirms one pick-list line picked in full.
type PickConfirm struct {
	Location string
	SKUCode  string
	Lot      string
	Qty      int
}
