package yuncang

import (
	"context"
	"time"
)

// Order statuses. Later issues add the warehouse states; every transition is
// validated by the service that makes it.
const (
	OrderCreated   = "created"
	OrderCancelled = "cancelled"
)

// Limits on order input, enforced at intake.
const (
	MaxOrderLines      = 200
	MaxLineQuantity    = 100_000
	MaxRemarksRunes    = 500
	MaxMerchantOrderID = 64
)

// OrderLine is a quantity of one SKU, named by the merchant's SKU code.
type OrderLine struct {
	SKUCode  string
	Quantity int
}

// Recipient is the plaintext personal data of an order's recipient. It lives
// only in memory; storage keeps it encrypted and callers see MaskedRecipient.
type Recipient struct {
	Name    string
	Phone   string
	Address string
}

// MaskedRecipient is the GB/T 41833 de-identified view of a recipient: the name
// hides at least one character, the phone at least six digits, and the address
// stops at the street (no house, unit or room number).
type MaskedRecipient struct {
	Name    string
	Phone   string
	Address string
}

// Region is where an order goes, down to the street, with GB/T 2260 codes. It
// carries no house number and is what planning and analytics use.
type Region struct {
	Province     string
	ProvinceCode string
	City         string
	CityCode     string
	District     string
	DistrictCode string
	Street       string
	StreetCode   string
}

// OrderInput is an order as a merchant submits it.
type OrderInput struct {
	MerchantOrderID string
	Lines           []OrderLine
	Recipient       Recipient
	Remarks         string
}

// PreparedOrder is an order that passed intake: validated, normalised (phone
// in canonical digits, address parsed) and with its masked views derived. The
// storage adapter encrypts the plaintext fields and stores the rest.
type PreparedOrder struct {
	TenantID        int64
	MerchantOrderID string
	Lines           []OrderLine
	Recipient       Recipient // normalised plaintext; encrypted at rest
	Remarks         string    // plaintext; encrypted at rest
	Masked          MaskedRecipient
	MaskedRemarks   string
	Destination     Region
	// Decoy marks a canary order: storage flags it in the transaction that
	// creates it, and skips it rather than failing the batch if it cannot
	// be stored (its id taken, say). Real intake never sets it.
	Decoy bool
}

// Order is the stored order as callers see it: masked.
type Order struct {
	ID              int64
	TenantID        int64
	MerchantOrderID string
	Status          string
	Lines           []OrderLine
	Recipient       MaskedRecipient
	Destination     Region
	Remarks         string // masked: phone and ID numbers hidden
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Reveal purposes: why a person needs to see a recipient in full.
const (
	PurposeDeliveryException = "delivery_exception"
	PurposeCustomerCallback  = "customer_callback"
	PurposeReturn            = "return"
	PurposeLegalRequest      = "legal_request"
	PurposeDataSubject       = "data_subject_request" // answering a recipient's access request (PIPL art. 45)
)

// Purposes lists the reveal purposes; there is no free-form purpose.
var Purposes = []string{PurposeDeliveryException, PurposeCustomerCallback, PurposeReturn, PurposeLegalRequest, PurposeDataSubject}

// OrderFilter selects a page of one tenant's orders.
type OrderFilter struct {
	TenantID int64
	Status   string
	Phone    string // canonical phone digits; matched through the blind index
	// MerchantOrderID matches one order by the merchant's own id.
	MerchantOrderID string
	// CreatedFrom and CreatedTo bound the creation time: [from, to).
	CreatedFrom, CreatedTo time.Time
	AfterID                int64 // keyset pagination: orders with ID < AfterID when descending
	Limit                  int
}

// Intake outcomes for one order in a batch.
const (
	IntakeCreated = "created"
	// IntakeExists: the merchant order id names an order already stored;
	// nothing was stored. The answer is the same whatever the submitted
	// content: telling an exact repeat from a different one would let anyone
	// with intake rights confirm a guessed recipient against an order.
	IntakeExists  = "exists"
	IntakeInvalid = "invalid" // failed validation; Err says which field
)

// IntakeResult is the outcome of storing one prepared order.
type IntakeResult struct {
	Outcome string
	// Order is the created order; for exists, the stored order's ID,
	// TenantID and MerchantOrderID only.
	Order *Order
	Err   error // set for exists and invalid; safe to show
}

// IsBad reports whether the result is a rejected order. An existing order
// is not: an all-or-nothing batch retried after a lost answer still commits.
func (r IntakeResult) IsBad() bool { return r.Outcome == IntakeInvalid }

// OrderService stores orders. Every call is tenant-scoped.
type OrderService interface {
	// CreateOrders stores a batch of prepared orders of one tenant in one
	// transaction. An order whose merchant order id exists (stored before
	// or earlier in the batch) is reported as exists, whatever its content,
	// and changes nothing.
	// Orders naming unknown SKUs are invalid. With allOrNothing, any bad
	// order means nothing is stored (committed is false). An error means
	// nothing was stored.
	//
	// Every method that shows recipient data takes the audit event that
	// records it; the event is appended in the same transaction as the
	// action (its targets filled in by the store), and if it cannot be
	// appended the action fails and nothing is shown. A nil event is for
	// internal callers that show nothing to anyone.
	CreateOrders(ctx context.Context, tenantID int64, orders []*PreparedOrder, allOrNothing bool, ev *Event) (results []IntakeResult, committed bool, err error)
	Order(ctx context.Context, tenantID, id int64, ev *Event) (*Order, error)
	Orders(ctx context.Context, f OrderFilter, ev *Event) ([]*Order, error)
	// RevealRecipient records the reveal event and spends the quota (if
	// given, after running its Guard) in one transaction, then decrypts one
	// order's recipient and remarks; no event, no plaintext; no quota left,
	// nothing spent.
	RevealRecipient(ctx context.Context, tenantID, id int64, ev *Event, quota *QuotaRequest) (*Recipient, string, error)
}
