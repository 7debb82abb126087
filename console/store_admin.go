package console

import (
	"context"
	"net/http"

	"github.com/yuncang/yuncang"
)

// AdminStore is what the platform administrator's page reads: the store
// calls of the API's catalogue and carrier handlers.
type AdminStore interface {
	Tenants(ctx context.Context) ([]*yuncang.Tenant, error)
	Warehouses(ctx context.Context) ([]*yuncang.Warehouse, error)
	Carriers(ctx context.Context) ([]*yuncang.Carrier, error)
	WaybillSegments(ctx context.Context, carrierID int64) ([]*yuncang.WaybillSegment, error)
}

func (c *Console) adminStore() AdminStore { return c.store.(AdminStore) }

// AdminActions are the API's own catalogue changes
// (httpapi/catalog_handlers.go), audited there as the actor's.
type AdminActions interface {
	CreateTenant(r *http.Request, t *yuncang.Tenant) error
	CreateWarehouse(r *http.Request, w *yuncang.Warehouse) error
}

func (c *Console) adminActions() AdminActions { return c.api.(AdminActions) }
