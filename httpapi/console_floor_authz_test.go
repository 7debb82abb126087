package httpapi_test

import "net/http"

// The floor pages in the authorization matrix: the API's floor rules
// (operators and supervisors in their own warehouses, platform
// administrators everywhere, on the merchant named with ?tenant=), and a
// label only from a packing station.
func init() {
	floor := []string{pa, ws, op}
	for _, p := range []string{"GET /floor/{warehouse}", "POST /floor/{warehouse}/waves", "GET /floor/{warehouse}/receive",
		"POST /floor/{warehouse}/receive/scan", "GET /floor/{warehouse}/putaway", "POST /floor/{warehouse}/putaway/scan",
		"GET /floor/{warehouse}/pick", "POST /floor/{warehouse}/pick/scan", "GET /floor/{warehouse}/pack",
		"POST /floor/{warehouse}/pack/scan", "POST /floor/{warehouse}/pack/weigh", "POST /floor/{warehouse}/pack/print"} {
		allowed[p] = floor
		tenantScoped = append(tenantScoped, p)
		warehouseScoped = append(warehouseScoped, p)
	}
	allowed["GET /floor"] = floor
	allowed["POST /floor/{warehouse}/pack/print"] = []string{ws, op}

	// The samples are refused by the rules, past the policy: a scan of
	// nothing (422 with the rule's message), a wave with nothing waiting
	// (422), a pick page naming no wave (400).
	for _, p := range []string{"POST /floor/{warehouse}/receive/scan", "POST /floor/{warehouse}/putaway/scan", "POST /floor/{warehouse}/pick/scan",
		"POST /floor/{warehouse}/pack/scan", "POST /floor/{warehouse}/pack/weigh", "POST /floor/{warehouse}/pack/print"} {
		pageJSONBody[p] = `{}`
		okStatus[p] = http.StatusUnprocessableEntity
	}
	okStatus["POST /floor/{warehouse}/waves"] = http.StatusUnprocessableEntity
	okStatus["GET /floor/{warehouse}/pick"] = http.StatusBadRequest
}
