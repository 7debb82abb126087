package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// TestApprovalCreatedAt: every kind of four-eyes request answers 202 with
// the time it was requested, and the queue shows the same time, never the
// zero time; the request expires a day later. The console's queue shows
// the approver when each request was made and when it expires (it showed
// neither, so an approver could not tell a fresh request from a stale one).
func TestApprovalCreatedAt(t *testing.T) {
	f := newFixture(t)
	so, pa := f.tokens["security_officer"], f.tokens["platform_admin"]
	must(t, f.db.Disable(t.Context(), f.users["customer_service"].ID, "suspended by the guard: test", f.clock.Now(), nil))
	gz := fmt.Sprintf("/api/v1/users/%d/shift", f.users["target-op-gz"].ID)
	if rec := f.do(t, "PUT", gz, so, `{"start":"08:00","end":"18:00","days":["mon"],"mode":"deny"}`); rec.Code != http.StatusOK {
		t.Fatalf("day shift: %d %s", rec.Code, rec.Body)
	}
	requests := []struct{ name, method, path, token, body string }{
		{"new account", "POST", "/api/v1/users", so, `{"username":"cs-new","role":"customer_service"}`},
		{"role", "PUT", fmt.Sprintf("/api/v1/users/%d/role", f.users["target-op"].ID), so, `{"role":"customer_service"}`},
		{"shift", "PUT", gz, so, `{"start":"08:00","end":"23:00","days":["mon"],"mode":"deny"}`},
		{"token", "POST", "/api/v1/tokens", f.tokens["merchant_admin@ta"], `{"username":"merchant_staff-ta","label":"erp","ttl_hours":24,"scopes":["orders:read"]}`},
		{"re-enable", "POST", fmt.Sprintf("/api/v1/users/%d/reenable", f.users["customer_service"].ID), so, `{"reason":"false alarm"}`},
		{"carrier", "POST", "/api/v1/carriers", pa, fmt.Sprintf(`{"code":"ZT","name":"中通","public_key":%q}`, matrixCarrierKey)},
	}
	at := map[int64]time.Time{}
	for _, r := range requests {
		f.clock.Advance(20 * time.Second) // within the step-up window
		rec := f.do(t, r.method, r.path, r.token, r.body)
		if rec.Code != http.StatusAccepted {
			t.Fatalf("%s: %d %s", r.name, rec.Code, rec.Body)
		}
		ap := decode[httpapi.ApprovalRequestedJSON](t, rec.Body.Bytes()).Approval
		if !ap.CreatedAt.Equal(f.clock.Now()) || !ap.ExpiresAt.Equal(f.clock.Now().Add(yuncang.ApprovalTTL)) {
			t.Errorf("%s answered created_at %v, expires_at %v; requested at %v", r.name, ap.CreatedAt, ap.ExpiresAt, f.clock.Now())
		}
		at[ap.ID] = f.clock.Now()
	}
	list := decode[struct{ Items []httpapi.ApprovalJSON }](t, f.do(t, "GET", "/api/v1/approvals?status=pending", pa, "").Body.Bytes())
	if len(list.Items) != len(requests) {
		t.Fatalf("%d pending, want %d", len(list.Items), len(requests))
	}
	for _, ap := range list.Items {
		if !ap.CreatedAt.Equal(at[ap.ID]) || ap.DecidedAt != nil {
			t.Errorf("queue shows request %d (%s) created_at %v decided_at %v, want %v", ap.ID, ap.Kind, ap.CreatedAt, ap.DecidedAt, at[ap.ID])
		}
	}
	page := f.do(t, "GET", "/security/approvals", "", "", "Cookie", httpapi.SessionCookie+"="+f.pages["platform_admin"])
	if page.Code != http.StatusOK {
		t.Fatalf("console queue: %d", page.Code)
	}
	body := page.Body.String()
	cst := time.FixedZone("CST", 8*3600)
	for id, when := range at {
		row := fmt.Sprintf(`<tr id="approval-%d">`, id)
		i := strings.Index(body, row)
		if i < 0 {
			t.Fatalf("console queue lacks request %d", id)
		}
		tail := body[i:]
		tail = tail[:strings.Index(tail, "</tr>")]
		for _, want := range []string{`<td class="requested">` + when.In(cst).Format("2006-01-02 15:04") + `</td>`,
			`<td class="expires">` + when.Add(yuncang.ApprovalTTL).In(cst).Format("2006-01-02 15:04") + `</td>`} {
			if !strings.Contains(tail, want) {
				t.Errorf("console row of request %d lacks %s", id, want)
			}
		}
	}
	if strings.Contains(body, "0001-01-01") {
		t.Error("console queue shows the zero time")
	}
}
