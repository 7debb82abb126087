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
		so = yuncang.RoleSecurityOfficer
		ws = yuncang.RoleWarehouseSupervisor
		op = yuncang.RoleOperator
		cs = yuncang.RoleCustomerService
		ma = yuncang.RoleMerchantAdmin
		ms = yuncang.RoleMerchantStaff
		au = yuncang.RoleAuditor
		ca = yuncang.RoleCarrier
	)
	everyone := roles(pa, so, ws, op, cs, ma, ms, au, ca)
	people := roles(pa, so, ws, op, cs, ma, ms, au)
	admins := roles(pa, so, ws, ma)

	s.handle("GET", "/healthz", "system", "Liveness and readiness", public, s.health)
	s.handle("GET", "/metrics", "system", "Prometheus metrics (no personal data; they show the guard's decisions, so a session of a platform admin, security officer or auditor, or a token with scope metrics, is required)",
		Policy{Roles: MetricsRoles, Scope: ScopeMetrics}, s.serveMetrics)
	s.handle("GET", "/api/v1/openapi.json", "system", "This API's OpenAPI 3 document", public, s.openAPI)
	s.handle("GET", "/api/v1/ping", "system", "No-op (the baseline of the authorization benchmark)", public, noContent)
	s.handle("GET", "/api/v1/session", "auth", "Check that the credential is still valid (no-op when it is)", Policy{Roles: everyone, Scope: ScopeAny}, noContent)

	s.handle("POST", "/api/v1/login", "auth", "Log in with username, password and (where required) a one-time code", public, s.login)
	s.handle("POST", "/api/v1/logout", "auth", "Revoke the session or token used for this request", Policy{Roles: everyone, Scope: ScopeAny}, s.logout)
	s.handle("POST", "/api/v1/step-up", "auth", "Take a fresh second factor for sensitive actions", Policy{Roles: people}, s.stepUp)
	s.handle("GET", "/api/v1/me", "auth", "The authenticated account", Policy{Roles: everyone, Scope: ScopeAny}, s.me)

	s.handle("POST", "/api/v1/users", "staff", "Create an account (within the administrator's reach)", Policy{Roles: admins, StepUp: true}, s.createUser)
	s.handle("GET", "/api/v1/users", "staff", "List the accounts within the administrator's reach", Policy{Roles: admins}, s.listUsers)
	s.handle("GET", "/api/v1/users/{id}", "staff", "One account", Policy{Roles: admins}, s.getUser)
	s.handle("POST", "/api/v1/users/{id}/offboard", "staff", "Disable an account and revoke all its sessions and tokens at once", Policy{Roles: admins, StepUp: true}, s.offboardUser)
	s.handle("PUT", "/api/v1/users/{id}/role", "staff", "Change an account's role", Policy{Roles: roles(pa, so), StepUp: true}, s.setUserRole)
	s.handle("PUT", "/api/v1/users/{id}/warehouses", "staff", "Change a staff account's warehouse scope", Policy{Roles: roles(pa, so, ws), StepUp: true}, s.setUserWarehouses)
	s.handle("PUT", "/api/v1/users/{id}/shift", "staff", "Set or clear an account's shift window", Policy{Roles: roles(pa, so, ws), StepUp: true}, s.setUserShift)
	s.handle("PUT", "/api/v1/users/{id}/end", "staff", "Set an account's end date (temporary staff: within the maximum)", Policy{Roles: admins, StepUp: true}, s.setUserEnd)
	s.handle("POST", "/api/v1/users/{id}/totp", "staff", "Enrol a new second factor (shown once)", Policy{Roles: admins, StepUp: true}, s.resetUserTOTP)
	s.handle("POST", "/api/v1/users/{id}/review", "staff", "Record that the account's access was reviewed", Policy{Roles: admins}, s.reviewUser)
	s.handle("GET", "/api/v1/access-review", "staff", "Who can do what, when each account last acted, which are due for review", Policy{Roles: roles(pa, so, ws, ma, au)}, s.accessReview)
	s.handle("POST", "/api/v1/tokens", "staff", "Issue a scoped, expiring API token for a machine client (shown once)", Policy{Roles: roles(pa, so, ma), StepUp: true}, s.createToken)
	s.handle("DELETE", "/api/v1/tokens/{id}", "staff", "Revoke an API token", Policy{Roles: roles(pa, so, ma)}, s.revokeToken)

	s.handle("POST", "/api/v1/warehouses/{warehouse}/devices", "devices", "Enrol a device in a warehouse with the public key it generated (kind; office desks name their person)", Policy{Roles: roles(pa, so, ws), Warehouse: true, StepUp: true}, s.enrolDevice)
	s.handle("POST", "/api/v1/office-devices", "devices", "Enrol a merchant office desk with the public key it generated, assigned to one person other than the enroller", Policy{Roles: roles(ma), Tenant: true, StepUp: true}, s.enrolOfficeDevice)
	s.handle("GET", "/api/v1/devices", "devices", "List enrolled devices", Policy{Roles: roles(pa, so, ws, au)}, s.listDevices)
	s.handle("POST", "/api/v1/devices/{id}/revoke", "devices", "Revoke a device and end the sessions opened on it", Policy{Roles: roles(pa, so, ws, ma)}, s.revokeDevice)
	s.handle("GET", "/api/v1/audit/events", "audit", "Query or export (json, jsonl, csv) the audit log: by actor, action, record, time", Policy{Roles: roles(pa, so, au)}, s.listEvents)
	s.handle("GET", "/api/v1/audit/checkpoint", "audit", "The latest signed checkpoint of the audit log", Policy{Roles: roles(pa, so, au)}, s.auditCheckpoint)
	s.handle("GET", "/api/v1/audit/proof/inclusion", "audit", "Proof that a record is in the log at a tree size", Policy{Roles: roles(pa, so, au)}, s.inclusionProof)
	s.handle("GET", "/api/v1/audit/proof/consistency", "audit", "Proof that a later tree extends an earlier one", Policy{Roles: roles(pa, so, au)}, s.consistencyProof)

	s.handle("POST", "/api/v1/tenants", "catalog", "Create a merchant", Policy{Roles: roles(pa), StepUp: true}, s.createTenant)
	s.handle("GET", "/api/v1/tenants", "catalog", "List merchants", Policy{Roles: roles(pa, so, au)}, s.listTenants)
	s.handle("POST", "/api/v1/warehouses", "catalog", "Create a warehouse", Policy{Roles: roles(pa), StepUp: true}, s.createWarehouse)
	s.handle("GET", "/api/v1/warehouses", "catalog", "List warehouses", Policy{Roles: people, Scope: ScopeCatalogRead}, s.listWarehouses)
	s.handle("POST", "/api/v1/skus", "catalog", "Create an SKU of the tenant", Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeCatalogWrite}, s.createSKU)
	s.handle("GET", "/api/v1/skus", "catalog", "List the tenant's SKUs", Policy{Roles: roles(pa, ws, op, ma, ms), Tenant: true, Scope: ScopeCatalogRead}, s.listSKUs)
	s.handle("GET", "/api/v1/stock", "catalog", "List the tenant's stock in every warehouse", Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeCatalogRead}, s.listStock)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/stock", "catalog", "List the tenant's stock in one warehouse", Policy{Roles: roles(pa, ws, op, ma, ms), Tenant: true, Warehouse: true, Scope: ScopeCatalogRead}, s.listWarehouseStock)
	s.handle("PUT", "/api/v1/warehouses/{warehouse}/stock", "catalog", "Set on-hand stock of the tenant's SKU in one warehouse", Policy{Roles: roles(pa, ws, op), Tenant: true, Warehouse: true, Scope: ScopeStockWrite}, s.setStock)

	s.handle("POST", "/api/v1/orders", "orders", "Submit an order (idempotent on merchant_order_id: an id already stored answers 409 with the stored order's order_id and stores nothing, whatever the content sent; content is never compared)", Policy{Roles: roles(ma, ms), Tenant: true, Scope: ScopeOrdersWrite}, s.createOrder)
	s.handle("POST", "/api/v1/orders/import", "orders", "Import orders from CSV or XLSX; rows whose merchant_order_id is stored already are listed in existing_orders with the stored order's id and store nothing, whatever their content", Policy{Roles: roles(ma, ms), Tenant: true, Scope: ScopeOrdersWrite}, s.importOrders)
	s.handle("GET", "/api/v1/orders", "orders", "List orders, masked, newest first", Policy{Roles: roles(ma, ms, cs), Tenant: true, Scope: ScopeOrdersRead}, s.listOrders)
	s.handle("POST", "/api/v1/orders/search", "orders", "Search orders by recipient phone (blind index), masked", Policy{Roles: roles(ma, ms, cs), Tenant: true, Scope: ScopeOrdersRead}, s.searchOrders)
	s.handle("GET", "/api/v1/orders/{id}", "orders", "One order, masked", Policy{Roles: roles(ma, ms, cs), Tenant: true, Scope: ScopeOrdersRead}, s.getOrder)
	s.handle("POST", "/api/v1/orders/{id}/reveal", "orders", "Reveal one order's recipient for a stated purpose (enrolled device, fresh second factor)",
		Policy{Roles: roles(cs, ms), Tenant: true, StepUp: true, Device: true, DeviceKinds: revealDevice.DeviceKinds}, s.revealOrder)

	s.registerApprovalRoutes()
	s.registerGuardRoutes()
	s.registerWaybillRoutes()
	s.registerInventoryRoutes()
	s.registerPrintRoutes()
	s.registerFulfilmentRoutes()
	s.registerComplianceRoutes()
	s.registerDataRequestRoutes()
}

// HealthJSON is the body of /healthz.
type HealthJSON struct {
	Status  string `json:"status"`
	Version string `json:"version,omitempty"`
}

func noContent(w http.ResponseWriter, r *http.Request) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	if err := s.ready(); err != nil {
		s.log.Error("health check failed", "err", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, HealthJSON{Status: "unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, HealthJSON{Status: "ok", Version: s.version})
	return nil
}
