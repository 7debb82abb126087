package httpapi

import (
	"time"

	"github.com/yuncang/yuncang"
)

// PrinterRequest registers a printer (POST /api/v1/warehouses/{w}/printers).
type PrinterRequest struct {
	Name     string `json:"name"`
	Language string `json:"language"` // zpl, zpl-raster, tspl, tspl-raster, pdf
	DPI      int    `json:"dpi,omitempty"`
	Size     string `json:"size,omitempty"` // 76x130 (default) or 100x150
	Font     string `json:"font,omitempty"` // printer-resident font for zpl/tspl
	Addr     string `json:"addr"`           // host[:port] on the LAN, or ipp://… for pdf
	// GatewayID is the device id of the print gateway that serves it.
	GatewayID int64 `json:"gateway_id"`
	// Station optionally reserves the printer for one pack station (its code).
	Station string `json:"station,omitempty"`
}

// PrinterJSON is a registered printer.
type PrinterJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Language  string    `json:"language"`
	DPI       int       `json:"dpi"`
	Size      string    `json:"size"`
	Font      string    `json:"font,omitempty"`
	Addr      string    `json:"addr"`
	GatewayID int64     `json:"gateway_id"`
	StationID int64     `json:"station_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// PrintJobRequest asks for labels on a printer (POST .../print-jobs).
type PrintJobRequest struct {
	PrinterID   int64   `json:"printer_id"`
	ShipmentIDs []int64 `json:"shipment_ids,omitempty"` // in print order
	// WaveID prints a wave's shipments in its walking order (instead of shipment_ids).
	WaveID int64  `json:"wave_id,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// PrintJobJSON is a job's status: never its bytes.
type PrintJobJSON struct {
	ID          int64     `json:"id"`
	PrinterID   int64     `json:"printer_id"`
	Status      string    `json:"status"` // queued, sending, printed, failed
	ShipmentIDs []int64   `json:"shipment_ids"`
	Reason      string    `json:"reason,omitempty"`
	Digest      string    `json:"digest,omitempty"` // SHA-256 of the bytes the printer received
	Error       string    `json:"error,omitempty"`
	Attempts    int       `json:"attempts"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	ExpiresAt   time.Time `json:"expires_at"`
}

// GatewayRegisterRequest is a gateway registering its sealing key.
type GatewayRegisterRequest struct {
	Recipient string `json:"recipient"` // age X25519 recipient, age1…
}

// GatewayJSON is a gateway's registration.
type GatewayJSON struct {
	DeviceID    int64  `json:"device_id"`
	WarehouseID int64  `json:"warehouse_id"`
	Recipient   string `json:"recipient"`
}

// GatewayPrinterJSON is what a gateway needs to reach a printer.
type GatewayPrinterJSON struct {
	Name     string `json:"name"`
	Language string `json:"language"`
	Addr     string `json:"addr"`
}

// GatewayJobJSON is one job handed to a gateway: the payload is sealed to
// the gateway's key (age), base64 in JSON.
type GatewayJobJSON struct {
	ID      int64              `json:"id"`
	Printer GatewayPrinterJSON `json:"printer"`
	Payload []byte             `json:"payload"`
}

// GatewayJobsJSON is the answer to a gateway's pull.
type GatewayJobsJSON struct {
	Jobs []GatewayJobJSON `json:"jobs"`
}

// GatewayResultRequest is a gateway's outcome for a job.
type GatewayResultRequest struct {
	Printed bool   `json:"printed"`
	Digest  string `json:"digest,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// GatewayResultsRequest is several outcomes at once (POST /api/v1/gateway/results).
type GatewayResultsRequest struct {
	Results []GatewayJobResult `json:"results"`
}

// GatewayJobResult is one job's outcome in a batch.
type GatewayJobResult struct {
	Job int64 `json:"job"`
	GatewayResultRequest
}

// GatewayResultsJSON answers a batch of outcomes.
type GatewayResultsJSON struct {
	Jobs []PrintJobJSON `json:"jobs"`
}

func printerJSON(p *yuncang.Printer) PrinterJSON {
	return PrinterJSON{ID: p.ID, Name: p.Name, Language: p.Language, DPI: p.DPI, Size: p.Size, Font: p.Font, Addr: p.Addr,
		GatewayID: p.GatewayID, StationID: p.StationID, CreatedAt: p.CreatedAt}
}

func printJobJSON(j *yuncang.PrintJob) PrintJobJSON {
	return PrintJobJSON{ID: j.ID, PrinterID: j.PrinterID, Status: j.Status, ShipmentIDs: j.ShipmentIDs, Reason: j.Reason, Digest: j.Digest,
		Error: j.Error, Attempts: j.Attempts, CreatedAt: j.CreatedAt, UpdatedAt: j.UpdatedAt, ExpiresAt: j.ExpiresAt}
}

func init() {
	for k, v := range map[string]struct {
		req, resp any
		status    string
	}{
		"POST /api/v1/warehouses/{warehouse}/printers":               {PrinterRequest{}, PrinterJSON{}, "201"},
		"GET /api/v1/warehouses/{warehouse}/printers":                {nil, pageOf(PrinterJSON{}), "200"},
		"DELETE /api/v1/warehouses/{warehouse}/printers/{printer}":   {nil, nil, "204"},
		"POST /api/v1/warehouses/{warehouse}/print-jobs":             {PrintJobRequest{}, PrintJobJSON{}, "202"},
		"GET /api/v1/warehouses/{warehouse}/print-jobs/{job}":        {nil, PrintJobJSON{}, "200"},
		"POST /api/v1/warehouses/{warehouse}/print-jobs/{job}/retry": {nil, PrintJobJSON{}, "202"},
		"POST /api/v1/gateway/register":                              {GatewayRegisterRequest{}, GatewayJSON{}, "200"},
		"GET /api/v1/gateway/jobs":                                   {nil, GatewayJobsJSON{}, "200"},
		"POST /api/v1/gateway/jobs/{job}/result":                     {GatewayResultRequest{}, PrintJobJSON{}, "200"},
	} {
		apiDocs[k] = v
	}
}
