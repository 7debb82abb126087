package httpapi_test

import "net/http"

// The platform administrator's page in the authorization matrix.
func init() {
	allowed["GET /admin"] = []string{pa}
	allowed["POST /admin/merchants"] = []string{pa}
	allowed["POST /admin/warehouses"] = []string{pa}
	// The samples carry no code or name: refused by the rules (422), past the policy.
	okStatus["POST /admin/merchants"] = http.StatusUnprocessableEntity
	okStatus["POST /admin/warehouses"] = http.StatusUnprocessableEntity
}
