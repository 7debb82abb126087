package httpapi_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
)

// TestAuditFailClosed: when the audit record cannot be written, the reveal
// returns no plaintext, an order is not created, and a page is not shown.
func TestAuditFailClosed(t *testing.T) {
	f := newFixture(t)
	raw, err := sql.Open("sqlite", "file:"+f.path)
	must(t, err)
	defer raw.Close()
	// The audit table refuses every insert, as a full disk or a broken
	// audit device would.
	if _, err := raw.Exec(`CREATE TRIGGER audit_down BEFORE INSERT ON audit_records BEGIN SELECT RAISE(ABORT, 'audit storage unavailable'); END`); err != nil {
		t.Fatal(err)
	}
	cs := f.tokens["customer_service"]
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", f.orderA), cs,
		`{"purpose":"delivery_exception","note":"courier lost"}`, "X-Yuncang-Device", "DESK-customer_service")
	if rec.Code != 500 {
		t.Fatalf("reveal with the audit log down: %d %s", rec.Code, rec.Body)
	}
	for _, pi := range []string{"13812345678", "欧阳娜娜", "工人北路"} {
		if strings.Contains(rec.Body.String(), pi) {
			t.Fatalf("plaintext left with the audit log down: %s", rec.Body)
		}
	}
	ma := f.tokens["merchant_admin@ta"]
	if rec := f.do(t, "POST", "/api/v1/orders", ma, orderJSON("FAIL-1", "13900001111")); rec.Code != 500 {
		t.Fatalf("order intake with the audit log down: %d", rec.Code)
	}
	if rec := f.do(t, "GET", "/api/v1/orders", ma, ""); rec.Code != 500 || strings.Contains(rec.Body.String(), "SEED-A") {
		t.Fatalf("order list with the audit log down: %d %s", rec.Code, rec.Body)
	}
	// Back up: nothing of the failed intake was stored.
	if _, err := raw.Exec(`DROP TRIGGER audit_down`); err != nil {
		t.Fatal(err)
	}
	rec = f.do(t, "GET", "/api/v1/orders", ma, "")
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "FAIL-1") {
		t.Fatalf("the failed order was stored: %d %s", rec.Code, rec.Body)
	}
}
