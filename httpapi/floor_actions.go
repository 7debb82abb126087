package httpapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/yuncang/yuncang"
)

// The floor actions that do more than one store call (the guard's count,
// then the store), exported so that the console's floor pages and the API
// handlers run the very same steps: the page and the API differ only in
// how the request is read and the answer written.

// RequestTenant is the tenant authorize() resolved for a tenant-scoped
// request (page or API); nil for a route that is not tenant-scoped.
func RequestTenant(ctx context.Context) *yuncang.Tenant { return tenantFrom(ctx) }

// RequestWarehouse is the warehouse authorize() resolved from the
// {warehouse} segment; nil for a route that is not warehouse-scoped.
func RequestWarehouse(ctx context.Context) *yuncang.Warehouse { return warehouseFrom(ctx) }

// ParcelShipment creates the shipment (waybill, virtual number) of a
// weighed parcel of the request's tenant and warehouse, counted by the
// guard like a reveal (POST .../parcels/{parcel}/shipment).
func (s *Server) ParcelShipment(r *http.Request, parcelID int64, given yuncang.Sender) (*yuncang.Shipment, error) {
	t, wh := tenantFrom(r.Context()), warehouseFrom(r.Context())
	// The request's sender, else the one the merchant stored for the warehouse.
	sender, err := s.senders.ForShipment(r.Context(), t.ID, wh.ID, given)
	if err != nil {
		return nil, err
	}
	p, err := s.store.ShippableParcel(r.Context(), t.ID, parcelID)
	if err != nil {
		return nil, err
	}
	if p.WarehouseID != wh.ID {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "parcel not found")
	}
	// A shipment binds the recipient's phone to a waybill: the guard
	// counts it like a reveal.
	if err := s.observe(r, ActivityShipment, fmt.Sprintf("order:%d", p.OrderID)); err != nil {
		return nil, err
	}
	// Storage checks again, in the shipment's transaction, that the parcel
	// is weighed in this warehouse and has no live shipment.
	return s.store.CreateShipment(r.Context(), &yuncang.ShipmentInput{TenantID: t.ID, ParcelID: p.ID, OrderID: p.OrderID, WarehouseID: wh.ID,
		CarrierCode: p.Carrier, WeightG: p.WeighedG, Sender: sender, Event: actorEvent(r, yuncang.EventShipmentCreate)})
}

// PrintLabels checks, counts and queues a print job on a printer of the
// request's warehouse (POST .../print-jobs): the station gets the job's
// status, never label bytes.
func (s *Server) PrintLabels(r *http.Request, req PrintJobRequest) (*yuncang.PrintJob, error) {
	if req.PrinterID <= 0 {
		return nil, yuncang.Invalid("printer_id", "is required")
	}
	switch {
	case req.WaveID != 0 && len(req.ShipmentIDs) != 0:
		return nil, yuncang.Invalid("wave_id", "give either wave_id or shipment_ids, not both")
	case req.WaveID < 0:
		return nil, yuncang.Invalid("wave_id", "must be a positive integer")
	case req.WaveID == 0 && (len(req.ShipmentIDs) == 0 || len(req.ShipmentIDs) > yuncang.MaxLabelBatch):
		return nil, yuncang.Invalid("shipment_ids", "must name between 1 and %d shipments", yuncang.MaxLabelBatch)
	}
	targets := make([]string, len(req.ShipmentIDs))
	for i, id := range req.ShipmentIDs {
		targets[i] = fmt.Sprintf("shipment:%d", id)
	}
	if req.WaveID != 0 {
		targets = []string{fmt.Sprintf("wave:%d", req.WaveID)}
	}
	activity := ActivityLabelPrint
	if req.Reason != "" {
		activity = ActivityLabelReprint
	}
	if err := s.observe(r, activity, targets...); err != nil {
		return nil, err
	}
	return s.printing.Submit(r.Context(), printingRequest(r, req))
}

// WarehousePrinters lists a warehouse's printers (GET .../printers).
func (s *Server) WarehousePrinters(ctx context.Context, warehouseID int64) ([]*yuncang.Printer, error) {
	return s.printing.Printers(ctx, warehouseID)
}

// CreateWave releases the waiting parcels into a wave, as POST .../waves
// (the fulfil service builds it: carrier by cut-off, walking order).
func (s *Server) CreateWave(ctx context.Context, tenantID, warehouseID int64, in yuncang.WaveInput) (*yuncang.Wave, error) {
	return s.waves.Create(ctx, tenantID, warehouseID, in)
}
