package httpapi

import "github.com/yuncang/yuncang"

// registerWaybillRoutes declares the e-waybill endpoints: carriers, waybill
// numbers, shipments, labels, virtual numbers, manifests and tracking.
//
// Labels are printed only by operators and supervisors of the shipment's
// warehouse, from an enrolled station there. Carrier endpoints serve the
// carrier's machine account (token scope carrier), which acts only on the
// carrier it is linked to.
// labelDevices may print labels: a packing station or print gateway
// standing in the shipment's warehouse.
var labelDevices = []string{yuncang.DevicePackingStation, yuncang.DevicePrintGateway}

func (s *Server) registerWaybillRoutes() {
	const (
		pa = yuncang.RolePlatformAdmin
		so = yuncang.RoleSecurityOfficer
		ws = yuncang.RoleWarehouseSupervisor
		op = yuncang.RoleOperator
		au = yuncang.RoleAuditor
		ca = yuncang.RoleCarrier
	)
	s.handle("POST", "/api/v1/carriers", "waybills", "Configure a carrier: check digits, public key for manifests, reprint and resolve limits (webhook secret shown once)",
		Policy{Roles: roles(pa), StepUp: true}, s.createCarrier)
	s.handle("GET", "/api/v1/carriers", "waybills", "List carriers", Policy{Roles: roles(pa, so, ws, au)}, s.listCarriers)
	s.handle("POST", "/api/v1/carriers/{carrier}/segments", "waybills", "Add a waybill number range the carrier handed out",
		Policy{Roles: roles(pa), StepUp: true}, s.addSegment)
	s.handle("GET", "/api/v1/carriers/{carrier}/segments", "waybills", "A carrier's number ranges and how far they are used",
		Policy{Roles: roles(pa, so, au)}, s.listSegments)
	s.handle("POST", "/api/v1/virtual-numbers", "waybills", "Add main numbers to the virtual number (隐私号) pool",
		Policy{Roles: roles(pa), StepUp: true}, s.addVirtualNumbers)

	// Shipments are created only through POST .../parcels/{parcel}/shipment,
	// for a parcel the warehouse flow weighed: there is no direct route.
	s.handle("GET", "/api/v1/warehouses/{warehouse}/shipments/{shipment}", "waybills", "One shipment, masked",
		Policy{Roles: roles(pa, ws, op), Warehouse: true}, s.getShipment)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/shipments/{shipment}/void", "waybills", "Void a shipment's waybill: it is never printed or reissued again",
		Policy{Roles: roles(pa, ws), Warehouse: true}, s.voidShipment)
	s.handle("GET", "/api/v1/warehouses/{warehouse}/shipments/{shipment}/label", "waybills",
		"Print a shipment's privacy label (?format=pdf|png|zpl&size=76x130|100x150; reprints need &reason=)",
		Policy{Roles: roles(ws, op), Warehouse: true, Device: true, DeviceKinds: labelDevices}, s.shipmentLabel)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/labels", "waybills", "Print a batch of labels as one file (PDF, ZPL, or a zip of PNGs)",
		Policy{Roles: roles(ws, op), Warehouse: true, Device: true, DeviceKinds: labelDevices}, s.labelBatch)
	s.handle("POST", "/api/v1/warehouses/{warehouse}/manifests", "waybills", "Hand a carrier the printed parcels scanned at the handover (by waybill): a manifest encrypted to the carrier's key",
		Policy{Roles: roles(pa, ws, op), Warehouse: true}, s.createManifest)

	s.handle("GET", "/api/v1/carrier/manifests", "carrier", "The carrier's handover manifests", Policy{Roles: roles(ca), Scope: ScopeCarrier}, s.carrierManifests)
	s.handle("GET", "/api/v1/carrier/manifests/{manifest}", "carrier", "Download a manifest, encrypted to the carrier's public key",
		Policy{Roles: roles(ca), Scope: ScopeCarrier}, s.carrierManifest)
	s.handle("POST", "/api/v1/carrier/resolve", "carrier", "Resolve a virtual number and extension to the real phone (own, valid bindings only; rate-limited; audited)",
		Policy{Roles: roles(ca), Scope: ScopeCarrier}, s.resolveVirtualNumber)
	s.handle("POST", "/api/v1/carrier/events", "carrier", "Signed tracking webhook: picked_up, in_transit, delivered, failed",
		Policy{Roles: roles(ca), Scope: ScopeCarrier}, s.carrierEvent)
}
