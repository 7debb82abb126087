package httpapi_test

import "net/http"

// The supervisor's pages in the authorization matrix: supervisors only
// (the API also lets platform administrators and security officers see
// and review alerts; their own pages do that).
func init() {
	for _, p := range []string{"GET /supervisor", "GET /supervisor/alerts", "POST /supervisor/alerts/review"} {
		allowed[p] = []string{ws}
	}
	// The sample review names no alert and no decision: refused by the
	// API's rule (422 with the field), past the policy.
	okStatus["POST /supervisor/alerts/review"] = http.StatusUnprocessableEntity
}
