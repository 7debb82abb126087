package yuncang

// ShipmentService stores carriers, waybill numbers, shipments, virtual
// numbers and tracking (the privacy e-waybill issue fills it in).
type ShipmentService interface{}
