package yuncang

import (
	"strconv"
	"time"
)

// Stock movement kinds recorded in the ledger.
const (
	MoveReceive = "receive" // goods in at the dock: on hand +
	MovePutaway = "putaway" // location to location: on hand unchanged
	MoveAdjust  = "adjust"  // warehouse-level set (SetStock): on hand ±
	MoveCount   = "count"   // cycle-count difference: on hand ±
	MoveReserve = "reserve" // an order's allocation: reserved +
	MoveRelease = "release" // a cancelled allocation: reserved −
	MovePick    = "pick"    // bin to pack station: on hand unchanged
	MoveShip    = "ship"    // out of the building: on hand −, reserved −
	MoveOpening = "opening" // balance that predates the ledger
)

// StockMove is one row of the append-only stock ledger. A row changes the
// warehouse balance (DOnHand, DReserved) and/or the quantity at one
// location (DQty); a transfer is two rows with the same Ref.
type StockMove struct {
	ID          int64
	TenantID    int64
	WarehouseID int64
	Warehouse   string
	SKUCode     string
	Location    string // empty for rows that touch no location (reservations)
	Lot         string
	Kind        string
	DOnHand     int
	DReserved   int
	DQty        int
	Ref         string // what caused it: "asn:12", "order:7", "parcel:9", "count:3", "wave:4"
	UserID      int64
	At          time.Time
}

// LedgerFilter selects ledger rows of one tenant, newest first.
type LedgerFilter struct {
	TenantID    int64
	WarehouseID int64 // 0: all
	SKUCode     string
	Ref         string
	AfterID     int64
	Limit       int
}

// LocationStock is what lies in one location: one tenant's SKU and lot.
type LocationStock struct {
	TenantID    int64
	WarehouseID int64
	Location    string
	Zone        string
	SKUCode     string
	Lot         string
	Expiry      string
	Qty         int
	Allocated   int // promised to open picks
}

// CycleCount is a count of some locations: the counted lines in, the
// expected quantities and adjustments out. The expected quantities are read
// inside the transaction, so counters never see them (a blind count).
type CycleCount struct {
	ID        int64
	Locations []string // location codes counted
	Lines     []CountLine
	CreatedAt time.Time
}

// CountLine is one SKU and lot counted in one location.
type CountLine struct {
	Location string
	SKUCode  string
	Lot      string
	Counted  int
	Expected int // filled in by the store
}

// Ref helpers name what caused a movement.
func RefOf(kind string, id int64) string { return kind + ":" + strconv.FormatInt(id, 10) }

func fieldAt(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}
