package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
)

// The print routes in the authorization matrix (authz_test.go). The
// gateway's own routes are for no role: a bearer token is refused (403)
// and no credentials at all is 401; the gateway's signed requests are
// tested in print_test.go.
func init() {
	for p, rs := range map[string][]string{
		"POST /api/v1/warehouses/{warehouse}/printers":               {pa, ws},
		"GET /api/v1/warehouses/{warehouse}/printers":                {pa, so, ws, op, au},
		"DELETE /api/v1/warehouses/{warehouse}/printers/{printer}":   {pa, ws},
		"POST /api/v1/warehouses/{warehouse}/print-jobs":             {ws, op},
		"GET /api/v1/warehouses/{warehouse}/print-jobs/{job}":        {ws, op},
		"POST /api/v1/warehouses/{warehouse}/print-jobs/{job}/retry": {ws, op},
		"POST /api/v1/gateway/register":                              {gatewayOnly},
		"GET /api/v1/gateway/jobs":                                   {gatewayOnly},
		"POST /api/v1/gateway/jobs/{job}/result":                     {gatewayOnly},
		"POST /api/v1/gateway/results":                               {gatewayOnly},
	} {
		allowed[p] = rs
	}
	warehouseScoped = append(warehouseScoped,
		"POST /api/v1/warehouses/{warehouse}/printers",
		"GET /api/v1/warehouses/{warehouse}/printers",
		"DELETE /api/v1/warehouses/{warehouse}/printers/{printer}",
		"POST /api/v1/warehouses/{warehouse}/print-jobs",
		"GET /api/v1/warehouses/{warehouse}/print-jobs/{job}",
		"POST /api/v1/warehouses/{warehouse}/print-jobs/{job}/retry")
	// A fresh job is queued, not failed: retrying it is refused as such.
	okStatus["POST /api/v1/warehouses/{warehouse}/print-jobs/{job}/retry"] = http.StatusConflict
}

// gatewayOnly marks a route no role may call (print gateways sign instead).
const gatewayOnly = "gateway"

// gateway enrols a print gateway in the warehouse and registers its
// sealing key with a request it signs; it returns the device id and code.
func (m *matrixFixture) gateway(t *testing.T, wh string) (int64, string) {
	t.Helper()
	code := fmt.Sprintf("GW-%s-%d", wh, m.next())
	d := &yuncang.Device{Kind: yuncang.DevicePrintGateway, WarehouseID: m.warehouse(wh).ID}
	m.enrol(t, code, d)
	id, err := age.GenerateX25519Identity()
	must(t, err)
	m.setup(t, 200, "POST", "/api/v1/gateway/register", "", fmt.Sprintf(`{"recipient":%q}`, id.Recipient().String()), nil, "X-Yuncang-Device", code)
	return d.ID, code
}

// printer registers a fresh printer in the warehouse, with its gateway.
func (m *matrixFixture) printer(t *testing.T, wh string) int64 {
	t.Helper()
	gw, _ := m.gateway(t, wh)
	var p struct{ ID int64 }
	m.setup(t, 201, "POST", "/api/v1/warehouses/"+wh+"/printers", "platform_admin",
		fmt.Sprintf(`{"name":"P%d","language":"zpl","addr":"10.0.0.50:9100","gateway_id":%d}`, m.next(), gw), &p)
	return p.ID
}

// printJob queues a job in the warehouse, asked for by its operator at its
// pack station.
func (m *matrixFixture) printJob(t *testing.T, sc scene) int64 {
	t.Helper()
	wh := sc.rowWarehouse()
	pr := m.printer(t, wh)
	sh := m.shipment(t, scene{tenant: "ta", wh: wh}, false)
	op, dev := "operator", "YW1-DESK"
	if wh == "GZ1" {
		op, dev = "operator@GZ1", "GZ1-DESK"
	}
	var j struct{ ID int64 }
	m.setup(t, 202, "POST", "/api/v1/warehouses/"+wh+"/print-jobs", op, fmt.Sprintf(`{"printer_id":%d,"shipment_ids":[%d]}`, pr, sh.ID), &j,
		"X-Yuncang-Device", m.devices[dev])
	return j.ID
}
