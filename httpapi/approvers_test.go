package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestApproverRefusalNamesWhoMay: a security officer asked to approve a new
// security officer is refused with who may approve it (it said only "your
// role may not approve changes to this kind of account").
func TestApproverRefusalNamesWhoMay(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, "POST", "/api/v1/users", f.tokens["platform_admin"], `{"username":"sec2","role":"security_officer"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("request a security officer: %d %s", rec.Code, rec.Body)
	}
	id := decode[requested](t, rec.Body.Bytes()).Approval.ID
	rec = f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", id), f.tokens["security_officer"], "")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "a security_officer account: a platform_admin (not the one who asked) approves it") {
		t.Fatalf("security officer approving a security officer: %d %s", rec.Code, rec.Body)
	}
}
