package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/devicekey"
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
	"GET /metrics":                                                  {pa, so, au},
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
	"GET /api/v1/approvals":                                         {pa, so, ws, ma, au},
	"POST /api/v1/approvals/{id}/approve":                           {pa, so, ma},
	"POST /api/v1/approvals/{id}/reject":                            {pa, so, ma},
	"POST /api/v1/enrolment/redeem":                                 {"*"},
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
	"POST /api/v1/users/{id}/reenable":                              {pa, so, ma},
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

// matrixCarrierKey is a public key for carriers the matrix creates.
var matrixCarrierKey = func() string {
	id, _ := age.GenerateX25519Identity()
	return id.Recipient().String()
}()

// matrixDeviceKey is a fresh device public key (each device has its own).
func matrixDeviceKey() string {
	pub, _, _ := devicekey.Generate()
	return devicekey.EncodePublic(pub)
}

// sampleBody returns a valid body for a route and role.
func sampleBody(pattern, role string, n int) string {
	if f, ok := sampleBodies[pattern]; ok {
		return f(role, n)
	}
	switch pattern {
	case "POST /api/v1/login":
		return fmt.Sprintf(`{"username":"nobody-%d","password":"wrong-password-123"}`, n) // one miss per name: no lockout
	case "POST /api/v1/step-up":
		return `{"totp":"000000"}`
	case "POST /api/v1/users":
		if role == ma {
			return fmt.Sprintf(`{"username":"new-%d","role":"merchant_staff"}`, n)
		}
		return fmt.Sprintf(`{"username":"new-%d","role":"operator","warehouses":["YW1"],"employment_type":"temporary","end_at":"2026-12-10T00:00:00Z"}`, n)
	case "POST /api/v1/enrolment/redeem":
		return `{"code":"AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA","password":"Correct-Horse-Battery-9"}`
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
	case "POST /api/v1/warehouses/{warehouse}/devices":
		return fmt.Sprintf(`{"code":"DEV-%d","name":"station","kind":"packing_station","public_key":%q}`, n, matrixDeviceKey())
	case "POST /api/v1/office-devices":
		return fmt.Sprintf(`{"code":"DEV-%d","name":"desk","kind":"office_desk","public_key":%q,"assigned_to":"merchant_staff-ta"}`, n, matrixDeviceKey())
	case "POST /api/v1/tenants":
		return fmt.Sprintf(`{"code":"t%d","name":"new tenant"}`, n)
	case "POST /api/v1/warehouses":
		return fmt.Sprintf(`{"code":"W%d","name":"w","province_code":"33","city_code":"3307","district_code":"330782"}`, n)
	case "POST /api/v1/skus":
		return fmt.Sprintf(`{"code":"S%d","barcode":"1","name":"n","weight_g":1,"volume_cm3":1}`, n)
	case "PUT /api/v1/warehouses/{warehouse}/stock":
		return `{"sku":"SKU-1","on_hand":100000}`
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
	case "POST /api/v1/allocations", "POST /api/v1/warehouses/{warehouse}/waves", "POST /api/v1/parcels/{parcel}/delivered":
		return `{}`
	case "POST /api/v1/asns":
		return fmt.Sprintf(`{"warehouse":"YW1","ref":"ASN-S%d","lines":[{"sku":"SKU-1","expected":5}]}`, n)
	case "POST /api/v1/carriers":
		return fmt.Sprintf(`{"code":"C%d","name":"承运商","public_key":%q}`, n, matrixCarrierKey)
	case "POST /api/v1/carriers/{carrier}/segments":
		return fmt.Sprintf(`{"prefix":"9%05d","width":10,"first":1,"last":100}`, n)
	case "POST /api/v1/virtual-numbers":
		return fmt.Sprintf(`{"numbers":["171%08d"]}`, n)
	case "POST /api/v1/orders/{id}/status":
		return `{"status":"paid","reason":"payment_confirmed"}`
	case "POST /api/v1/warehouses/{warehouse}/asns/{asn}/receive":
		return `{"lines":[{"sku":"SKU-1","qty":1}]}`
	case "POST /api/v1/warehouses/{warehouse}/counts":
		return `{"locations":["A-01-1"],"lines":[{"location":"A-01-1","sku":"SKU-1","counted":0}]}`
	case "POST /api/v1/warehouses/{warehouse}/locations":
		return fmt.Sprintf(`{"locations":[{"zone":"B","aisle":"%d","bin":"1"}]}`, n)
	case "POST /api/v1/warehouses/{warehouse}/manifests":
		return `{"carrier":"ZTO"}`
	case "POST /api/v1/warehouses/{warehouse}/moves":
		return `{"sku":"SKU-1","to":"A-01-1","qty":1}`
	case "POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/pack":
		return `{"barcodes":["690001"]}`
	case "POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/weigh":
		return `{"gross_g":310,"tare_g":200}`
	case "POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/ship":
		return fmt.Sprintf(`{"waybill_no":"YT%010d"}`, n)
	case "POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/shipment", "PUT /api/v1/warehouses/{warehouse}/sender":
		return `{"sender":` + senderJSON + `}`
	case "POST /api/v1/warehouses/{warehouse}/shipments/{shipment}/void":
		return `{"reason":"damaged"}`
	case "PUT /api/v1/skus/{sku}/lot-tracking":
		return `{"lot_tracked":true}`
	case "POST /api/v1/data-requests":
		return `{"kind":"access","phone":"13812345678"}`
	case "POST /api/v1/data-requests/{id}/close":
		return `{"outcome":"refused","reason":"identity not verified"}`
	}
	return ""
}

