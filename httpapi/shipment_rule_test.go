package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"
)

// TestShipmentOnlyForWeighedParcels: an operator cannot bind a recipient's
// phone to a waybill for an order the warehouse never handled. The direct
// shipment route is gone; the parcel route takes only a parcel of the
// named merchant, in this warehouse, picked, packed and weighed, once.
func TestShipmentOnlyForWeighedParcels(t *testing.T) {
	f := newWaybillFixture(t, true)
	body := func(orderID int64) string {
		return fmt.Sprintf(`{"order_id":%d,"carrier":"ZTO","weight_g":1250,"sender":%s}`, orderID, senderJSON)
	}
	// Unpaid, unallocated orders of its own merchant and of another: the
	// old direct route created shipments for both.
	for _, c := range []struct {
		tenant string
		order  int64
	}{{"ta", f.orderA}, {"tb", f.orderB}} {
		rec := f.do(t, "POST", "/api/v1/warehouses/YW1/shipments?tenant="+c.tenant, f.tokens["operator"], body(c.order))
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			t.Fatalf("direct shipment of an unpaid order of %s: %d %s", c.tenant, rec.Code, rec.Body)
		}
	}
	send := func(pid int64, tenant, wh string) int {
		return f.do(t, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/shipment?tenant=%s", wh, pid, tenant), f.tokens["operator"],
			`{"sender":`+senderJSON+`}`).Code
	}
	// An allocated but not yet weighed parcel: refused.
	id := f.createOrder(t, f.a, "RULE-1")
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", id), "merchant_admin@ta", `{"status":"paid","reason":"payment_confirmed"}`, nil)
	f.api(t, 200, "POST", "/api/v1/allocations", "merchant_admin@ta", fmt.Sprintf(`{"order_ids":[%d]}`, id), nil)
	var wave struct {
		Parcels []int64 `json:"parcels"`
	}
	f.api(t, 201, "POST", "/api/v1/warehouses/YW1/waves?tenant=ta", "operator", `{}`, &wave)
	if got := send(wave.Parcels[0], "ta", "YW1"); got != http.StatusConflict {
		t.Fatalf("shipment of an unpicked parcel: %d", got)
	}

	pid := f.weighedParcel(t, f.createOrder(t, f.a, "RULE-2"))
	if got := send(pid, "tb", "YW1"); got != http.StatusNotFound {
		t.Fatalf("shipment of another merchant's parcel: %d", got)
	}
	if got := f.do(t, "POST", fmt.Sprintf("/api/v1/warehouses/GZ1/parcels/%d/shipment?tenant=ta", pid), f.tokens["platform_admin"],
		`{"sender":`+senderJSON+`}`).Code; got != http.StatusNotFound {
		t.Fatalf("shipment of a parcel from another warehouse: %d", got)
	}
	if got := send(pid, "ta", "YW1"); got != http.StatusCreated {
		t.Fatalf("shipment of a weighed parcel: %d", got)
	}
	if got := send(pid, "ta", "YW1"); got != http.StatusConflict {
		t.Fatalf("second shipment of the same parcel: %d", got)
	}
	if n := len(events(t, f.fixture, "shipment_create")); n != 1 {
		t.Fatalf("%d shipments on record, want 1", n)
	}
}
