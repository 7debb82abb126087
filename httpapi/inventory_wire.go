package httpapi

import (
	"time"

	"github.com/yuncang/yuncang"
)

// Wire types of the warehouse operations endpoints. None carries recipient
// data: orders appear by id, merchant order id and destination region.

// LocationJSON is a location in a warehouse.
type LocationJSON struct {
	Code  string `json:"code"`
	Zone  string `json:"zone"`
	Aisle string `json:"aisle"`
	Bin   string `json:"bin"`
	Kind  string `json:"kind,omitempty"`
	Seq   int    `json:"seq,omitempty"`
}

// LocationsRequest creates storage locations.
type LocationsRequest struct {
	Locations []LocationJSON `json:"locations"`
}

// LotTrackingRequest turns lot and expiry tracking on or off for an SKU.
type LotTrackingRequest struct {
	LotTracked *bool `json:"lot_tracked"`
}

// ASNLineJSON is one SKU of an ASN.
type ASNLineJSON struct {
	SKU      string `json:"sku"`
	Expected int    `json:"expected"`
	Received int    `json:"received"`
	Damaged  int    `json:"damaged"`
	Over     int    `json:"over"`
	Short    int    `json:"short"`
}

// ASNRequest announces goods.
type ASNRequest struct {
	Warehouse  string        `json:"warehouse"`
	Ref        string        `json:"ref"`
	ExpectedAt time.Time     `json:"expected_at,omitzero"`
	Lines      []ASNLineJSON `json:"lines"`
}

// ASNJSON is an ASN with what was received against it.
type ASNJSON struct {
	ID         int64         `json:"id"`
	Warehouse  string        `json:"warehouse"`
	Ref        string        `json:"ref"`
	Status     string        `json:"status"`
	ExpectedAt time.Time     `json:"expected_at,omitzero"`
	Lines      []ASNLineJSON `json:"lines"`
	CreatedAt  time.Time     `json:"created_at"`
	ClosedAt   time.Time     `json:"closed_at,omitzero"`
}

// ReceiptLineJSON is what a receiver counted for one SKU (and lot).
type ReceiptLineJSON struct {
	SKU     string `json:"sku"`
	Qty     int    `json:"qty"`
	Damaged int    `json:"damaged,omitempty"`
	Lot     string `json:"lot,omitempty"`
	Expiry  string `json:"expiry,omitempty"`
}

// ReceiveRequest books goods received against an ASN.
type ReceiveRequest struct {
	Lines []ReceiptLineJSON `json:"lines"`
}

// MoveRequest moves units between locations (putaway: from defaults to RECV).
type MoveRequest struct {
	SKU  string `json:"sku"`
	Lot  string `json:"lot,omitempty"`
	From string `json:"from,omitempty"`
	To   string `json:"to"`
	Qty  int    `json:"qty"`
}

// LocationStockJSON is what lies in one location.
type LocationStockJSON struct {
	Location  string `json:"location"`
	Zone      string `json:"zone"`
	SKU       string `json:"sku"`
	Lot       string `json:"lot,omitempty"`
	Expiry    string `json:"expiry,omitempty"`
	Qty       int    `json:"qty"`
	Allocated int    `json:"allocated"`
}

// StockMoveJSON is one row of the stock ledger.
type StockMoveJSON struct {
	ID        int64     `json:"id"`
	Warehouse string    `json:"warehouse"`
	SKU       string    `json:"sku"`
	Location  string    `json:"location,omitempty"`
	Lot       string    `json:"lot,omitempty"`
	Kind      string    `json:"kind"`
	DOnHand   int       `json:"d_on_hand"`
	DReserved int       `json:"d_reserved"`
	DQty      int       `json:"d_qty"`
	Ref       string    `json:"ref"`
	UserID    int64     `json:"user_id,omitempty"`
	At        time.Time `json:"at"`
}

// BooksJSON is the result of checking the ledger against the balances.
type BooksJSON struct {
	Balanced    bool     `json:"balanced"`
	Differences []string `json:"differences"`
}

// CountLineJSON is one SKU (lot) counted in one location.
type CountLineJSON struct {
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Lot      string `json:"lot,omitempty"`
	Counted  int    `json:"counted"`
	Expected *int   `json:"expected,omitempty"` // in responses only
}

// CountRequest records a cycle count of some locations.
type CountRequest struct {
	Locations []string        `json:"locations"`
	Lines     []CountLineJSON `json:"lines"`
}

// CountJSON is a booked cycle count: expected, counted, and so the adjustments.
type CountJSON struct {
	ID        int64           `json:"id"`
	Lines     []CountLineJSON `json:"lines"`
	CreatedAt time.Time       `json:"created_at"`
}