// TestAuthorizationMatrix walks every route × every role (and no
// credentials) × own/other tenant × own/other warehouse × (for routes about
// one row) a row of the tenant and warehouse acted in or of the other ones,
// always real rows made fresh for the case, and expects exact statuses:
//
//   - allowed, own row: 2xx (okStatus lists the few routes whose sample
//     request is refused by the handler on purpose, with that exact status);
//   - no credentials: 401; a role the route does not allow, a merchant
//     naming another tenant, warehouse staff naming another warehouse: 403;
//   - allowed, but the row is another tenant's or warehouse's: 404 — the
//     row exists, and its existence is hidden — except a supervisor acting
//     on an account of another warehouse, which is 403 (accounts are not
//     hidden from administrators, only out of reach); platform-wide roles
//     reach rows everywhere (2xx).
//
// A 404 is never a denial: a widened policy shows up as the handler's 2xx
// (or 404 for a foreign row where 403 was due). TestMatrixCatchesWidenedPolicy
// proves it.
func TestAuthorizationMatrix(t *testing.T) {
	m := newMatrixFixture(t, nil)
	routes := m.srv.Routes()
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
		if slices.Contains(allowed[p], au) && rt.Method != "GET" && p != "POST /api/v1/logout" && p != "POST /api/v1/step-up" && !consoleSessionPage[p] {
			t.Errorf("route %s lets the auditor change something", p)
		}
	}
	for p := range allowed {
		if !slices.ContainsFunc(routes, func(r httpapi.Route) bool { return r.Pattern() == p }) {
			t.Errorf("matrix names %s, which is not a route", p)
		}
	}
	failures, cases := m.checkMatrix(t, nil)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("authorization matrix: %d routes, %d cases", len(routes)-1, cases)
	if cases < 2000 {
		t.Fatalf("only %d cases", cases)
	}
}

// okStatus is what an allowed request answers when the sample request is
// refused by the handler on purpose (it is still past the policy).
var okStatus = map[string]int{
	"POST /api/v1/login":   http.StatusUnauthorized, // the sample logs in with a wrong password
	"POST /api/v1/step-up": http.StatusUnauthorized, // the sample's one-time code is wrong
}

// knownGaps are cells where the server answers otherwise than the rule
// above, each a finding left to its owner. The matrix insists on the
// current answer so that a fix shows up here (remove the entry), and a
// change for the worse fails.
var knownGaps = map[string]int{}

// expected returns the status a case must answer (0: any 2xx) and why.
func expected(rt httpapi.Route, sc scene) (int, string) {
	p := rt.Pattern()
	roles := allowed[p]
	if slices.Contains(roles, "*") {
		return okStatus[p], "public"
	}
	if slices.Contains(roles, gatewayOnly) {
		if sc.key == "" {
			return http.StatusUnauthorized, "no gateway signature"
		}
		return http.StatusForbidden, "a bearer token on a gateway route"
	}
	switch {
	case sc.key == "":
		return http.StatusUnauthorized, "no credentials"
	case !slices.Contains(roles, sc.role):
		return http.StatusForbidden, "role not allowed"
	case rt.Policy.Tenant && yuncang.IsMerchantRole(sc.role) && sc.tenant != "ta":
		return http.StatusForbidden, "merchant names another tenant"
	case rt.Policy.Warehouse && yuncang.IsWarehouseScoped(sc.role) && sc.wh != "YW1":
		return http.StatusForbidden, "another warehouse"
	}
	if g, ok := knownGaps[p+" "+sc.role+" "+map[bool]string{true: "foreign", false: "own"}[sc.foreign]]; ok {
		return g, "known gap"
	}
	if !sc.foreign {
		return okStatus[p], "allowed"
	}
	switch {
	case rowKind(rt.Path) == "sku":
		// SKUs are named by code within the merchant: another merchant's
		// code answers as an unknown one does (400 naming the field).
		return http.StatusBadRequest, "another tenant's SKU code, as unknown"
	case rt.Policy.Tenant, rt.Policy.Warehouse:
		return http.StatusNotFound, "another tenant's or warehouse's row, hidden"
	case sc.role == yuncang.RoleMerchantAdmin:
		return http.StatusNotFound, "another tenant's row, hidden"
	case sc.role == yuncang.RoleWarehouseSupervisor && rowKind(rt.Path) == "user" && rt.Method == "GET":
		return http.StatusNotFound, "an account of another warehouse: hidden from lists and reads"
	case sc.role == yuncang.RoleWarehouseSupervisor && rowKind(rt.Path) == "user":
		return http.StatusForbidden, "an account of another warehouse: out of reach"
	case sc.role == yuncang.RoleWarehouseSupervisor:
		return http.StatusNotFound, "another warehouse's row, hidden"
	}
	return okStatus[p], "platform-wide role"
}

