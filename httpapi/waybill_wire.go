package httpapi

import (
	"time"

	"github.com/yuncang/yuncang"
)

// CarrierRequest is the body of POST /api/v1/carriers.
type CarrierRequest struct {
	Code              string `json:"code"`
	Name              string `json:"name"`
	CheckDigit        string `json:"check_digit,omitempty"` // none, luhn, mod7, s10, mod11
	PublicKey         string `json:"public_key"`            // age X25519 recipient, age1…
	Account           string `json:"account,omitempty"`     // username of the carrier's machine account
	MaxReprints       int    `json:"max_reprints,omitempty"`
	ResolvePerHour    int    `json:"resolve_per_hour,omitempty"`
	ResolvePerBinding int    `json:"resolve_per_binding,omitempty"`
	BindingDays       int    `json:"binding_days,omitempty"`
}

// CarrierJSON is a carrier's configuration.
type CarrierJSON struct {
	ID                int64     `json:"id"`
	Code              string    `json:"code"`
	Name              string    `json:"name"`
	CheckDigit        string    `json:"check_digit"`
	Linked            bool      `json:"account_linked"`
	PublicKey         string    `json:"public_key"`
	MaxReprints       int       `json:"max_reprints"`
	ResolvePerHour    int       `json:"resolve_per_hour"`
	ResolvePerBinding int       `json:"resolve_per_binding"`
	BindingDays       int       `json:"binding_days"`
	CreatedAt         time.Time `json:"created_at"`
}

// CreatedCarrierJSON carries the webhook signing secret, shown once.
type CreatedCarrierJSON struct {
	CarrierJSON
	WebhookSecret string `json:"webhook_secret"`
}

func toCarrierJSON(c *yuncang.Carrier) CarrierJSON {
	return CarrierJSON{ID: c.ID, Code: c.Code, Name: c.Name, CheckDigit: c.CheckDigit, Linked: c.UserID != 0, PublicKey: c.PublicKey,
		MaxReprints: c.MaxReprints, ResolvePerHour: c.ResolvePerHour, ResolvePerBinding: c.ResolvePerBinding, BindingDays: c.BindingDays,
		CreatedAt: c.CreatedAt}
}

// SegmentRequest is the body of POST /api/v1/carriers/{carrier}/segments:
// a number range the carrier handed out.
type SegmentRequest struct {
	Prefix string `json:"prefix"`
	Width  int    `json:"width"`
	First  int64  `json:"first"`
	Last   int64  `json:"last"`
}

// SegmentJSON is a number range and how far it is used.
type SegmentJSON struct {
	ID        int64  `json:"id"`
	Prefix    string `json:"prefix"`
	Width     int    `json:"width"`
	First     int64  `json:"first"`
	Last      int64  `json:"last"`
	Next      int64  `json:"next"`
	Remaining int64  `json:"remaining"`
}

func toSegmentJSON(s *yuncang.WaybillSegment) SegmentJSON {
	return SegmentJSON{ID: s.ID, Prefix: s.Prefix, Width: s.Width, First: s.First, Last: s.Last, Next: s.Next, Remaining: s.Last - s.Next + 1}
}

// VirtualNumbersRequest adds main numbers to the virtual number pool.
type VirtualNumbersRequest struct {
	Numbers []string `json:"numbers"`
}

// VirtualNumbersJSON says how many were new.
type VirtualNumbersJSON struct {
	Added int `json:"added"`
}

// SenderJSON is who a parcel comes from; the label masks it.
type SenderJSON struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// ShipmentJSON is a parcel as warehouse staff see it: masked, and without
// the virtual number (that is printed on the label only).
type ShipmentJSON struct {
	ID              int64               `json:"id"`
	OrderID         int64               `json:"order_id"`
	MerchantOrderID string              `json:"merchant_order_id"`
	ParcelNo        int                 `json:"parcel_no"`
	Carrier         string              `json:"carrier"`
	Waybill         string              `json:"waybill"`
	WeightG         int                 `json:"weight_g"`
	Status          string              `json:"status"`
	Recipient       MaskedRecipientJSON `json:"recipient"`
	Destination     DestinationJSON     `json:"destination"`
	VirtualNumber   bool                `json:"virtual_number_bound"`
	Prints          int                 `json:"prints"`
	ManifestID      int64               `json:"manifest_id,omitempty"`
	CreatedAt       time.Time           `json:"created_at"`
	DeliveredAt     *time.Time          `json:"delivered_at,omitempty"`
}

// DestinationJSON is where a parcel goes, down to the district.
type DestinationJSON struct {
	Province     string `json:"province"`
	City         string `json:"city"`
	District     string `json:"district"`
	DistrictCode string `json:"district_code"`
}

