package yuncang

import (
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Print event kinds (audited).
const (
	EventPrinterChange   = "printer_change"
	EventGatewayRegister = "gateway_register"
	EventPrintDelivered  = "print_delivered"
	EventPrintFailed     = "print_failed"
	EventPrintRetry      = "print_retry"
)

// Printer languages: what the server renders a job in for a printer.
const (
	PrintZPL        = "zpl"         // ZPL II with a CJK font on the printer
	PrintZPLRaster  = "zpl-raster"  // ZPL ^GF bitmap: no printer font needed
	PrintTSPL       = "tspl"        // TSPL with the printer's Chinese font
	PrintTSPLRaster = "tspl-raster" // TSPL BITMAP: no printer font needed
	PrintPDF        = "pdf"         // PDF to an IPP/CUPS queue
)

// PrintLanguages lists the languages a printer may speak.
var PrintLanguages = []string{PrintZPL, PrintZPLRaster, PrintTSPL, PrintTSPLRaster, PrintPDF}

// Printer is a label printer in a warehouse, reached through the print
// gateway that serves it. The browser and the station never hold label
// bytes: the server renders the job for this printer and seals it to the
// gateway's key.
type Printer struct {
	ID          int64
	WarehouseID int64
	Name        string // unique in the warehouse, e.g. P03
	Language    string // one of PrintLanguages
	DPI         int    // 203, 300 or 600
	Size        string // label size name: 76x130 or 100x150
	Font        string // printer-resident font for zpl/tspl; "" for the default
	// Addr is host[:port] for raw printing (port 9100) or an ipp:// URL.
	Addr string
	// GatewayID is the print gateway (a device of kind print_gateway in the
	// same warehouse) that delivers this printer's jobs.
	GatewayID int64
	// StationID, when set, is the pack station the printer stands at: only
	// that station prints on it.
	StationID int64
	CreatedAt time.Time
	RemovedAt time.Time
}

// Validate checks a printer before it is registered.
func (p *Printer) Validate() error {
	if err := validCode("name", p.Name); err != nil {
		return err
	}
	if !slices.Contains(PrintLanguages, p.Language) {
		return Invalid("language", "must be one of %s", strings.Join(PrintLanguages, ", "))
	}
	switch p.DPI {
	case 0:
		p.DPI = 203
	case 203, 300, 600:
	default:
		return Invalid("dpi", "must be 203, 300 or 600")
	}
	switch p.Size {
	case "":
		p.Size = "76x130"
	case "76x130", "100x150":
	default:
		return Invalid("size", "must be 76x130 or 100x150")
	}
	if len(p.Font) > 40 || strings.ContainsAny(p.Font, "^~,\"") || !printable(p.Font) {
		return Invalid("font", "must be a printer font name of at most 40 printable ASCII characters without ^ ~ , or quotes")
	}
	if err := validPrinterAddr(p.Language, p.Addr); err != nil {
		return err
	}
	if p.GatewayID <= 0 {
		return Invalid("gateway_id", "is required: the print gateway that serves this printer")
	}
	return nil
}

func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// validPrinterAddr: raw printers take host[:port] on the warehouse LAN; PDF
// goes to an ipp:// queue.
func validPrinterAddr(lang, addr string) error {
	if addr == "" || len(addr) > 200 {
		return Invalid("addr", "is required, at most 200 bytes")
	}
	if lang == PrintPDF {
		u, err := url.Parse(addr)
		if err != nil || (u.Scheme != "ipp" && u.Scheme != "http") || u.Host == "" {
			return Invalid("addr", "must be an ipp:// queue URL for a PDF printer")
		}
		return nil
	}
	host := addr
	if h, port, err := net.SplitHostPort(addr); err == nil {
		if port == "" {
			return Invalid("addr", "has an empty port")
		}
		host = h
	}
	if host == "" || strings.ContainsAny(host, "/ ?#@") {
		return Invalid("addr", "must be host or host:port of the printer")
	}
	return nil
}

// Print job states.
const (
	JobQueued  = "queued"  // sealed, waiting for the gateway
	JobSending = "sending" // taken by the gateway
	JobPrinted = "printed" // the gateway delivered it to the printer
	JobFailed  = "failed"  // the gateway could not deliver it
)

// PrintJob is one batch of labels for one printer. Its payload is the
// rendered job sealed to the gateway's key; it is erased once printed (or
// when it expires), so no label bytes rest on the server either.
type PrintJob struct {
	ID          int64
	WarehouseID int64
	PrinterID   int64
	GatewayID   int64
	Status      string
	ShipmentIDs []int64 // in print order
	Reason      string  // reprint reason, "" for a first print
	RequestedBy int64
	StationID   int64
	Payload     []byte // sealed job; nil once erased
	Digest      string // SHA-256 of the bytes the gateway sent, hex
	Error       string // why delivery failed, as the gateway reported it
	Attempts    int
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ExpiresAt   time.Time // the payload is erased at this time if not printed
}

// PrintOutcome is one job's outcome as its gateway reports it, with the
// audit event that records it.
type PrintOutcome struct {
	JobID          int64
	Status         string // JobPrinted or JobFailed
	Digest, Reason string
	Event          *Event
}

// PrintGateway is a print gateway's registration: the device, the
// warehouse it serves and the age X25519 recipient jobs are sealed to. The
// matching identity never leaves the gateway.
type PrintGateway struct {
	DeviceID    int64
	WarehouseID int64
	Recipient   string // age1…
	LastSeenAt  time.Time
}
