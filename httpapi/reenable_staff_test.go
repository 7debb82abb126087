package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestSuspendedMerchantStaffCanBeReenabled: the guard's suspension message
// says a security officer or platform administrator re-enables the account,
// but for merchant staff both got 403 ("your role may not administer this
// account") and the merchant admin 403 ("your role may not do this"): a
// suspended merchant staff account could never come back. Now each of them
// may ask, and a second, different person approves, as for every account
// that could reveal.
func TestSuspendedMerchantStaffCanBeReenabled(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	staff := f.users["merchant_staff-ta"]
	path := fmt.Sprintf("/api/v1/users/%d/reenable", staff.ID)
	for _, c := range []struct{ requester, approver string }{
		{"platform_admin", "security_officer"},
		{"security_officer", "platform_admin"},
		{"merchant_admin@ta", "security_officer"},
	} {
		must(t, f.db.Disable(ctx, staff.ID, "suspended: scope_probing", f.clock.Now(), nil))
		// Another merchant's admin does not see the account.
		if rec := f.do(t, "POST", path, f.tokens["merchant_admin@tb"], `{"reason":"reviewed"}`); rec.Code != http.StatusNotFound {
			t.Fatalf("other merchant's admin: %d %s", rec.Code, rec.Body)
		}
		rec := f.do(t, "POST", path, f.tokens[c.requester], `{"reason":"reviewed with the agent"}`)
		if rec.Code != http.StatusAccepted {
			t.Fatalf("%s asks to re-enable merchant staff: %d %s", c.requester, rec.Code, rec.Body)
		}
		id := decode[requested](t, rec.Body.Bytes()).Approval.ID
		if u, _ := f.db.UserByID(ctx, staff.ID); u.Status != yuncang.UserDisabled {
			t.Fatalf("re-enabled by %s alone: %s", c.requester, u.Status)
		}
		if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/approvals/%d/approve", id), f.tokens[c.requester], ""); rec.Code != http.StatusForbidden {
			t.Fatalf("%s approved its own request: %d", c.requester, rec.Code)
		}
		f.approve(t, c.approver, id)
		if u, _ := f.db.UserByID(ctx, staff.ID); u.Status != yuncang.UserActive {
			t.Fatalf("after %s's approval: %s (%s)", c.approver, u.Status, u.DisabledReason)
		}
	}
	admin := f.users["merchant_admin-ta"]
	must(t, f.db.Disable(ctx, admin.ID, "suspended: night", f.clock.Now(), nil))
	// A merchant admin too, by a security officer, with a second person.
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/reenable", admin.ID), f.tokens["security_officer"], `{"reason":"reviewed"}`)
	if rec.Code != http.StatusAccepted {
		t.Fatalf("security officer asks to re-enable a merchant admin: %d %s", rec.Code, rec.Body)
	}
	f.approve(t, "platform_admin", decode[requested](t, rec.Body.Bytes()).Approval.ID)
	if u, _ := f.db.UserByID(ctx, admin.ID); u.Status != yuncang.UserActive {
		t.Fatalf("merchant admin after approval: %s", u.Status)
	}
	// Nobody re-enables their own account.
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/reenable", f.users["security_officer"].ID), f.tokens["security_officer"], `{"reason":"me"}`); rec.Code != http.StatusForbidden {
		t.Fatalf("own account: %d %s", rec.Code, rec.Body)
	}
}
