package yuncang

import "time"

// ASN statuses.
const (
	ASNOpen      = "open"      // announced, nothing received yet
	ASNReceiving = "receiving" // some goods received
	ASNClosed    = "closed"    // receiving ended; differences are final
)

// ASN is an advance shipping notice: a merchant announces goods it sends
// to a warehouse, and the warehouse receives against it.
type ASN struct {
	ID          int64
	TenantID    int64
	WarehouseID int64
	Warehouse   string // code
	Ref         string // the merchant's reference, unique per tenant
	Status      string
	ExpectedAt  time.Time
	Lines       []ASNLine
	CreatedAt   time.Time
	ClosedAt    time.Time
}

// ASNLine is what is expected of one SKU and what arrived.
type ASNLine struct {
	SKUCode  string
	Expected int
	Received int // good units booked into stock
	Damaged  int // units that arrived damaged: recorded, not stocked
}

// Over is how many more good units arrived than expected.
func (l ASNLine) Over() int { return max(0, l.Received-l.Expected) }

// Short is how many expected units have not arrived in good condition.
func (l ASNLine) Short() int { return max(0, l.Expected-l.Received) }

// Validate checks a new ASN.
func (a *ASN) Validate() error {
	var p Problems
	p.Check(validCode("ref", a.Ref))
	if len(a.Lines) == 0 {
		p.Add("lines", "at least one line is required")
	}
	if len(a.Lines) > MaxOrderLines {
		p.Add("lines", "at most %d lines", MaxOrderLines)
		return p.Err()
	}
	seen := map[string]bool{}
	for i, l := range a.Lines {
		if l.SKUCode == "" {
			p.Add(fieldAt("lines", i, "sku"), "is required")
		} else if seen[l.SKUCode] {
			p.Add(fieldAt("lines", i, "sku"), "appears twice")
		}
		seen[l.SKUCode] = true
		if l.Expected < 1 || l.Expected > 10_000_000 {
			p.Add(fieldAt("lines", i, "expected"), "must be between 1 and 10000000")
		}
	}
	return p.Err()
}

// ReceiptLine is what a receiver counts off the truck for one SKU (and lot).
type ReceiptLine struct {
	SKUCode string
	Qty     int    // good units
	Damaged int    // damaged units
	Lot     string // required for lot-tracked SKUs
	Expiry  string // YYYY-MM-DD, required for lot-tracked SKUs
}

// Transfer moves units of one SKU (and lot) between two locations.
type Transfer struct {
	SKUCode string
	Lot     string
	From    string // location code; default RECV (putaway)
	To      string
	Qty     int
}
