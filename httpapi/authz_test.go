package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

const (
	pa = "platform_admin"
	so = "security_officer"
	ws = "warehouse_supervisor"
	op = "operator"
	cs = "customer_service"
	ma = "merchant_admin"
	ms = "merchant_staff"
	au = "auditor"
	ca = "carrier"
)

// allowed restates the access policy independently of routes.go: for every
// route, which roles may call it. A route missing here fails the test.
var allowed = map[string][]string{
	"GET /healthz":                                                  {"*"},
	"GET /metrics":                                                  {"*"},
	"GET /api/v1/openapi.json":                                      {"*"},
	"GET /api/v1/ping":                                              {"*"},
	"GET /api/v1/session":                                           {pa, so, ws, op, cs, ma, ms, au, ca},
	"POST /api/v1/login":                                            {"*"},
	"POST /api/v1/logout":                                           {pa, so, ws, op, cs, ma, ms, au, ca},
	"POST /api/v1/step-up":                                          {pa, so, ws, op, cs, ma, ms, au},
	"GET /api/v1/me":                                                {pa, so, ws, op, cs, ma, ms, au, ca},
	"POST /api/v1/users":                                            {pa, so, ws, ma},
	"GET /api/v1/users":                                             {pa, so, ws, ma},
	"GET /api/v1/users/{id}":                                        {pa, so, ws, ma},
	"POST /api/v1/users/{id}/offboard":                              {pa, so, ws, ma},
	"PUT /api/v1/users/{id}/role":                                   {pa, so},
	"PUT /api/v1/users/{id}/warehouses":                             {pa, so, ws},
	"PUT /api/v1/users/{id}/shift":                                  {pa, so, ws},
	"PUT /api/v1/users/{id}/end":                                    {pa, so, ws, ma},
	"POST /api/v1/users/{id}/totp":                                  {pa, so, ws, ma},
	"POST /api/v1/users/{id}/review":                                {pa, so, ws, ma},
	"GET /api/v1/access-review":                                     {pa, so, ws, ma, au},
	"POST /api/v1/tokens":                                           {pa, so, ma},
	"DELETE /api/v1/tokens/{id}":                                    {pa, so, ma},
	"POST /api/v1/warehouses/{warehouse}/devices":                   {pa, so, ws},
	"POST /api/v1/office-devices":                                   {ma},
	"GET /api/v1/devices":                                           {pa, so, ws, au},
	"POST /api/v1/devices/{id}/revoke":                              {pa, so, ws, ma},
	"GET /api/v1/audit/events":                                      {pa, so, au},
	"GET /api/v1/audit/checkpoint":                                  {pa, so, au},
	"GET /api/v1/audit/proof/inclusion":                             {pa, so, au},
	"GET /api/v1/audit/proof/consistency":                           {pa, so, au},
	"POST /api/v1/tenants":                                          {pa},
	"GET /api/v1/tenants":                                           {pa, so, au},
	"POST /api/v1/warehouses":                                       {pa},
	"GET /api/v1/warehouses":                                        {pa, so, ws, op, cs, ma, ms, au},
	"POST /api/v1/skus":                                             {pa, ma, ms},
	"GET /api/v1/skus":                                              {pa, ws, op, ma, ms},
	"GET /api/v1/stock":                                             {pa, ma, ms},
	"GET /api/v1/warehouses/{warehouse}/stock":                      {pa, ws, op, ma, ms},
	"PUT /api/v1/warehouses/{warehouse}/stock":                      {pa, ws, op},
	"POST /api/v1/orders":                                           {ma, ms},
	"POST /api/v1/orders/import":                                    {ma, ms},
	"GET /api/v1/orders":                                            {ma, ms, cs},
	"POST /api/v1/orders/search":                                    {ma, ms, cs},
	"GET /api/v1/orders/{id}":                                       {ma, ms, cs},
	"POST /api/v1/orders/{id}/reveal":                               {cs, ms},
	"GET /api/v1/alerts":                                            {pa, so, ws, au},
	"POST /api/v1/alerts/{id}/review":                               {pa, so, ws},
	"POST /api/v1/users/{id}/reenable":                              {pa, so},
	"POST /api/v1/quota-grants":                                     {pa, so, ws},
	"POST /api/v1/quota-grants/{id}/approve":                        {pa, so},
	"POST /api/v1/canaries":                                         {pa, so},
	"POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/shipment": {pa, ws, op},
}

