package fulfil

import (
	"context"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// SenderStore keeps each merchant's sender per warehouse.
type SenderStore interface {
	StoreSenderAddress(ctx context.Context, a *yuncang.SenderAddress) error
	// SenderAddress returns nil when the merchant stored none for the warehouse.
	SenderAddress(ctx context.Context, tenantID, warehouseID int64) (*yuncang.SenderAddress, error)
}

// Senders decides and keeps the sender a shipment carries.
type Senders struct {
	Store SenderStore
}

// checkSender validates a sender: its own fields, a phone the carriers can
// call and an address this server can parse.
func checkSender(s *yuncang.Sender) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if _, err := pii.ParsePhone(s.Phone); err != nil {
		return yuncang.Invalid("sender.phone", "is not a valid phone number")
	}
	if _, err := pii.ParseAddress(s.Address); err != nil {
		return yuncang.Invalid("sender.address", "is not an address this server can parse")
	}
	return nil
}

// Set validates and stores the merchant's sender for a warehouse.
func (ss *Senders) Set(ctx context.Context, a *yuncang.SenderAddress) error {
	if err := checkSender(&a.Sender); err != nil {
		return err
	}
	return ss.Store.StoreSenderAddress(ctx, a)
}

// Get returns the merchant's sender for a warehouse, nil if none.
func (ss *Senders) Get(ctx context.Context, tenantID, warehouseID int64) (*yuncang.SenderAddress, error) {
	return ss.Store.SenderAddress(ctx, tenantID, warehouseID)
}

// ForShipment returns the sender a shipment carries: the one given, checked,
// or, when none is given, the one the merchant stored for the warehouse.
// With neither, the request is refused naming the sender.
func (ss *Senders) ForShipment(ctx context.Context, tenantID, warehouseID int64, given yuncang.Sender) (yuncang.Sender, error) {
	if !given.IsZero() {
		return given, checkSender(&given)
	}
	a, err := ss.Store.SenderAddress(ctx, tenantID, warehouseID)
	if err != nil {
		return yuncang.Sender{}, err
	}
	if a == nil {
		return yuncang.Sender{}, yuncang.Invalid("sender", "is required: none given and none stored for this merchant and warehouse (PUT /api/v1/warehouses/{warehouse}/sender)")
	}
	return a.Sender, nil
}
