package label

import (
	"time"

	"github.com/yuncang/yuncang"
)

// Label is everything one waybill shows. It is plain data: the recipient
// comes already masked, and the renderer refuses it if it is not (see
// Validate); the sender is the one party given in plaintext, because the
// renderer masks it itself.
type Label struct {
	Carrier Carrier
	Waybill string // the carrier's waybill number, printed as Code 128

	Sender    Party                   // plaintext; masked before printing
	Recipient yuncang.MaskedRecipient // must already be masked
	// VirtualPhone is a virtual number (隐私号) bound to the recipient, an
	// 11-digit main number and a 4-digit extension: "17012345678 转 1234".
	// When set it is printed instead of the masked phone.
	VirtualPhone string

	Destination yuncang.Region // printed as the routing line, e.g. 浙-金华-义乌 330782
	SortCode    string         // the carrier's sort code (三段码), optional

	WeightG  int    // parcel weight in grams; 0 prints no weight
	OrderRef string // the merchant's order id
	// QRToken is the QR code's payload: an opaque token from SignToken. The
	// renderer encodes it and nothing else.
	QRToken string
	Remarks string // masked again with pii.MaskText before printing
	Trace   Trace  // who printed this, printed small for accountability
}

// Carrier names the express company.
type Carrier struct {
	Name string // 中通快递
	Code string // ZTO
}

// Party is a sender in plaintext.
type Party struct {
	Name    string
	Phone   string
	Address string
}

// Trace identifies a print: a label photographed or found in a bin can be
// traced to the operator and station that printed it.
type Trace struct {
	Operator string
	Station  string
	Time     time.Time
}

// Size is a label's page size.
type Size struct {
	Name              string
	WidthMM, HeightMM float64
}

// The two common one-part (一联单) thermal label sizes.
var (
	Size76x130  = Size{Name: "76x130", WidthMM: 76, HeightMM: 130}
	Size100x150 = Size{Name: "100x150", WidthMM: 100, HeightMM: 150}
)
