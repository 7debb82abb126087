package yuncang

import (
	"context"
	"time"
)

// Shipment statuses. A shipment is one parcel of an order under one waybill.
const (
	ShipmentCreated   = "created"    // waybill allocated, label printable
	ShipmentPickedUp  = "picked_up"  // handed to the carrier
	ShipmentInTransit = "in_transit" // moving in the carrier's network
	ShipmentDelivered = "delivered"  // the binding's release clock starts
	ShipmentFailed    = "failed"     // delivery failed (refused, returned)
	ShipmentVoided    = "voided"     // waybill voided; never printed again
)

// shipmentMoves are the tracking transitions carriers may report. Repeats
// of in_transit are allowed (a parcel passes several hubs); delivered and
// voided are final.
var shipmentMoves = map[string][]string{
	ShipmentCreated:   {ShipmentPickedUp, ShipmentInTransit},
	ShipmentPickedUp:  {ShipmentInTransit, ShipmentDelivered, ShipmentFailed},
	ShipmentInTransit: {ShipmentInTransit, ShipmentDelivered, ShipmentFailed},
	ShipmentFailed:    {ShipmentInTransit, ShipmentDelivered},
}

// TrackingStatuses are the statuses a carrier's tracking event may carry.
var TrackingStatuses = []string{ShipmentPickedUp, ShipmentInTransit, ShipmentDelivered, ShipmentFailed}

// CanMove reports whether a tracking event may move a shipment from one
// status to another.
func CanMove(from, to string) bool { return contains(shipmentMoves[from], to) }

// Reprint reasons: there is no free-form reason, so nothing personal is
// written into the audit log through it.
const (
	ReprintDamaged    = "damaged"     // torn, wet or smudged
	ReprintPrinterJam = "printer_jam" // the first print failed
	ReprintLost       = "lost"        // fell off before pickup
	ReprintRelabel    = "relabel"     // parcel repacked
)

// ReprintReasons lists the reprint reasons.
var ReprintReasons = []string{ReprintDamaged, ReprintPrinterJam, ReprintLost, ReprintRelabel}

// Limits on shipment input.
const (
	MaxParcelWeightG = 1_000_000
	MaxLabelBatch    = 1000
)

// Sender is who a parcel comes from, as printed (masked by the label
// renderer) on the label: usually the merchant's shop and return address.
type Sender struct {
	Name    string
	Phone   string
	Address string
}

// Validate checks a sender's own fields.
func (s *Sender) Validate() error {
	var p Problems
	if s.Name == "" || len(s.Name) > 200 {
		p.Add("sender.name", "is required, at most 200 bytes")
	}
	if s.Phone == "" || len(s.Phone) > 40 {
		p.Add("sender.phone", "is required")
	}
	if s.Address == "" || len(s.Address) > 400 {
		p.Add("sender.address", "is required, at most 400 bytes")
	}
	return p.Err()
}

// IsZero reports whether no field of the sender is given.
func (s *Sender) IsZero() bool { return s.Name == "" && s.Phone == "" && s.Address == "" }

// SenderAddress is the sender a merchant ships with from one warehouse,
// used when a shipment request names none.
type SenderAddress struct {
	TenantID    int64
	WarehouseID int64
	Sender      Sender
	UpdatedAt   time.Time
	UpdatedBy   int64
}

// ShipmentInput asks for a parcel to be shipped from a warehouse with a
// carrier. Only a parcel the warehouse flow has allocated to this
// warehouse, picked, packed and weighed gets a shipment: the order, the
// carrier and the weight are the parcel's own, so nobody can bind a
// recipient's phone to a waybill for an order the warehouse never handled.
type ShipmentInput struct {
	TenantID    int64
	ParcelID    int64
	OrderID     int64 // the parcel's order; filled in by storage
	WarehouseID int64
	CarrierCode string
	WeightG     int
	Sender      Sender
	// Event, if set, is appended to the audit log in the transaction that
	// binds the recipient's phone to the shipment.
	Event *Event
}