// tenantScoped and warehouseScoped list the routes that act on one
// tenant's data or in one warehouse.
var tenantScoped = []string{"POST /api/v1/skus", "GET /api/v1/skus", "GET /api/v1/stock", "GET /api/v1/warehouses/{warehouse}/stock",
	"PUT /api/v1/warehouses/{warehouse}/stock", "POST /api/v1/office-devices", "POST /api/v1/orders", "POST /api/v1/orders/import",
	"GET /api/v1/orders", "POST /api/v1/orders/search", "GET /api/v1/orders/{id}", "POST /api/v1/orders/{id}/reveal", "POST /api/v1/canaries", "POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/shipment"}
var warehouseScoped = []string{"GET /api/v1/warehouses/{warehouse}/stock", "PUT /api/v1/warehouses/{warehouse}/stock", "POST /api/v1/warehouses/{warehouse}/devices",
	"POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/shipment"}

// target returns, for routes about one account or device, an id the role
// administers, so that only the policy can refuse.
func (f *fixture) target(pattern, role, wh string) string {
	switch {
	case strings.HasPrefix(pattern, "POST /api/v1/devices/"):
		return "0" // not found for everyone allowed: the policy decides before
	case strings.Contains(pattern, "/users/{id}"):
		switch role {
		case ma:
			return itoa(f.users["target-staff-ta"].ID)
		case ws:
			if wh == "other" {
				return itoa(f.users["target-op-gz"].ID)
			}
		}
		return itoa(f.users["target-op"].ID)
	case strings.Contains(pattern, "/orders/{id}"):
		return itoa(f.orderA)
	}
	return "999999" // any other {id}: not found, once the policy let the request through
}

// sampleBody returns a valid body for a route and role.
func sampleBody(pattern, role string, n int) string {
	switch pattern {
	case "POST /api/v1/login":
		return `{"username":"nobody","password":"wrong-password-123"}`
	case "POST /api/v1/step-up":
		return `{"totp":"000000"}`
	case "POST /api/v1/users":
		if role == ma {
			return fmt.Sprintf(`{"username":"new-%d","password":"Correct-Horse-%d-Battery","role":"merchant_staff"}`, n, n)
		}
		return fmt.Sprintf(`{"username":"new-%d","password":"Correct-Horse-%d-Battery","role":"operator","warehouses":["YW1"],"employment_type":"temporary","end_at":"2026-12-10T00:00:00Z"}`, n, n)
	case "POST /api/v1/users/{id}/offboard":
		return `{"reason":"contract ended"}`
	case "PUT /api/v1/users/{id}/role":
		return `{"role":"operator"}`
	case "PUT /api/v1/users/{id}/warehouses":
		return `{"warehouses":["YW1"]}`
	case "PUT /api/v1/users/{id}/shift":
		return `{"start":"00:00","end":"24:00","days":["mon","tue","wed","thu","fri","sat","sun"],"mode":"deny"}`
	case "PUT /api/v1/users/{id}/end":
		return `{"end_at":"2027-01-10T00:00:00Z"}`
	case "POST /api/v1/tokens":
		if role == ma {
			return `{"username":"merchant_staff-ta","label":"erp","ttl_hours":1,"scopes":["orders:write"]}`
		}
		return `{"username":"carrier","label":"x","ttl_hours":1,"scopes":["carrier"]}`
	case "POST /api/v1/warehouses/{warehouse}/devices", "POST /api/v1/office-devices":
		return fmt.Sprintf(`{"code":"DEV-%d","name":"station"}`, n)
	case "POST /api/v1/tenants":
		return fmt.Sprintf(`{"code":"t%d","name":"new tenant"}`, n)
	case "POST /api/v1/warehouses":
		return fmt.Sprintf(`{"code":"W%d","name":"w","province_code":"33","city_code":"3307","district_code":"330782"}`, n)
	case "POST /api/v1/skus":
		return fmt.Sprintf(`{"code":"S%d","barcode":"1","name":"n","weight_g":1,"volume_cm3":1}`, n)
	case "PUT /api/v1/warehouses/{warehouse}/stock":
		return `{"sku":"SKU-1","on_hand":10}`
	case "POST /api/v1/orders":
		return orderJSON(fmt.Sprintf("MX-%d", n), "13900001111")
	case "POST /api/v1/orders/search":
		return `{"phone":"13812345678"}`
	case "POST /api/v1/orders/{id}/reveal":
		return `{"purpose":"delivery_exception","note":"courier cannot find the door"}`
	case "POST /api/v1/alerts/{id}/review":
		return `{"decision":"dismissed","note":"checked with the agent"}`
	case "POST /api/v1/users/{id}/reenable":
		return `{"reason":"reviewed"}`
	case "POST /api/v1/quota-grants":
		return `{"username":"customer_service","extra":5,"reason":"peak day"}`
	case "POST /api/v1/canaries":
		return `{"count":1}`
	}
	return ""
}

