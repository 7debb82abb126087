package console

import (
	"context"

	"github.com/yuncang/yuncang"
)

// AdminStore is what the platform administrator's page reads and creates:
// the store calls of the API's catalogue and carrier handlers.
type AdminStore interface {
	Tenants(ctx context.Context) ([]*yuncang.Tenant, error)
	CreateTenant(ctx context.Context, t *yuncang.Tenant) error
	Warehouses(ctx context.Context) ([]*yuncang.Warehouse, error)
	CreateWarehouse(ctx context.Context, w *yuncang.Warehouse) error
	Carriers(ctx context.Context) ([]*yuncang.Carrier, error)
	WaybillSegments(ctx context.Context, carrierID int64) ([]*yuncang.WaybillSegment, error)
}

func (c *Console) adminStore() AdminStore { return c.store.(AdminStore) }
