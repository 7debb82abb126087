package httpapi_test

import "net/http"

// The security officer's pages in the authorization matrix.
func init() {
	allowed["GET /security/alerts"] = []string{pa, so}
	allowed["POST /security/alerts/review"] = []string{pa, so}
	allowed["GET /security/access"] = []string{pa, so, au}
	allowed["POST /security/offboard"] = []string{pa, so}
	// The samples name no alert and no account, and carry no confirmation:
	// refused by the rules (422 naming the field), past the policy.
	okStatus["POST /security/alerts/review"] = http.StatusUnprocessableEntity
	okStatus["POST /security/offboard"] = http.StatusUnprocessableEntity
}

func init() {
	allowed["GET /security/approvals"] = []string{pa, so}
	allowed["POST /security/approvals"] = []string{pa, so}
	// The sample names no request and no decision: 422, past the policy.
	okStatus["POST /security/approvals"] = http.StatusUnprocessableEntity
}

func init() { allowed["GET /security/guard"] = []string{pa, so, au} }
