package yuncang

import "time"

// Analytics dimensions.
const (
	DimMerchant  = "merchant"
	DimWarehouse = "warehouse"
	DimCarrier   = "carrier"
	DimProvince  = "province"
)

// StatsFilter selects what logistics analytics aggregate: parcels shipped
// in [From, To), of one tenant (0: every tenant, for platform reports) and
// optionally one warehouse, grouped by day (Beijing time) and one dimension.
type StatsFilter struct {
	TenantID    int64
	WarehouseID int64
	From, To    time.Time
	GroupBy     string // merchant, warehouse, carrier or province; empty: totals per day
}

// StatsRow is one day × dimension value. Rates are over the orders or
// parcels counted in the row; no row carries personal data.
type StatsRow struct {
	Day         string // YYYY-MM-DD, Beijing time
	Key         string // merchant code, warehouse code, carrier code or province code
	Name        string // province name, where known
	Parcels     int
	Orders      int   // distinct orders with a parcel shipped that day
	SplitOrders int   // of those, orders with more than one parcel
	CostFen     int64 // planned freight of the parcels
	Delivered   int
	OnTime      int // delivered by the due date
	AvgCostFen  int64
	SplitRate   float64
	OnTimeRate  float64 // over delivered parcels
	WeightG     int64
}