// checkMatrix runs the matrix (only the routes keep accepts, if given) and
// returns what differs from the expectations, and the number of cases.
func (m *matrixFixture) checkMatrix(t *testing.T, keep func(pattern string) bool) ([]string, int) {
	t.Helper()
	type actor struct{ key, role string }
	actors := []actor{{"", "anonymous"}}
	for _, role := range yuncang.Roles {
		if yuncang.IsMerchantRole(role) {
			actors = append(actors, actor{role + "@ta", role})
		} else {
			actors = append(actors, actor{role, role})
		}
	}
	docs := m.srv.OpenAPI()["paths"].(map[string]map[string]any)
	var failures []string
	cases := 0
	for _, rt := range m.srv.Routes() {
		p := rt.Pattern()
		if p == "POST /api/v1/logout" || keep != nil && !keep(p) {
			continue // logout revokes the session; covered by TestLogoutRevokes
		}
		tenants, whs, rows := []string{"ta"}, []string{"YW1"}, []bool{false}
		if rt.Policy.Tenant {
			tenants = append(tenants, "tb")
		}
		if strings.Contains(rt.Path, "{warehouse}") {
			whs = append(whs, "GZ1")
		}
		if hasForeign(rt.Path) {
			rows = append(rows, true)
		}
		for _, ac := range actors {
			for _, tenant := range tenants {
				for _, wh := range whs {
					for _, foreign := range rows {
						cases++
						sc := scene{role: ac.role, key: ac.key, tenant: tenant, wh: wh, foreign: foreign, n: cases}
						want, why := expected(rt, sc)
						path, body, headers := m.prepare(t, rt, sc)
						if rt.Policy.Tenant {
							path += map[bool]string{true: "&", false: "?"}[strings.Contains(path, "?")] + "tenant=" + tenant
						}
						rec := m.do(t, rt.Method, path, m.tokens[ac.key], body, headers...)
						what := fmt.Sprintf("%s as %s (tenant %s, warehouse %s, %s row)", p, ac.role, tenant, wh, map[bool]string{true: "foreign", false: "own"}[foreign])
						switch {
						case want == 0 && (rec.Code < 200 || rec.Code > 299):
							failures = append(failures, fmt.Sprintf("%s: status %d, want 2xx (%s): %s", what, rec.Code, why, strings.TrimSpace(rec.Body.String())))
						case want != 0 && rec.Code != want:
							failures = append(failures, fmt.Sprintf("%s: status %d, want %d (%s): %s", what, rec.Code, want, why, strings.TrimSpace(rec.Body.String())))
						case rec.Code < 300 && !rt.Policy.Page: // pages are not API operations
							checkDocumented(t, docs, rt, rec.Code, rec.Body.Bytes())
						}
					}
				}
			}
		}
	}
	return failures, cases
}

// TestMatrixCatchesWidenedPolicy widens DELETE /api/v1/tokens/{id} (and
// POST /api/v1/alerts/{id}/review) to every role in process, as a careless
// edit of routes.go would, and checks that the matrix reports every role
// that gained the route — the holes the old matrix, which took a 404 from a
// made-up id for a denial, did not see.
func TestMatrixCatchesWidenedPolicy(t *testing.T) {
	widened := map[string]bool{"DELETE /api/v1/tokens/{id}": true, "POST /api/v1/alerts/{id}/review": true}
	m := newMatrixFixture(t, func(c *httpapi.Config) {
		*c = httpapi.WithPolicyOverride(*c, func(pattern string, p httpapi.Policy) httpapi.Policy {
			if widened[pattern] {
				p.Roles = slices.Clone(yuncang.Roles)
				p.Scope = httpapi.ScopeAny
			}
			return p
		})
	})
	failures, _ := m.checkMatrix(t, func(p string) bool { return widened[p] })
	for p := range widened {
		for _, role := range yuncang.Roles {
			if slices.Contains(allowed[p], role) {
				continue
			}
			found := false
			for _, f := range failures {
				found = found || strings.HasPrefix(f, p+" as "+role+" ")
			}
			if !found {
				t.Errorf("the matrix did not notice %s opened to %s", p, role)
			}
		}
	}
	t.Logf("%d findings, e.g. %s", len(failures), failures[0])
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
	op, _ := docs[rt.Path][strings.ToLower(rt.Method)].(map[string]any)
	resp, ok := op["responses"].(map[string]any)[fmt.Sprint(status)].(map[string]any)
	if !ok {
		t.Errorf("%s: answers %d, which the OpenAPI document does not list", rt.Pattern(), status)
		return
	}
	var got map[string]json.RawMessage
	if json.Unmarshal(body, &got) != nil {
		return // not a JSON object (a label, a CSV export, metrics)
	}
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
