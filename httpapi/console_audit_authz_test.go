package httpapi_test

import "net/http"

// The audit viewer in the authorization matrix: the API's audit roles.
func init() {
	allowed["GET /audit"] = []string{pa, so, au}
	allowed["GET /audit/proof"] = []string{pa, so, au}
	// The sample names no record: refused by the API's rule (400), past the policy.
	okStatus["GET /audit/proof"] = http.StatusBadRequest
}

func init() {
	allowed["GET /audit/export"] = []string{pa, so, au}
	// The sample names no format: refused (400 naming the field), past the policy.
	okStatus["GET /audit/export"] = http.StatusBadRequest
}
