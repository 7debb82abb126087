package httpapi

import (
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/printing"
)

// registerPrintRoutes declares the print path: printers per warehouse,
// print jobs from the stations, and the gateway's own endpoints.
func (s *Server) registerPrintRoutes() {
	const (
		pa = yuncang.RolePlatformAdmin
		so = yuncang.RoleSecurityOfficer
		ws = yuncang.RoleWarehouseSupervisor
		op = yuncang.RoleOperator
		au = yuncang.RoleAuditor
	)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/printers", "printing", "Register a printer: language (zpl, zpl-raster, tspl, tspl-raster, pdf), dpi, size, font, LAN address, the gateway that serves it",
		Policy{Roles: roles(pa, ws), Warehouse: true, StepUp: true}, s.addPrinter)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/printers", "printing", "The warehouse's printers",
		Policy{Roles: roles(pa, so, ws, op, au), Warehouse: true}, s.listPrinters)
	s.handle("DELETE", "/api/v1/warehouses/{warehouse}/printers/{printer}", "printing", "Take a printer out of use (its waiting jobs fail)",
		Policy{Roles: roles(pa, ws), Warehouse: true, StepUp: true}, s.removePrinter)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/print-jobs", "printing", "Print labels (shipment_ids, or a wave_id in walking order) on a printer: checked and counted as any label print, sealed to the printer's gateway; answers the job's status, never label bytes",
		Policy{Roles: roles(ws, op), Warehouse: true, Device: true, DeviceKinds: []string{yuncang.DevicePackingStation}}, s.submitPrintJob)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/print-jobs/{job}", "printing", "A print job's status (queued, sending, printed, failed)",
		Policy{Roles: roles(ws, op), Warehouse: true}, s.getPrintJob)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/print-jobs/{job}/retry", "printing", "Queue a failed job again while it lasts",
		Policy{Roles: roles(ws, op), Warehouse: true, Device: true, DeviceKinds: []string{yuncang.DevicePackingStation}}, s.retryPrintJob)

	gateway := Policy{Gateway: true}
	s.handle("POST", "/api/v1/gateway/register", "gateway", "A print gateway registers the age key its jobs are sealed to (signed by the gateway's device key)", gateway, s.registerGateway)
	s.handle("GET", "/api/v1/gateway/jobs", "gateway", "A print gateway pulls its sealed jobs (?wait= seconds of long poll, at most 30)", gateway, s.gatewayJobs)
	s.handle("POST", "/api/v1/gateway/jobs/{job}/result", "gateway", "A print gateway reports a job printed (with the SHA-256 of the bytes sent) or failed", gateway, s.gatewayResult)
	s.handle("POST", "/api/v1/gateway/results", "gateway", "A print gateway reports several jobs at once (one transaction)", gateway, s.gatewayResults)
}

func printingRequest(r *http.Request, req PrintJobRequest) printing.Request {
	ctx := r.Context()
	return printing.Request{WarehouseID: warehouseFrom(ctx).ID, PrinterID: req.PrinterID, ShipmentIDs: req.ShipmentIDs, WaveID: req.WaveID, Reason: req.Reason,
		Actor: yuncang.ActorFromContext(ctx), Event: actorEvent(r, yuncang.EventKindLabelPrint)}
}

func printingOutcome(req GatewayResultRequest) printing.Outcome {
	return printing.Outcome{Printed: req.Printed, Digest: req.Digest, Reason: req.Reason}
}