// PlanningConfigJSON wraps the stored configuration for reading.
type PlanningConfigJSON struct {
	Default   bool      `json:"default"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	Config    any       `json:"config"`
}

// OrderStatusRequest pays or cancels an order, with a reason code.
type OrderStatusRequest struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// AllocateRequest names the orders to allocate; empty means every paid or
// back-ordered order of the tenant (oldest first, at most 500).
type AllocateRequest struct {
	OrderIDs []int64 `json:"order_ids,omitempty"`
}

// ParcelJSON is one box of an order.
type ParcelJSON struct {
	ID           int64           `json:"id"`
	OrderID      int64           `json:"order_id"`
	Warehouse    string          `json:"warehouse"`
	Carrier      string          `json:"carrier"`
	Temp         string          `json:"temp"`
	Status       string          `json:"status"`
	Lines        []OrderLineJSON `json:"lines"`
	WeightG      int             `json:"weight_g"`
	VolumeCM3    int             `json:"volume_cm3"`
	ChargeableG  int             `json:"chargeable_g"`
	CostFen      int64           `json:"cost_fen"`
	Days         int             `json:"days"`
	Explanation  string          `json:"explanation"`
	WaveID       int64           `json:"wave_id,omitempty"`
	WeighedG     int             `json:"weighed_g,omitempty"`
	WaybillNo    string          `json:"waybill_no,omitempty"`
	ProvinceCode string          `json:"province_code"`
	ShippedAt    time.Time       `json:"shipped_at,omitzero"`
	DueAt        time.Time       `json:"due_at,omitzero"`
	DeliveredAt  time.Time       `json:"delivered_at,omitzero"`
}

// PlanJSON is the planner's decision for an order.
type PlanJSON struct {
	Method       string            `json:"method,omitempty"`
	FreightFen   int64             `json:"freight_fen"`
	PenaltyFen   int64             `json:"penalty_fen"`
	CostFen      int64             `json:"cost_fen"`
	Explanation  string            `json:"explanation,omitempty"`
	Alternatives []AlternativeJSON `json:"alternatives,omitempty"`
	Reason       string            `json:"reason,omitempty"`
	Message      string            `json:"message,omitempty"`
	PlannedAt    time.Time         `json:"planned_at,omitzero"`
}

// AlternativeJSON is a plan not taken.
type AlternativeJSON struct {
	Description string `json:"description"`
	CostFen     int64  `json:"cost_fen"`
}

// StatusChangeJSON is one recorded transition.
type StatusChangeJSON struct {
	ParcelID int64     `json:"parcel_id,omitempty"`
	From     string    `json:"from"`
	To       string    `json:"to"`
	At       time.Time `json:"at"`
	UserID   int64     `json:"user_id,omitempty"`
	Note     string    `json:"note,omitempty"`
}

// FulfilmentJSON is an order as the warehouse sees it: no recipient data.
type FulfilmentJSON struct {
	OrderID         int64              `json:"order_id"`
	MerchantOrderID string             `json:"merchant_order_id"`
	Status          string             `json:"status"`
	Province        string             `json:"province"`
	ProvinceCode    string             `json:"province_code"`
	City            string             `json:"city"`
	Plan            *PlanJSON          `json:"plan,omitempty"`
	Parcels         []ParcelJSON       `json:"parcels"`
	History         []StatusChangeJSON `json:"history"`
}

// WaveRequest releases a wave.
type WaveRequest struct {
	Carrier    string `json:"carrier,omitempty"`
	Zone       string `json:"zone,omitempty"`
	MaxParcels int    `json:"max_parcels,omitempty"`
}

// PickLineJSON is one stop on the pick walk.
type PickLineJSON struct {
	Location string  `json:"location"`
	Zone     string  `json:"zone"`
	SKU      string  `json:"sku"`
	Barcode  string  `json:"barcode"`
	Lot      string  `json:"lot,omitempty"`
	Expiry   string  `json:"expiry,omitempty"`
	Qty      int     `json:"qty"`
	Picked   int     `json:"picked"`
	Parcels  []int64 `json:"parcels"`
}

// WaveJSON is a wave with its pick list in walking order.
type WaveJSON struct {
	ID        int64          `json:"id"`
	Warehouse string         `json:"warehouse"`
	Carrier   string         `json:"carrier"`
	Zone      string         `json:"zone,omitempty"`
	Cutoff    string         `json:"cutoff,omitempty"`
	Status    string         `json:"status"`
	Parcels   []int64        `json:"parcels,omitempty"`
	Picks     []PickLineJSON `json:"picks,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
}

// PickRequest confirms one pick-list line picked in full.
type PickRequest struct {
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Lot      string `json:"lot,omitempty"`
	Qty      int    `json:"qty"`
}

// PackRequest carries the barcodes scanned at the pack station, one per unit.
type PackRequest struct {
	Barcodes []string `json:"barcodes"`
}

// WeighRequest carries the scale's reading and the box's weight.
type WeighRequest struct {
	GrossG int `json:"gross_g"`
	TareG  int `json:"tare_g"`
}