func toShipmentJSON(s *yuncang.Shipment) ShipmentJSON {
	out := ShipmentJSON{ID: s.ID, OrderID: s.OrderID, MerchantOrderID: s.MerchantOrderID, ParcelNo: s.ParcelNo, Carrier: s.CarrierCode,
		Waybill: s.Waybill, WeightG: s.WeightG, Status: s.Status,
		Recipient:     MaskedRecipientJSON{Name: s.Recipient.Name, Phone: s.Recipient.Phone, Address: s.Recipient.Address},
		Destination:   DestinationJSON{Province: s.Destination.Province, City: s.Destination.City, District: s.Destination.District, DistrictCode: s.Destination.DistrictCode},
		VirtualNumber: s.HasVirtual, Prints: s.Prints, ManifestID: s.ManifestID, CreatedAt: s.CreatedAt}
	if !s.DeliveredAt.IsZero() {
		t := s.DeliveredAt
		out.DeliveredAt = &t
	}
	return out
}

// VoidRequest is the body of a void: why the waybill is given up.
type VoidRequest struct {
	Reason string `json:"reason"`
}

// LabelBatchRequest is the body of POST /api/v1/warehouses/{warehouse}/labels.
type LabelBatchRequest struct {
	ShipmentIDs []int64 `json:"shipment_ids"`
	Format      string  `json:"format"`           // pdf (default), png (a zip of PNGs), zpl
	Size        string  `json:"size"`             // 76x130 (default) or 100x150
	Reason      string  `json:"reason,omitempty"` // required for reprints: damaged, printer_jam, lost, relabel
}

// ManifestRequest is the body of POST /api/v1/warehouses/{warehouse}/manifests.
type ManifestRequest struct {
	Carrier string `json:"carrier"`
	// Waybills are the parcels scanned at the handover: the manifest
	// carries these and nothing else.
	Waybills []string `json:"waybills"`
}

// ManifestJSON is a handover manifest. Age holds the manifest encrypted to
// the carrier's public key (ASCII-armoured age), only on the carrier's
// download; nobody else can read it.
type ManifestJSON struct {
	ID        int64     `json:"id"`
	Carrier   string    `json:"carrier,omitempty"`
	Parcels   int       `json:"parcels"`
	Waybills  []string  `json:"waybills"`
	CreatedAt time.Time `json:"created_at"`
	Age       string    `json:"age,omitempty"`
}

// ResolveRequest is the body of POST /api/v1/carrier/resolve.
type ResolveRequest struct {
	VirtualNumber string `json:"virtual_number"` // 11-digit main number
	Extension     string `json:"extension"`      // 4 digits
}

// ResolveResponse is the real phone behind a virtual number: shown to the
// carrier once per call, every call audited.
type ResolveResponse struct {
	Waybill    string     `json:"waybill"`
	Phone      string     `json:"phone"`
	ValidUntil *time.Time `json:"valid_until,omitempty"` // absent until delivery starts the clock
}

// TrackingEventRequest is the signed body of POST /api/v1/carrier/events.
// The signature is hex HMAC-SHA256 with the carrier's webhook secret over
// timestamp + "." + body, sent in X-Yuncang-Signature, with the Unix
// timestamp in X-Yuncang-Timestamp.
type TrackingEventRequest struct {
	ID      string    `json:"id"`
	Waybill string    `json:"waybill"`
	Status  string    `json:"status"` // picked_up, in_transit, delivered, failed
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
}

// TrackingEventResponse says where the shipment stands now.
type TrackingEventResponse struct {
	Waybill   string `json:"waybill"`
	Status    string `json:"status"`
	Duplicate bool   `json:"duplicate"`
}

func init() {
	for k, v := range map[string]struct {
		req, resp any
		status    string
	}{
		"POST /api/v1/carriers":                                         {CarrierRequest{}, CreatedCarrierJSON{}, "201"},
		"GET /api/v1/carriers":                                          {nil, list[CarrierJSON]{}, "200"},
		"POST /api/v1/carriers/{carrier}/segments":                      {SegmentRequest{}, SegmentJSON{}, "201"},
		"GET /api/v1/carriers/{carrier}/segments":                       {nil, list[SegmentJSON]{}, "200"},
		"POST /api/v1/virtual-numbers":                                  {VirtualNumbersRequest{}, VirtualNumbersJSON{}, "200"},
		"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}":       {nil, ShipmentJSON{}, "200"},
		"POST /api/v1/warehouses/{warehouse}/shipments/{shipment}/void": {VoidRequest{}, ShipmentJSON{}, "200"},
		"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}/label": {nil, nil, "200"},
		"POST /api/v1/warehouses/{warehouse}/labels":                    {LabelBatchRequest{}, nil, "200"},
		"POST /api/v1/warehouses/{warehouse}/manifests":                 {ManifestRequest{}, ManifestJSON{}, "201"},
		"GET /api/v1/carrier/manifests":                                 {nil, list[ManifestJSON]{}, "200"},
		"GET /api/v1/carrier/manifests/{manifest}":                      {nil, ManifestJSON{}, "200"},
		"POST /api/v1/carrier/resolve":                                  {ResolveRequest{}, ResolveResponse{}, "200"},
		"POST /api/v1/carrier/events":                                   {TrackingEventRequest{}, TrackingEventResponse{}, "200"},
	} {
		apiDocs[k] = v
	}
}
