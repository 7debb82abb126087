package httpapi

import "github.com/yuncang/yuncang"

// registerInventoryRoutes declares the warehouse operations endpoints:
// locations, ASNs, receiving, putaway, stock ledger, waves, picking,
// packing, shipping and analytics.
//
// Floor work (receiving, putaway, counts, waves, picks, packing, weighing,
// shipping) is warehouse-scoped: operators and supervisors act only in
// their own warehouses, on the merchant named with ?tenant=CODE. Merchants
// see their own stock, ledger, orders' fulfilment and analytics. No
// response carries recipient data.
func (s *Server) registerInventoryRoutes() {
	const (
		pa = yuncang.RolePlatformAdmin
		ws = yuncang.RoleWarehouseSupervisor
		op = yuncang.RoleOperator
		cs = yuncang.RoleCustomerService
		ma = yuncang.RoleMerchantAdmin
		ms = yuncang.RoleMerchantStaff
		ca = yuncang.RoleCarrier
	)
	floor := Policy{Roles: roles(pa, ws, op), Tenant: true, Warehouse: true, Scope: ScopeStockWrite}
	floorRead := Policy{Roles: roles(pa, ws, op), Tenant: true, Warehouse: true, Scope: ScopeCatalogRead}

	s.handle("GET", "/api/v1/warehouses/{warehouse}/locations", "inventory", "List a warehouse's locations in walking order",
		Policy{Roles: roles(pa, ws, op), Warehouse: true, Scope: ScopeCatalogRead}, s.listLocations)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/locations", "inventory", "Create storage locations (zone, aisle, bin)",
		Policy{Roles: roles(pa, ws), Warehouse: true}, s.createLocations)
	s.handle("PUT", "/api/v1/skus/{sku}/lot-tracking", "inventory", "Track lots and expiry dates of an SKU (FEFO picking)",
		Policy{Roles: roles(pa, ma), Tenant: true, Scope: ScopeCatalogWrite}, s.setLotTracking)

	s.handle("POST", "/api/v1/asns", "inbound", "Announce goods on their way to a warehouse (advance shipping notice)",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeStockWrite}, s.createASN)
	s.handle("GET", "/api/v1/asns", "inbound", "List the merchant's ASNs with what was received",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeCatalogRead}, s.listASNs)
	s.handle("GET", "/api/v1/asns/{asn}", "inbound", "One ASN: expected, received, damaged, over and short",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeCatalogRead}, s.getASN)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/asns", "inbound", "ASNs expected in this warehouse", floorRead, s.listWarehouseASNs)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/asns/{asn}/receive", "inbound", "Receive goods against an ASN into the dock (over, short, damaged)", floor, s.receiveASN)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/asns/{asn}/close", "inbound", "End receiving of an ASN", floor, s.closeASN)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/moves", "inbound", "Put away from the dock, or move between locations", floor, s.moveStock)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/counts", "inventory", "Record a cycle count and book the differences", floor, s.cycleCount)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/location-stock", "inventory", "What lies where: stock by location, SKU and lot",
		Policy{Roles: roles(pa, ws, op, ma, ms), Tenant: true, Warehouse: true, Scope: ScopeCatalogRead}, s.listLocationStock)
	s.handle("GET", "/api/v1/ledger", "inventory", "The merchant's stock ledger, newest first",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeCatalogRead}, s.listLedger)
	s.handle("GET", "/api/v1/ledger/check", "inventory", "Recompute every balance from the ledger and list the differences",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeCatalogRead}, s.checkBooks)

	s.handle("GET", "/api/v1/planning-config", "planning", "The merchant's carriers, rates, coverage, zones and penalties",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeCatalogRead}, s.getPlanningConfig)
	s.handle("PUT", "/api/v1/planning-config", "planning", "Replace the merchant's planning configuration (the plan JSON format)",
		Policy{Roles: roles(pa, ma), Tenant: true, StepUp: true}, s.putPlanningConfig)
	s.handle("POST", "/api/v1/allocations", "planning", "Split, choose carriers and reserve stock for paid orders",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeOrdersWrite}, s.allocate)
	s.handle("POST", "/api/v1/orders/{id}/status", "orders", "Pay or cancel an order (validated against the status machine)",
		Policy{Roles: roles(ma, ms), Tenant: true, Scope: ScopeOrdersWrite}, s.setOrderStatus)
	s.handle("GET", "/api/v1/orders/{id}/fulfilment", "orders", "An order's plan, parcels and status history (no recipient data)",
		Policy{Roles: roles(pa, ma, ms, cs), Tenant: true, Scope: ScopeOrdersRead}, s.getFulfilment)

	s.handle("POST", "/api/v1/warehouses/{warehouse}/waves", "outbound", "Release allocated parcels into a wave by carrier cut-off and zone", floor, s.createWave)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/waves", "outbound", "List waves", floorRead, s.listWaves)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/waves/{wave}", "outbound", "A wave's pick list in walking order", floorRead, s.getWave)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/waves/{wave}/picks", "outbound", "Confirm one pick-list line", floor, s.confirmPick)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/parcels/{parcel}/pack", "outbound", "Verify a parcel by scanning every item's barcode", floor, s.packParcel)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/parcels/{parcel}/weigh", "outbound", "Weigh a packed parcel against its expected weight", floor, s.weighParcel)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/parcels/{parcel}/ship", "outbound", "Confirm a weighed parcel shipped, with its waybill number", floor, s.shipParcel)
	s.handle("POST", "/api/v1/parcels/{parcel}/delivered", "outbound", "A carrier's delivery event for a parcel",
		Policy{Roles: roles(pa, ca), Tenant: true, Scope: ScopeCarrier}, s.parcelDelivered)

	s.handle("GET", "/api/v1/analytics/logistics", "analytics", "Daily volume, cost per parcel, split and on-time rates of the merchant (no personal data)",
		Policy{Roles: roles(pa, ma, ms), Tenant: true, Scope: ScopeOrdersRead}, s.merchantStats)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/analytics/logistics", "analytics", "The same for one warehouse across merchants",
		Policy{Roles: roles(pa, ws), Warehouse: true}, s.warehouseStats)
}