// TestAuthorizationMatrix walks every route × every role (and no
// credentials) × own/other tenant × own/other warehouse and checks
// allow/deny against the table above. A denial is 401 without credentials,
// otherwise 403 — or 404 for a row the actor may not even know exists.
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	routes := f.srv.Routes()
	for _, rt := range routes {
		p := rt.Pattern()
		if _, ok := allowed[p]; !ok {
			t.Errorf("route %s has no entry in the authorization matrix test", p)
		}
		if got, want := rt.Policy.Tenant, slices.Contains(tenantScoped, p); got != want {
			t.Errorf("route %s: tenant-scoped = %v, want %v", p, got, want)
		}
		if got, want := rt.Policy.Warehouse, slices.Contains(warehouseScoped, p); got != want {
			t.Errorf("route %s: warehouse-scoped = %v, want %v", p, got, want)
		}
		if slices.Contains(allowed[p], au) && rt.Method != "GET" && p != "POST /api/v1/logout" && p != "POST /api/v1/step-up" {
			t.Errorf("route %s lets the auditor change something", p)
		}
	}
	for p := range allowed {
		if !slices.ContainsFunc(routes, func(r httpapi.Route) bool { return r.Pattern() == p }) {
			t.Errorf("matrix names %s, which is not a route", p)
		}
	}
	type actor struct{ key, role string }
	actors := []actor{{"", "anonymous"}}
	for _, role := range yuncang.Roles {
		if yuncang.IsMerchantRole(role) {
			actors = append(actors, actor{role + "@ta", role})
		} else {
			actors = append(actors, actor{role, role})
		}
	}
	docs := f.srv.OpenAPI()["paths"].(map[string]map[string]any)
	cases, n := 0, 0
	for _, rt := range routes {
		p := rt.Pattern()
		if p == "POST /api/v1/logout" {
			continue // revokes the session; covered by TestLogoutRevokes
		}
		for _, ac := range actors {
			for _, tenant := range []string{"own", "other"} {
				for _, wh := range []string{"own", "other"} {
					n++
					cases++
					// Every request goes out fresh: earlier ones may have changed the target.
					path := strings.NewReplacer("{id}", f.target(p, ac.role, wh), "{warehouse}", map[string]string{"own": "YW1", "other": "GZ1"}[wh]).Replace(rt.Path)
					if rt.Policy.Tenant {
						path += "?tenant=" + map[string]string{"own": "ta", "other": "tb"}[tenant]
					}
					var headers []string
					if rt.Policy.Device {
						dev := map[string]string{"own": "YW1-DESK", "other": "GZ1-DESK"}[wh]
						if slices.Contains(rt.Policy.DeviceKinds, yuncang.DeviceOfficeDesk) {
							dev = "DESK-" + ac.key // the actor's own desk
						}
						headers = []string{"X-Yuncang-Device", f.devices[dev]}
					}
					rec := f.do(t, rt.Method, path, f.tokens[ac.key], sampleBody(p, ac.role, n), headers...)
					roles := allowed[p]
					public := slices.Contains(roles, "*")
					ok := public || slices.Contains(roles, ac.role)
					if ok && !public && rt.Policy.Tenant && yuncang.IsMerchantRole(ac.role) && tenant == "other" {
						ok = false // a merchant may only name its own tenant
					}
					if ok && !public && (rt.Policy.Warehouse || strings.Contains(p, "/users/{id}")) && yuncang.IsWarehouseScoped(ac.role) && wh == "other" {
						ok = false // warehouse staff act only in their own warehouses
					}
					what := fmt.Sprintf("%s as %s (%s tenant, %s warehouse)", p, ac.role, tenant, wh)
					wrongCode := p == "POST /api/v1/step-up" && rec.Code == http.StatusUnauthorized
					switch {
					case !ok && ac.key == "" && rec.Code != http.StatusUnauthorized:
						t.Errorf("%s: status %d, want 401", what, rec.Code)
					case !ok && ac.key != "" && rec.Code != http.StatusForbidden && !(rec.Code == http.StatusNotFound && strings.Contains(p, "{id}")):
						t.Errorf("%s: status %d, want 403: %s", what, rec.Code, rec.Body)
					case ok && !wrongCode && (rec.Code == http.StatusUnauthorized && p != "POST /api/v1/login" || rec.Code == http.StatusForbidden):
						t.Errorf("%s: status %d, want allowed: %s", what, rec.Code, rec.Body)
					case ok && rec.Code >= 500:
						t.Errorf("%s: status %d: %s", what, rec.Code, rec.Body)
					case ok && rec.Code < 300:
						checkDocumented(t, docs, rt, rec.Code, rec.Body.Bytes())
					}
				}
			}
		}
	}
	t.Logf("authorization matrix: %d routes × %d actors × 2 tenants × 2 warehouses = %d cases", len(routes)-1, len(actors), cases)
	if cases < 1000 {
		t.Fatalf("only %d cases", cases)
	}
}