// Validate checks the input's own fields.
func (in *ShipmentInput) Validate() error {
	var p Problems
	if in.ParcelID <= 0 {
		p.Add("parcel_id", "is required")
	}
	if in.CarrierCode == "" {
		p.Add("carrier", "is required")
	}
	if in.WeightG < 0 || in.WeightG > MaxParcelWeightG {
		p.Add("weight_g", "must be between 1 and %d", MaxParcelWeightG)
	}
	p.Check(in.Sender.Validate())
	return p.Err()
}

// Shipment is a parcel as callers see it: masked.
type Shipment struct {
	ID              int64
	TenantID        int64
	OrderID         int64
	MerchantOrderID string
	WarehouseID     int64
	CarrierID       int64
	CarrierCode     string
	Waybill         string
	ParcelNo        int // 1, 2, … within the order
	WeightG         int
	Status          string
	Recipient       MaskedRecipient
	Destination     Region
	HasVirtual      bool // a virtual number is bound to the recipient
	Prints          int  // times the label was printed (first print included)
	ManifestID      int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
	DeliveredAt     time.Time
}

// Printable reports why the shipment's label cannot be printed ("" if it can).
func (s *Shipment) Printable() string {
	switch s.Status {
	case ShipmentVoided:
		return "the waybill is voided"
	case ShipmentDelivered, ShipmentFailed:
		return "the parcel has left the warehouse"
	}
	if s.Recipient.Name == Erased || s.Recipient.Address == Erased {
		return "the recipient's data was erased (a label needs a recipient: void the waybill)"
	}
	return ""
}

// LabelPrint asks to print the labels of shipments in one warehouse.
type LabelPrint struct {
	WarehouseID int64
	ShipmentIDs []int64
	// Reason is required when any label was printed before (a reprint).
	Reason string
}

// LabelData is what a label shows for one shipment, read and counted in
// the print's transaction. Sender is plaintext (the renderer masks it);
// the recipient is masked; VirtualPhone is "main转ext" or "".
type LabelData struct {
	Shipment     *Shipment
	CarrierName  string
	Sender       Sender
	VirtualPhone string
	Remarks      string // masked remarks of the order
	Reprint      bool
}

// Resolution is a virtual number resolved for a carrier.
type Resolution struct {
	ShipmentID int64
	Waybill    string
	Phone      string // the recipient's real phone: plaintext, shown once
	ValidUntil time.Time
}

// Manifest is a carrier handover: the parcels one carrier picks up from a
// warehouse, with the recipients encrypted to the carrier's public key.
type Manifest struct {
	ID          int64
	CarrierID   int64
	WarehouseID int64
	Parcels     int
	Waybills    []string
	// Sealed is the age-encrypted manifest (JSON lines, one parcel each);
	// set only when one manifest is created or read. The store keeps
	// each parcel's entry sealed with its order's key instead.
	Sealed    []byte
	CreatedAt time.Time
}

// ManifestEntry is one parcel in a manifest's plaintext, which exists only
// in memory between decryption from the vault and encryption to the carrier.
type ManifestEntry struct {
	Waybill      string `json:"waybill"`
	OrderRef     string `json:"order_ref"`
	WeightG      int    `json:"weight_g"`
	Name         string `json:"name"`
	Phone        string `json:"phone"` // the virtual number when bound, else the real one
	Address      string `json:"address"`
	DistrictCode string `json:"district_code"`
}

// TrackingEvent is a carrier's report about a parcel.
type TrackingEvent struct {
	EventID string // the carrier's id; a repeat is recognised and ignored
	Waybill string
	Status  string
	At      time.Time
	Note    string // free text from the carrier (masked before it is stored)
}

