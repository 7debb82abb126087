package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/httpapi"
)

// TestOrderToDoorstep runs one order through the whole warehouse with the
// e-waybill joined in: stock, order, payment, planning (with the merchant's
// own carrier), wave, pick, pack scan, weigh, shipment with a waybill and a
// virtual number, label printed at the station, ship, and the carrier's
// signed "delivered" event closing both the shipment and the parcel, with
// the stock books balancing at every step.
func TestOrderToDoorstep(t *testing.T) {
	f := newWaybillFixture(t, true)
	const mer, oper = "merchant_admin@ta", "operator"
	cfg := `{"carriers":[{"code":"ZTO","name":"中通快递","max_weight_g":30000,"max_volume_cm3":150000,"cutoff":"18:00",
		"rates":[{"from":"*","to":"*","first_fen":800,"additional_fen":200,"days":2}]}],
		"penalties":{"extra_parcel_fen":150,"extra_warehouse_fen":300}}`
	f.api(t, 200, "PUT", "/api/v1/planning-config", mer, cfg, nil)
	f.api(t, 200, "PUT", "/api/v1/warehouses/YW1/stock?tenant=ta", oper, `{"sku":"SKU-1","on_hand":10}`, nil)
	f.balanced(t, "stock")
	id := f.createOrder(t, f.a, "DOOR-1")
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", id), mer, `{"status":"paid","reason":"payment_confirmed"}`, nil)
	f.api(t, 200, "POST", "/api/v1/allocations", mer, fmt.Sprintf(`{"order_ids":[%d]}`, id), nil)
	f.balanced(t, "allocation")

	var wave struct {
		ID    int64 `json:"id"`
		Picks []struct {
			Location string `json:"location"`
			SKU      string `json:"sku"`
			Qty      int    `json:"qty"`
		} `json:"picks"`
		Parcels []int64 `json:"parcels"`
	}
	f.api(t, 201, "POST", "/api/v1/warehouses/YW1/waves?tenant=ta", oper, `{}`, &wave)
	for _, p := range wave.Picks {
		f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/waves/%d/picks?tenant=ta", wave.ID), oper,
			fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, p.Location, p.SKU, p.Qty), nil)
	}
	if len(wave.Parcels) != 1 {
		t.Fatalf("wave parcels: %v", wave.Parcels)
	}
	pid := wave.Parcels[0]
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/pack?tenant=ta", pid), oper, `{"barcodes":["690001"]}`, nil)
	f.api(t, 409, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/shipment?tenant=ta", pid), oper, `{"sender":`+senderJSON+`}`, nil) // not weighed
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/weigh?tenant=ta", pid), oper, `{"gross_g":305,"tare_g":200}`, nil)
	f.balanced(t, "packed and weighed")

	var sh httpapi.ShipmentJSON
	f.api(t, 201, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/shipment?tenant=ta", pid), oper, `{"sender":`+senderJSON+`}`, &sh)
	if sh.Waybill == "" || sh.Carrier != "ZTO" || sh.OrderID != id {
		t.Fatalf("shipment = %+v", sh)
	}
	if l := f.label(t, sh.ID, "format=zpl"); l.code != 200 || !strings.Contains(string(l.body), sh.Waybill) || strings.Contains(string(l.body), "13812345678") {
		t.Fatalf("label: %d", l.code)
	}
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/ship?tenant=ta", pid), oper, fmt.Sprintf(`{"waybill_no":%q}`, sh.Waybill), nil)
	f.balanced(t, "shipped")

	f.handOver(t, sh.Waybill)
	for _, st := range []string{"picked_up", "in_transit", "delivered"} {
		if r := f.webhook(t, "EV-"+st, sh.Waybill, st, 0, false); r.code != 200 {
			t.Fatalf("webhook %s: %d %s", st, r.code, r.body)
		}
	}
	var ful struct {
		Status  string `json:"status"`
		Parcels []struct {
			Status string `json:"status"`
		} `json:"parcels"`
	}
	rec := f.do(t, "GET", fmt.Sprintf("/api/v1/orders/%d/fulfilment", id), f.tokens[mer], "")
	json.Unmarshal(rec.Body.Bytes(), &ful)
	if ful.Status != "delivered" || len(ful.Parcels) != 1 || ful.Parcels[0].Status != "delivered" {
		t.Fatalf("after the carrier's delivery: %s", rec.Body)
	}
	f.balanced(t, "delivered")
	// Binding the recipient's phone to the shipment is on the audit record.
	if evs := events(t, f.fixture, "shipment_create"); len(evs) != 1 || !strings.Contains(strings.Join(evs[0].Targets, " "), sh.Waybill) {
		t.Fatalf("shipment_create events: %+v", evs)
	}
}