// ShipRequest confirms a shipment with the carrier's tracking number.
type ShipRequest struct {
	WaybillNo string `json:"waybill_no"`
}

// DeliveredRequest is a carrier's delivery event.
type DeliveredRequest struct {
	At time.Time `json:"at,omitzero"`
}

// StatsRowJSON is one day × dimension of logistics analytics.
type StatsRowJSON struct {
	Day         string  `json:"day"`
	Key         string  `json:"key,omitempty"`
	Name        string  `json:"name,omitempty"`
	Parcels     int     `json:"parcels"`
	Orders      int     `json:"orders"`
	SplitOrders int     `json:"split_orders"`
	CostFen     int64   `json:"cost_fen"`
	AvgCostFen  int64   `json:"avg_cost_fen"`
	SplitRate   float64 `json:"split_rate"`
	Delivered   int     `json:"delivered"`
	OnTime      int     `json:"on_time"`
	OnTimeRate  float64 `json:"on_time_rate"`
	WeightG     int64   `json:"weight_g"`
}

func toParcelJSON(p *yuncang.Parcel) ParcelJSON {
	out := ParcelJSON{ID: p.ID, OrderID: p.OrderID, Warehouse: p.Warehouse, Carrier: p.Carrier, Temp: p.Temp, Status: p.Status,
		WeightG: p.WeightG, VolumeCM3: p.VolumeCM3, ChargeableG: p.ChargeableG, CostFen: p.CostFen, Days: p.Days, Explanation: p.Explanation,
		WaveID: p.WaveID, WeighedG: p.WeighedG, WaybillNo: p.WaybillNo, ProvinceCode: p.ProvinceCode, ShippedAt: p.ShippedAt, DueAt: p.DueAt,
		DeliveredAt: p.DeliveredAt, Lines: []OrderLineJSON{}}
	for _, l := range p.Lines {
		out.Lines = append(out.Lines, OrderLineJSON{SKU: l.SKUCode, Quantity: l.Quantity})
	}
	return out
}

func toFulfilmentJSON(s *yuncang.OrderState) FulfilmentJSON {
	out := FulfilmentJSON{OrderID: s.OrderID, MerchantOrderID: s.MerchantOrderID, Status: s.Status, Province: s.Destination.Province,
		ProvinceCode: s.Destination.ProvinceCode, City: s.Destination.City, Parcels: []ParcelJSON{}, History: []StatusChangeJSON{}}
	if p := s.Plan; p != nil {
		pj := &PlanJSON{Method: p.Method, FreightFen: p.FreightFen, PenaltyFen: p.PenaltyFen, CostFen: p.CostFen, Explanation: p.Explanation,
			Reason: p.Reason, Message: p.Message, PlannedAt: p.PlannedAt}
		for _, a := range p.Alternatives {
			pj.Alternatives = append(pj.Alternatives, AlternativeJSON{Description: a.Description, CostFen: a.CostFen})
		}
		out.Plan = pj
	}
	for _, p := range s.Parcels {
		out.Parcels = append(out.Parcels, toParcelJSON(p))
	}
	for _, c := range s.History {
		out.History = append(out.History, StatusChangeJSON{ParcelID: c.ParcelID, From: c.From, To: c.To, At: c.At, UserID: c.UserID, Note: c.Note})
	}
	return out
}

func toASNJSON(a *yuncang.ASN) ASNJSON {
	out := ASNJSON{ID: a.ID, Warehouse: a.Warehouse, Ref: a.Ref, Status: a.Status, ExpectedAt: a.ExpectedAt, CreatedAt: a.CreatedAt, ClosedAt: a.ClosedAt, Lines: []ASNLineJSON{}}
	for _, l := range a.Lines {
		out.Lines = append(out.Lines, ASNLineJSON{SKU: l.SKUCode, Expected: l.Expected, Received: l.Received, Damaged: l.Damaged, Over: l.Over(), Short: l.Short()})
	}
	return out
}

func toWaveJSON(w *yuncang.Wave, warehouse string) WaveJSON {
	out := WaveJSON{ID: w.ID, Warehouse: warehouse, Carrier: w.Carrier, Zone: w.Zone, Cutoff: w.Cutoff, Status: w.Status, Parcels: w.ParcelIDs, CreatedAt: w.CreatedAt}
	for _, p := range w.Picks {
		out.Picks = append(out.Picks, PickLineJSON{Location: p.Location, Zone: p.Zone, SKU: p.SKUCode, Barcode: p.Barcode, Lot: p.Lot, Expiry: p.Expiry,
			Qty: p.Qty, Picked: p.Picked, Parcels: p.Parcels})
	}
	return out
}

// StatsJSON is a logistics analytics answer: rows grouped by one dimension.
type StatsJSON struct {
	GroupBy string         `json:"group_by"`
	Rows    []StatsRowJSON `json:"rows"`
}
