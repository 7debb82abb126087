package console

import (
	"context"
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// FloorStore is what the floor pages read and change: the same store
// calls the API's floor handlers make (inventory_handlers.go), with the
// tenant and warehouse authorize() resolved.
type FloorStore interface {
	Warehouses(ctx context.Context) ([]*yuncang.Warehouse, error)
	SKUs(ctx context.Context, tenantID int64) ([]*yuncang.SKU, error)
	ASNs(ctx context.Context, tenantID, warehouseID int64) ([]*yuncang.ASN, error)
	Receive(ctx context.Context, tenantID, asnID int64, lines []yuncang.ReceiptLine) (*yuncang.ASN, error)
	Move(ctx context.Context, tenantID, warehouseID int64, t yuncang.Transfer) error
	Waves(ctx context.Context, tenantID, warehouseID int64) ([]*yuncang.Wave, error)
	Wave(ctx context.Context, tenantID, warehouseID, id int64) (*yuncang.Wave, error)
	ConfirmPick(ctx context.Context, tenantID, warehouseID, waveID int64, pc yuncang.PickConfirm) (*yuncang.Wave, error)
	Parcel(ctx context.Context, tenantID, id int64) (*yuncang.Parcel, error)
	PackParcel(ctx context.Context, tenantID, warehouseID, parcelID int64, barcodes []string) (*yuncang.Parcel, error)
	WeighParcel(ctx context.Context, tenantID, warehouseID, parcelID int64, grossG, tareG int) (*yuncang.Parcel, error)
}

// FloorActions are the API server's floor steps that are more than one
// store call (the guard's count, then the store): the console runs the
// API's own functions (httpapi/floor_actions.go).
type FloorActions interface {
	ParcelShipment(r *http.Request, parcelID int64, sender yuncang.Sender) (*yuncang.Shipment, error)
	PrintLabels(r *http.Request, req httpapi.PrintJobRequest) (*yuncang.PrintJob, error)
	WarehousePrinters(ctx context.Context, warehouseID int64) ([]*yuncang.Printer, error)
	CreateWave(ctx context.Context, tenantID, warehouseID int64, in yuncang.WaveInput) (*yuncang.Wave, error)
}

// floorStore and floorActions are the console's store and API as the
// floor pages use them; a wiring without them fails at start.
func (c *Console) floorStore() FloorStore { return c.store.(FloorStore) }

func (c *Console) floorActions() FloorActions { return c.api.(FloorActions) }

// floorScope is the tenant and warehouse of a floor request, as
// authorize() resolved them (the page's policy is tenant- and
// warehouse-scoped).
func floorScope(r *http.Request) (*yuncang.Tenant, *yuncang.Warehouse) {
	return httpapi.RequestTenant(r.Context()), httpapi.RequestWarehouse(r.Context())
}
