package httpapi_test

// The e-waybill routes in the authorization matrix (authz_test.go).
func init() {
	for p, rs := range map[string][]string{
		"POST /api/v1/carriers":                                         {pa},
		"GET /api/v1/carriers":                                          {pa, so, ws, au},
		"POST /api/v1/carriers/{carrier}/segments":                      {pa},
		"GET /api/v1/carriers/{carrier}/segments":                       {pa, so, au},
		"POST /api/v1/virtual-numbers":                                  {pa},
		"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}":       {pa, ws, op},
		"POST /api/v1/warehouses/{warehouse}/shipments/{shipment}/void": {pa, ws},
		"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}/label": {ws, op},
		"POST /api/v1/warehouses/{warehouse}/labels":                    {ws, op},
		"POST /api/v1/warehouses/{warehouse}/manifests":                 {pa, ws, op},
		"GET /api/v1/carrier/manifests":                                 {ca},
		"GET /api/v1/carrier/manifests/{manifest}":                      {ca},
		"POST /api/v1/carrier/resolve":                                  {ca},
		"POST /api/v1/carrier/events":                                   {ca},
	} {
		allowed[p] = rs
	}
	warehouseScoped = append(warehouseScoped,
		"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}",
		"POST /api/v1/warehouses/{warehouse}/shipments/{shipment}/void",
		"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}/label",
		"POST /api/v1/warehouses/{warehouse}/labels",
		"POST /api/v1/warehouses/{warehouse}/manifests")
}
