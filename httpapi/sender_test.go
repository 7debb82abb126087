package httpapi_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/httpapi"
)

// The sender routes in the authorization matrix (authz_test.go): like the
// warehouse's stock, per merchant and warehouse.
func init() {
	allowed["PUT /api/v1/warehouses/{warehouse}/sender"] = []string{pa, ws, ma}
	allowed["GET /api/v1/warehouses/{warehouse}/sender"] = []string{pa, ws, op, ma}
	for _, p := range []string{"PUT /api/v1/warehouses/{warehouse}/sender", "GET /api/v1/warehouses/{warehouse}/sender"} {
		tenantScoped = append(tenantScoped, p)
		warehouseScoped = append(warehouseScoped, p)
	}
}

// TestStoredSender: a merchant stores its sender for a warehouse once; a
// shipment request without one carries it (and its label shows it masked),
// one with its own sender keeps that, and without either the request is
// refused naming the sender. Another warehouse's or merchant's stored sender
// never fills in.
func TestStoredSender(t *testing.T) {
	needFont(t)
	pdftotext := needTool(t, "pdftotext", "poppler-utils")
	f := newWaybillFixture(t, false)
	const mer = "merchant_admin@ta"
	pid := f.weighedParcel(t, f.orderA)
	shipPath := fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/shipment?tenant=ta", pid)
	if rec := f.do(t, "POST", shipPath, f.tokens["operator"], `{}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"sender"`) {
		t.Fatalf("a shipment without a sender and none stored: %d %s", rec.Code, rec.Body)
	}
	var got httpapi.SenderAddressJSON
	f.api(t, 200, "GET", "/api/v1/warehouses/YW1/sender?tenant=ta", mer, "", &got)
	if got.Configured {
		t.Fatalf("a sender before any was stored: %+v", got)
	}
	// A bad phone is refused and changes nothing.
	if rec := f.do(t, "PUT", "/api/v1/warehouses/YW1/sender?tenant=ta", f.tokens[mer], `{"sender":{"name":"王小明","phone":"12","address":"浙江省金华市义乌市福田街道国际商贸城五区12号"}}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), "sender.phone") {
		t.Fatalf("a bad sender phone: %d %s", rec.Code, rec.Body)
	}
	f.api(t, 200, "GET", "/api/v1/warehouses/YW1/sender?tenant=ta", mer, "", &got)
	if got.Configured {
		t.Fatal("a refused sender was stored")
	}
	// Stored for another warehouse only: still refused in YW1.
	f.api(t, 200, "PUT", "/api/v1/warehouses/GZ1/sender?tenant=ta", "platform_admin", `{"sender":`+senderJSON+`}`, nil)
	if rec := f.do(t, "POST", shipPath, f.tokens["operator"], `{}`); rec.Code != 400 {
		t.Fatalf("another warehouse's sender filled in: %d %s", rec.Code, rec.Body)
	}
	f.api(t, 200, "PUT", "/api/v1/warehouses/YW1/sender?tenant=ta", mer, `{"sender":`+senderJSON+`}`, &got)
	if !got.Configured || got.Sender == nil || strings.Contains(got.Sender.Phone, "85123456") || strings.Contains(got.Sender.Name, "小明") {
		t.Fatalf("stored sender reads back %+v: want it configured and masked", got.Sender)
	}
	var sh httpapi.ShipmentJSON
	f.api(t, 201, "POST", shipPath, "operator", `{}`, &sh)
	res := f.label(t, sh.ID, "format=pdf")
	if res.code != 200 {
		t.Fatalf("label: %d %s", res.code, res.body)
	}
	file := filepath.Join(t.TempDir(), "label.pdf")
	must(t, os.WriteFile(file, res.body, 0o600))
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
	must(t, err)
	assertLabelText(t, string(out), sh.Waybill, false) // the stored sender, masked: 王**, 0579-******56
}
