package console

import (
	"context"
	"net/http"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// The console reaches business rules and storage only through these narrow
// interfaces. Each method is what the API's handler for the same thing
// calls today (httpapi.Server's exported methods, or the store methods the
// handlers call), so the API and the console can be re-pointed at service
// packages together.

// Orders reads a tenant's orders, masked, with the guard's observation and
// the audit record of the API's order routes.
type Orders interface {
	OrderList(r *http.Request, f yuncang.OrderFilter, limit int, cursor, kind string) (httpapi.OrderPage, error)
	OrderDetail(r *http.Request, id int64) (httpapi.OrderJSON, error)
	// RevealOrder is the API's reveal: purpose, guard, quota, audit.
	RevealOrder(r *http.Request, id int64, req httpapi.RevealRequest) (httpapi.RevealResponse, error)
}

// Catalog is the tenant's SKUs, stock, planning configuration and
// logistics figures (GET /api/v1/skus, /stock, /planning-config,
// /analytics/logistics call the same).
type Catalog interface {
	SKUs(ctx context.Context, tenantID int64) ([]*yuncang.SKU, error)
	Stock(ctx context.Context, tenantID int64) ([]*yuncang.Stock, error)
	PlanningConfig(ctx context.Context, tenantID int64) (*yuncang.PlanningConfig, error)
	LogisticsStats(ctx context.Context, f yuncang.StatsFilter) ([]*yuncang.StatsRow, error)
}

// Store is all the console reads and changes.
type Store interface {
	Catalog
	yuncang.OrderService // imports store orders through intake.Import, as the API's import does
	yuncang.SecurityKeyService
	// UserByUsername finds the account a sign-in with a security key is for.
	UserByUsername(ctx context.Context, username string) (*yuncang.User, error)
}
