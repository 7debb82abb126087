package httpapi

// registerInventoryRoutes declares the warehouse operations endpoints:
// locations, ASNs, receiving, putaway, stock ledger, waves, picking,
// packing, shipping and analytics.
func (s *Server) registerInventoryRoutes() {}