// ShipmentService stores carriers, waybill numbers, shipments, virtual
// numbers, manifests and tracking. Every method that shows or hands over
// recipient data takes the audit event recording it and appends it in the
// same transaction (fail closed); refusals that must be on record (a
// foreign or expired resolve, a reprint over the limit) are appended and
// committed before the refusal is returned.
type ShipmentService interface {
	// CreateCarrier stores a carrier and its webhook secret (sealed).
	CreateCarrier(ctx context.Context, c *Carrier, webhookSecret []byte) error
	CarrierByCode(ctx context.Context, code string) (*Carrier, error)
	// CarrierByUser returns the carrier a carrier account is linked to.
	CarrierByUser(ctx context.Context, userID int64) (*Carrier, error)
	Carriers(ctx context.Context) ([]*Carrier, error)
	// LinkCarrierAccount links a carrier-role account to a carrier.
	LinkCarrierAccount(ctx context.Context, carrierID, userID int64) error
	// CarrierWebhookSecret opens the carrier's tracking webhook secret.
	CarrierWebhookSecret(ctx context.Context, carrierID int64) ([]byte, error)

	// AddWaybillSegment stores a number range; ranges of one carrier must
	// not overlap.
	AddWaybillSegment(ctx context.Context, s *WaybillSegment) error
	WaybillSegments(ctx context.Context, carrierID int64) ([]*WaybillSegment, error)
	// AllocateWaybills takes the next n numbers of the carrier, unassigned
	// (pre-printed stock): never reused, no gaps.
	AllocateWaybills(ctx context.Context, carrierID int64, n int) ([]string, error)
	// AddVirtualNumbers adds main numbers to the virtual number pool.
	AddVirtualNumbers(ctx context.Context, numbers []string) (int, error)
	// LabelTokenKey is the key label QR tokens are signed with.
	LabelTokenKey(ctx context.Context) ([]byte, error)

	// CreateShipment allocates a waybill for one weighed parcel in its own
	// warehouse (one live shipment per parcel), binds a virtual number to
	// the recipient if the pool has one, and stores it.
	CreateShipment(ctx context.Context, in *ShipmentInput) (*Shipment, error)
	Shipment(ctx context.Context, warehouseID, id int64) (*Shipment, error)
	// VoidShipment voids the waybill and releases the binding at once: the
	// label can never be printed again and the number is never reissued.
	VoidShipment(ctx context.Context, warehouseID, id int64, reason string, ev *Event) (*Shipment, error)
	// InLabelPrintTx runs one label print's reads, counts and audit records
	// in one transaction (the printing service decides what may print).
	InLabelPrintTx(ctx context.Context, fn func(tx LabelPrintTx) error) error

	// ResolveVirtualNumber maps a virtual number and extension to the real
	// phone for the carrier that owns the binding, while it is valid.
	ResolveVirtualNumber(ctx context.Context, carrierID int64, main, ext string, ev *Event) (*Resolution, error)
	// ReleaseExpiredBindings erases the phones of bindings past validity.
	ReleaseExpiredBindings(ctx context.Context) (int, error)

	// CreateManifest hands the carrier exactly the parcels named by
	// waybill (printed, weighed, not yet handed over, of this carrier and
	// warehouse) or none; seal encrypts the plaintext to the carrier.
	CreateManifest(ctx context.Context, warehouseID, carrierID int64, waybills []string, seal func([]byte) ([]byte, error), ev *Event) (*Manifest, error)
	Manifests(ctx context.Context, carrierID int64) ([]*Manifest, error)
	// Manifest returns one manifest encrypted with seal (to the carrier).
	Manifest(ctx context.Context, carrierID, id int64, seal func([]byte) ([]byte, error), ev *Event) (*Manifest, error)

	// ApplyTrackingEvent moves the carrier's shipment along; a repeated
	// event id is reported as duplicate and changes nothing.
	ApplyTrackingEvent(ctx context.Context, carrierID int64, te *TrackingEvent) (s *Shipment, duplicate bool, err error)
}
