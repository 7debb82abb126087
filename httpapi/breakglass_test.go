package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestOnlyOfficerSuspended: with one platform admin and one security
// officer, a suspended officer cannot come back over the API (the admin's
// request has no second person to approve it), which is why the command
// line has a break glass (`yuncang user reenable --break-glass`, tested in
// cmd/yuncang). The alert that break glass raises is then reviewed by
// someone else: nobody reviews an alert about their own account.
func TestOnlyOfficerSuspended(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	so := f.users["security_officer"]
	must(t, f.db.Disable(ctx, so.ID, "suspended by the guard: test", f.clock.Now(), nil))
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/reenable", so.ID), f.tokens["platform_admin"], `{"reason":"false alarm"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("re-enable request: %d %s", rec.Code, rec.Body)
	}
	id := decode[requested](t, rec.Body.Bytes()).Approval.ID
	for _, who := range []string{"platform_admin", "security_officer"} {
		if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", id), f.tokens[who], `{}`); rec.Code == http.StatusOK {
			t.Fatalf("%s approved the officer's return alone", who)
		}
	}

	// Back by break glass (as the command does), with its alert.
	must(t, f.db.Reenable(ctx, so.ID, nil))
	al := &yuncang.Alert{At: f.clock.Now(), UserID: so.ID, Username: so.Username, Role: so.Role, Rule: "break_glass", Severity: "alert",
		Response: "re-enabled on the command line", Detail: "test"}
	must(t, f.db.RecordAlert(ctx, al, nil))
	body := `{"decision":"dismissed","note":"it was me"}`
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/alerts/%d/review", al.ID), f.freshSession(t, "security_officer"), body); rec.Code != http.StatusForbidden {
		t.Fatalf("the officer reviewed the alert about himself: %d %s", rec.Code, rec.Body)
	}
	if got, _ := f.db.Alert(ctx, al.ID); got.Status != yuncang.AlertOpen {
		t.Fatalf("a refused review changed the alert: %+v", got)
	}
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/alerts/%d/review", al.ID), f.tokens["platform_admin"], `{"decision":"confirmed","note":"checked with the officer"}`); rec.Code != http.StatusOK {
		t.Fatalf("review by another person: %d %s", rec.Code, rec.Body)
	}
}
