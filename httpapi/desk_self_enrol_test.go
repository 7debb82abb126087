package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/devicekey"
)

// TestNobodyEnrolsTheirOwnDesk: a merchant admin enrolled an office desk
// for itself (201 after a step-up only), recorded a correction request and
// closed it as corrected, rewriting an order's recipient alone. Now nobody
// enrols their own office desk, a desk its own user enrolled (before this
// rule) does not serve them, and a correction is closed by someone other
// than whoever recorded it.
func TestNobodyEnrolsTheirOwnDesk(t *testing.T) {
	f := newFixture(t)
	ma := f.tokens["merchant_admin@ta"]
	desk := func(code, assignee string) string {
		pub, _, err := devicekey.Generate()
		must(t, err)
		return fmt.Sprintf(`{"code":%q,"name":"office pc","kind":"office_desk","public_key":%q,"assigned_to":%q}`, code, devicekey.EncodePublic(pub), assignee)
	}
	if rec := f.do(t, "POST", "/api/v1/office-devices", ma, desk("BOSS-PC", "merchant_admin-ta")); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "for themselves") {
		t.Fatalf("a merchant admin enrolled its own desk: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "POST", "/api/v1/office-devices", ma, desk("STAFF-PC", "merchant_staff-ta")); rec.Code != http.StatusCreated {
		t.Fatalf("a desk for a colleague: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "POST", "/api/v1/warehouses/YW1/devices", f.tokens["warehouse_supervisor"], desk("SUP-PC", "warehouse_supervisor")); rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "for themselves") {
		t.Fatalf("a supervisor enrolled its own desk: %d %s", rec.Code, rec.Body)
	}

	// A desk its own user enrolled before the rule does not serve them.
	cs := f.users["customer_service"]
	pub, priv, err := devicekey.Generate()
	must(t, err)
	own := &yuncang.Device{Code: "CS-OWN-PC", Kind: yuncang.DeviceOfficeDesk, AssignedTo: cs.ID, WarehouseID: f.yw.ID, PublicKey: pub, EnrolledBy: cs.ID}
	must(t, f.db.EnrolDevice(context.Background(), own))
	f.signers["CS-OWN-PC"] = &devicekey.Signer{DeviceID: own.ID, Key: priv, Now: f.clock.Now}
	id := f.createOrder(t, f.a, "SELF-1")
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", id), f.tokens["customer_service"],
		`{"purpose":"customer_callback","note":"customer asked"}`, "X-Yuncang-Device", "CS-OWN-PC")
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "enrolled this office desk yourself") {
		t.Fatalf("reveal from a self-enrolled desk: %d %s", rec.Code, rec.Body)
	}
	if rec := f.reveal(t, f.tokens["customer_service"], id); rec.Code != http.StatusOK {
		t.Fatalf("reveal from the desk another person enrolled: %d %s", rec.Code, rec.Body)
	}
}
