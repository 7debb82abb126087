package httpapi

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// registerRoutes declares every endpoint with its authorization policy. This
// table is the whole access-control surface of the API.
func (s *Server) registerRoutes() {
	public := Policy{Public: true}
	const (
		pa = yuncang.RolePlatformAdmin
		ma = yuncang.RoleMerchantAdmin
		ms = yuncang.RoleMerchantStaff
		op = yuncang.RoleOperator
		cs = yuncang.RoleCustomerService
		au = yuncang.RoleAuditor
	)
	s.handle("GET", "/healthz", "system", "Liveness and readiness", public, s.health)
	s.handle("GET", "/metrics", "system", "Prometheus metrics (no personal data)", public, s.serveMetrics)
	s.handle("GET", "/api/v1/openapi.json", "system", "This API's OpenAPI 3 document", public, s.openAPI)

	s.handle("POST", "/api/v1/login", "auth", "Log in with username and password; returns a session token", public, s.login)
	s.handle("POST", "/api/v1/logout", "auth", "Revoke the session or token used for this request", Policy{Roles: anyone}, s.logout)
	s.handle("GET", "/api/v1/me", "auth", "The authenticated account", Policy{Roles: anyone}, s.me)
	s.handle("POST", "/api/v1/users", "auth", "Create an account (platform admin: any; merchant admin: own staff)", Policy{Roles: roles(pa, ma)}, s.createUser)
	s.handle("GET", "/api/v1/users", "auth", "List accounts (platform admin: platform staff or ?tenant=; merchant admin: own)", Policy{Roles: roles(pa, ma)}, s.listUsers)
	s.handle("POST", "/api/v1/tokens", "auth", "Issue an API token for a machine client (shown once)", Policy{Roles: roles(pa, ma)}, s.createToken)

	s.handle("POST", "/api/v1/tenants", "catalog", "Create a merchant", Policy{Roles: roles(pa)}, s.createTenant)
	s.handle("GET", "/api/v1/tenants", "catalog", "List merchants", Policy{Roles: roles(pa, au)}, s.listTenants)
	s.handle("POST", "/api/v1/warehouses", "catalog", "Create a warehouse", Policy{Roles: roles(pa)}, s.createWarehouse)
	s.handle("GET", "/api/v1/warehouses", "catalog", "List warehouses", Policy{Roles: roles(pa, ma, ms, op, cs, au)}, s.listWarehouses)
	s.handle("POST", "/api/v1/skus", "catalog", "Create an SKU of the tenant", Policy{Roles: roles(pa, ma), Tenant: true}, s.createSKU)
	s.handle("GET", "/api/v1/skus", "catalog", "List the tenant's SKUs", Policy{Roles: roles(pa, ma, ms, op), Tenant: true}, s.listSKUs)
	s.handle("PUT", "/api/v1/stock", "catalog", "Set on-hand stock of an SKU in a warehouse", Policy{Roles: roles(pa, op), Tenant: true}, s.setStock)
	s.handle("GET", "/api/v1/stock", "catalog", "List the tenant's stock", Policy{Roles: roles(pa, ma, ms, op), Tenant: true}, s.listStock)

	s.handle("POST", "/api/v1/orders", "orders", "Submit an order (idempotent on merchant_order_id)", Policy{Roles: roles(ma, ms), Tenant: true}, s.createOrder)
	s.handle("POST", "/api/v1/orders/import", "orders", "Import orders from CSV or XLSX", Policy{Roles: roles(ma, ms), Tenant: true}, s.importOrders)
	s.handle("GET", "/api/v1/orders", "orders", "List orders, masked, newest first", Policy{Roles: roles(ma, ms, cs), Tenant: true}, s.listOrders)
	s.handle("POST", "/api/v1/orders/search", "orders", "Search orders by recipient phone (blind index), masked", Policy{Roles: roles(ma, ms, cs), Tenant: true}, s.searchOrders)
	s.handle("GET", "/api/v1/orders/{id}", "orders", "One order, masked", Policy{Roles: roles(ma, ms, cs), Tenant: true}, s.getOrder)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if err := s.ready(); err != nil {
		s.log.Error("health check failed", "err", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.version})
	return nil
}