// TestSeparationOfDuties: no role both administers accounts and reveals
// personal data, and every role that does either needs a second factor.
func TestSeparationOfDuties(t *testing.T) {
	for _, r := range yuncang.Roles {
		if yuncang.CanAdminAccounts(r) && yuncang.CanRevealPI(r) {
			t.Errorf("role %s both administers accounts and reveals personal data", r)
		}
		if (yuncang.CanAdminAccounts(r) || yuncang.CanRevealPI(r)) && !yuncang.RequiresTOTP(r) {
			t.Errorf("role %s needs no second factor", r)
		}
		for _, target := range yuncang.Roles {
			if yuncang.CanManage(r, target) && !yuncang.CanAdminAccounts(r) {
				t.Errorf("%s manages %s without being an administrator", r, target)
			}
		}
	}
	if yuncang.CanManage(ms, ms) || yuncang.CanManage(ws, cs) || yuncang.CanManage(so, pa) || yuncang.CanManage(ma, op) {
		t.Error("an administrator reaches beyond its remit")
	}
}

// TestTenantIsolation checks that identifiers of another tenant's rows lead
// nowhere, even for a role that may read orders.
func TestTenantIsolation(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, "GET", fmt.Sprintf("/api/v1/orders/%d", f.orderB), f.tokens["merchant_admin@ta"], "")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("tenant a reading tenant b's order: %d", rec.Code)
	}
	rec = f.do(t, "GET", fmt.Sprintf("/api/v1/orders/%d?tenant=ta", f.orderB), f.tokens["customer_service"], "")
	if rec.Code != http.StatusNotFound {
		t.Fatalf("customer service reading tenant b's order under tenant a: %d", rec.Code)
	}
	rec = f.do(t, "POST", "/api/v1/orders/search", f.tokens["merchant_staff@tb"], `{"phone":"13812345678"}`)
	if rec.Code != 200 || strings.Count(rec.Body.String(), `"merchant_order_id"`) != 1 || strings.Contains(rec.Body.String(), "SEED-A") {
		t.Fatalf("tenant b phone search: %d %s", rec.Code, rec.Body)
	}
	rec = f.do(t, "POST", fmt.Sprintf("/api/v1/users/%d/offboard", f.users["target-staff-tb"].ID), f.tokens["merchant_admin@ta"], `{"reason":"x"}`)
	if rec.Code != http.StatusNotFound {
		t.Fatalf("merchant admin offboarding another tenant's staff: %d", rec.Code)
	}
	rec = f.do(t, "POST", "/api/v1/tokens", f.tokens["merchant_admin@ta"], `{"username":"merchant_staff-tb","scopes":["orders:read"]}`)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("token for another tenant's account: %d", rec.Code)
	}
	rec = f.do(t, "GET", "/api/v1/users", f.tokens["merchant_admin@ta"], "")
	if strings.Contains(rec.Body.String(), "-tb") || !strings.Contains(rec.Body.String(), "merchant_staff-ta") {
		t.Fatalf("merchant admin user list crosses tenants: %s", rec.Body)
	}
}

func TestLogoutRevokes(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens["merchant_staff@ta"]
	if rec := f.do(t, "POST", "/api/v1/logout", tok, ""); rec.Code != http.StatusNoContent {
		t.Fatalf("logout: %d", rec.Code)
	}
	if rec := f.do(t, "GET", "/api/v1/me", tok, ""); rec.Code != http.StatusUnauthorized {
		t.Fatalf("after logout: %d", rec.Code)
	}
}

// checkDocumented fails if a JSON object response has a top-level key the
// route's OpenAPI document does not name for that status.
func checkDocumented(t *testing.T, docs map[string]map[string]any, rt httpapi.Route, status int, body []byte) {
	t.Helper()
	var got map[string]json.RawMessage
	if json.Unmarshal(body, &got) != nil {
		return // not a JSON object (a label, a CSV export, metrics)
	}
	op, _ := docs[rt.Path][strings.ToLower(rt.Method)].(map[string]any)
	resp, _ := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	content, _ := resp["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	schema, _ := media["schema"].(map[string]any)
	props, _ := schema["properties"].(map[string]any)
	if _, free := schema["additionalProperties"]; free {
		return // documented as a free-form object
	}
	if props == nil {
		t.Errorf("%s: answers %d with a JSON object, but the OpenAPI document describes no object for it", rt.Pattern(), status)
		return
	}
	for k := range got {
		if _, ok := props[k]; !ok {
			t.Errorf("%s: response key %q is not in the OpenAPI document", rt.Pattern(), k)
		}
	}
}
