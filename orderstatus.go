package yuncang

import "time"

// Order statuses beyond created and cancelled (order.go). The warehouse
// moves an order forward; TransitionOrder and the wave, pack and ship calls
// check every step against orderNext and record it.
const (
	OrderPaid      = "paid"      // payment confirmed: may be allocated
	OrderBackorder = "backorder" // paid, but cannot be fulfilled now; retried by allocation
	OrderAllocated = "allocated" // planned into parcels, stock reserved
	OrderPicking   = "picking"   // at least one parcel is in a wave
	OrderPacked    = "packed"    // every parcel is packed and weighed
	OrderShipped   = "shipped"   // every parcel has left
	OrderDelivered = "delivered" // every parcel has arrived
)

// OrderStatuses lists every order status.
var OrderStatuses = []string{OrderCreated, OrderPaid, OrderBackorder, OrderAllocated, OrderPicking, OrderPacked,
	OrderShipped, OrderDelivered, OrderCancelled}

// ValidOrderStatus reports whether s is an order status.
func ValidOrderStatus(s string) bool {
	for _, x := range OrderStatuses {
		if x == s {
			return true
		}
	}
	return false
}

var orderNext = map[string][]string{
	OrderCreated:   {OrderPaid, OrderCancelled},
	OrderPaid:      {OrderAllocated, OrderBackorder, OrderCancelled},
	OrderBackorder: {OrderAllocated, OrderBackorder, OrderCancelled},
	OrderAllocated: {OrderPicking, OrderCancelled},
	OrderPicking:   {OrderPicking, OrderPacked},
	OrderPacked:    {OrderPacked, OrderShipped},
	OrderShipped:   {OrderDelivered},
}

// OrderInFulfilment reports whether an order is on its way to its
// recipient (allocated to delivered, exclusive): its recipient is needed on
// the label, in the carrier's hands and at the door until it is delivered
// (or, before picking, cancelled).
func OrderInFulfilment(status string) bool {
	switch status {
	case OrderAllocated, OrderPicking, OrderPacked, OrderShipped:
		return true
	}
	return false
}

// OrderCanMove reports whether an order may go from one status to another.
// Once picking has started an order can no longer be cancelled here (the
// goods are off the shelf: it becomes a return).
func OrderCanMove(from, to string) bool {
	for _, s := range orderNext[from] {
		if s == to {
			return true
		}
	}
	return false
}

// Parcel statuses.
const (
	ParcelAllocated = "allocated" // planned, stock reserved
	ParcelWaved     = "waved"     // in a wave, pick locations assigned
	ParcelPicked    = "picked"    // every unit at the pack station
	ParcelPacked    = "packed"    // barcodes verified
	ParcelWeighed   = "weighed"   // weight checked: ready to ship
	ParcelShipped   = "shipped"   // handed to the carrier
	ParcelDelivered = "delivered"
	ParcelCancelled = "cancelled"
)

var parcelNext = map[string][]string{
	ParcelAllocated: {ParcelWaved, ParcelCancelled},
	ParcelWaved:     {ParcelPicked},
	ParcelPicked:    {ParcelPacked},
	ParcelPacked:    {ParcelWeighed},
	ParcelWeighed:   {ParcelWeighed, ParcelShipped},
	ParcelShipped:   {ParcelDelivered},
}

// ParcelCanMove reports whether a parcel may go from one status to another.
func ParcelCanMove(from, to string) bool {
	for _, s := range parcelNext[from] {
		if s == to {
			return true
		}
	}
	return false
}

// OrderState is an order's fulfilment as the warehouse sees it: status,
// the plan and its parcels, and the history of transitions. It holds no
// recipient data.
type OrderState struct {
	OrderID         int64
	TenantID        int64
	MerchantOrderID string
	Status          string
	Destination     Region // province, city, district, street: no house number
	Plan            *OrderPlan
	Parcels         []*Parcel
	History         []StatusChange
}

// OrderPlan is the planner's decision for an order, as stored.
type OrderPlan struct {
	Method       string // exact, heuristic
	FreightFen   int64
	PenaltyFen   int64
	CostFen      int64
	Explanation  string
	Alternatives []PlanAlternative
	Reason       string // set when the order could not be fulfilled
	Message      string
	PlannedAt    time.Time
}

// PlanAlternative is a plan considered and not taken.
type PlanAlternative struct {
	Description string
	CostFen     int64
}

// Parcel is one box of an order: units of one temperature class from one
// warehouse, for one carrier.
type Parcel struct {
	ID           int64
	TenantID     int64
	OrderID      int64
	WarehouseID  int64
	Warehouse    string
	Carrier      string
	Temp         string
	Status       string
	Lines        []OrderLine
	WeightG      int // expected: the goods
	VolumeCM3    int
	ChargeableG  int
	CostFen      int64
	Days         int
	Explanation  string
	WaveID       int64
	WeighedG     int // net weight measured at the scale
	WaybillNo    string
	ProvinceCode string // destination province, for carriers and analytics
	CityCode     string
	ShippedAt    time.Time
	DueAt        time.Time // shipped + the carrier's delivery days
	DeliveredAt  time.Time
}

// StatusChange is one recorded transition of an order or one of its parcels.
type StatusChange struct {
	ParcelID int64 // 0 for the order itself
	From, To string
	At       time.Time
	UserID   int64
	Note     string
}

// ShipInput confirms a shipment.
type ShipInput struct {
	WaybillNo string // the carrier's tracking number
}
