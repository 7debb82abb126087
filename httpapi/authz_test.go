package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/storetest"
)

// fixture is a server over a real SQLite database with two tenants and one
// account of every role (merchant roles in both tenants).
type fixture struct {
	db     *sqlstore.DB
	srv    *httpapi.Server
	auth   *auth.Authenticator
	a, b   *yuncang.Tenant
	tokens map[string]string // "role" or "role@tenant" -> bearer token
	orderA int64             // an order of tenant a
	orderB int64             // an order of tenant b
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "y.db"), storetest.NewMasterKeys(t, "k1"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, auth: auth.New(db), tokens: map[string]string{}}
	f.srv = httpapi.New(httpapi.Config{Store: db, Auth: f.auth, Version: "test"})
	f.a = &yuncang.Tenant{Code: "ta", Name: "Tenant A"}
	f.b = &yuncang.Tenant{Code: "tb", Name: "Tenant B"}
	for _, tn := range []*yuncang.Tenant{f.a, f.b} {
		must(t, db.CreateTenant(ctx, tn))
		must(t, db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "SKU-1", Barcode: "690001", Name: "x", WeightG: 100, VolumeCM3: 100}))
	}
	must(t, db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "YW1", Name: "义乌", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"}))
	for _, role := range yuncang.Roles {
		tenants := []*yuncang.Tenant{nil}
		if yuncang.IsMerchantRole(role) {
			tenants = []*yuncang.Tenant{f.a, f.b}
		}
		for _, tn := range tenants {
			u := &yuncang.User{Username: role, Role: role}
			key := role
			if tn != nil {
				u.TenantID = tn.ID
				u.Username = role + "-" + tn.Code
				key = role + "@" + tn.Code
			}
			must(t, db.CreateUser(ctx, u, ""))
			tok, _, err := f.auth.IssueAPIToken(ctx, u.ID, "test", time.Hour)
			must(t, err)
			f.tokens[key] = tok
		}
	}
	f.orderA = f.createOrder(t, f.a, "SEED-A")
	f.orderB = f.createOrder(t, f.b, "SEED-B")
	return f
}

func (f *fixture) createOrder(t *testing.T, tn *yuncang.Tenant, moid string) int64 {
	t.Helper()
	rec := f.do(t, "POST", "/api/v1/orders", f.tokens["merchant_admin@"+tn.Code], orderJSON(moid, "13812345678"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("seed order: %d %s", rec.Code, rec.Body)
	}
	var id int64
	fmt.Sscanf(strings.TrimPrefix(rec.Header().Get("Location"), "/api/v1/orders/"), "%d", &id)
	return id
}

func orderJSON(moid, phone string) string {
	return `{"merchant_order_id":"` + moid + `","lines":[{"sku":"SKU-1","quantity":1}],
		"recipient":{"name":"欧阳娜娜","phone":"` + phone + `","address":"浙江省金华市义乌市稠城街道工人北路1088号3单元502室"},"remarks":"放门卫"}`
}

func (f *fixture) do(t *testing.T, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// allowed is the access policy restated independently of routes.go: for
// every route, which roles may call it. A route missing here fails the test.
var allowed = map[string][]string{
	"GET /healthz":               {"*"},
	"GET /metrics":               {"*"},
	"GET /api/v1/openapi.json":   {"*"},
	"POST /api/v1/login":         {"*"},
	"POST /api/v1/logout":        {"platform_admin", "merchant_admin", "merchant_staff", "operator", "customer_service", "auditor", "carrier"},
	"GET /api/v1/me":             {"platform_admin", "merchant_admin", "merchant_staff", "operator", "customer_service", "auditor", "carrier"},
	"POST /api/v1/users":         {"platform_admin", "merchant_admin"},
	"GET /api/v1/users":          {"platform_admin", "merchant_admin"},
	"POST /api/v1/tokens":        {"platform_admin", "merchant_admin"},
	"POST /api/v1/tenants":       {"platform_admin"},
	"GET /api/v1/tenants":        {"platform_admin", "auditor"},
	"POST /api/v1/warehouses":    {"platform_admin"},
	"GET /api/v1/warehouses":     {"platform_admin", "merchant_admin", "merchant_staff", "operator", "customer_service", "auditor"},
	"POST /api/v1/skus":          {"platform_admin", "merchant_admin"},
	"GET /api/v1/skus":           {"platform_admin", "merchant_admin", "merchant_staff", "operator"},
	"PUT /api/v1/stock":          {"platform_admin", "operator"},
	"GET /api/v1/stock":          {"platform_admin", "merchant_admin", "merchant_staff", "operator"},
	"POST /api/v1/orders":        {"merchant_admin", "merchant_staff"},
	"POST /api/v1/orders/import": {"merchant_admin", "merchant_staff"},
	"GET /api/v1/orders":         {"merchant_admin", "merchant_staff", "customer_service"},
	"POST /api/v1/orders/search": {"merchant_admin", "merchant_staff", "customer_service"},
	"GET /api/v1/orders/{id}":    {"merchant_admin", "merchant_staff", "customer_service"},
}

// tenantScoped lists the routes that act on one tenant's data.
var tenantScoped = []string{"POST /api/v1/skus", "GET /api/v1/skus", "PUT /api/v1/stock", "GET /api/v1/stock",
	"POST /api/v1/orders", "POST /api/v1/orders/import", "GET /api/v1/orders", "POST /api/v1/orders/search", "GET /api/v1/orders/{id}"}

// sampleBody returns a valid request body for a route, so that allowed
// requests get past validation and a 403 can only come from authorization.
func sampleBody(pattern string, n int) string {
	switch pattern {
	case "POST /api/v1/login":
		return `{"username":"nobody","password":"wrong-password-123"}`
	case "POST /api/v1/users":
		return fmt.Sprintf(`{"username":"new-%d","password":"Correct-Horse-%d-Battery","role":"merchant_staff","tenant":"ta"}`, n, n)
	case "POST /api/v1/tokens":
		return `{"username":"merchant_staff-ta","label":"x","ttl_hours":1}`
	case "POST /api/v1/tenants":
		return fmt.Sprintf(`{"code":"t%d","name":"new tenant"}`, n)
	case "POST /api/v1/warehouses":
		return fmt.Sprintf(`{"code":"W%d","name":"w","province_code":"33","city_code":"3307","district_code":"330782"}`, n)
	case "POST /api/v1/skus":
		return fmt.Sprintf(`{"code":"S%d","barcode":"1","name":"n","weight_g":1,"volume_cm3":1}`, n)
	case "PUT /api/v1/stock":
		return `{"warehouse":"YW1","sku":"SKU-1","on_hand":10}`
	case "POST /api/v1/orders":
		return orderJSON(fmt.Sprintf("MX-%d", n), "13900001111")
	case "POST /api/v1/orders/search":
		return `{"phone":"13812345678"}`
	}
	return ""
}

// TestAuthorizationMatrix walks every route × every role (and no
// credentials) × own/other tenant and checks allow/deny against the table
// above.
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	routes := f.srv.Routes()
	for _, rt := range routes {
		if _, ok := allowed[rt.Pattern()]; !ok {
			t.Errorf("route %s has no entry in the authorization matrix test", rt.Pattern())
		}
		if got, want := rt.Policy.Tenant, slices.Contains(tenantScoped, rt.Pattern()); got != want {
			t.Errorf("route %s: tenant-scoped = %v, want %v", rt.Pattern(), got, want)
		}
	}
	for p := range allowed {
		if !slices.ContainsFunc(routes, func(r httpapi.Route) bool { return r.Pattern() == p }) {
			t.Errorf("matrix names %s, which is not a route", p)
		}
	}
	type actor struct{ key, role, tenant string }
	actors := []actor{{"", "anonymous", ""}}
	for _, role := range yuncang.Roles {
		if yuncang.IsMerchantRole(role) {
			actors = append(actors, actor{role + "@ta", role, "ta"})
		} else {
			actors = append(actors, actor{role, role, ""})
		}
	}
	cases := 0
	n := 0
	for _, rt := range routes {
		if rt.Pattern() == "POST /api/v1/logout" {
			continue // revokes the token; covered by TestLogoutRevokes
		}
		for _, ac := range actors {
			for _, target := range []string{"own", "other"} {
				n++
				cases++
				path := strings.Replace(rt.Path, "{id}", fmt.Sprint(f.orderA), 1)
				tenantParam := "ta"
				if target == "other" {
					tenantParam = "tb"
				}
				if rt.Policy.Tenant {
					path += "?tenant=" + tenantParam
				}
				rec := f.do(t, rt.Method, path, f.tokens[ac.key], sampleBody(rt.Pattern(), n))
				roles := allowed[rt.Pattern()]
				public := slices.Contains(roles, "*")
				ok := public || slices.Contains(roles, ac.role)
				// A merchant may only name its own tenant.
				if ok && !public && rt.Policy.Tenant && yuncang.IsMerchantRole(ac.role) && target == "other" {
					ok = false
				}
				switch {
				case !ok && ac.key == "" && rec.Code != http.StatusUnauthorized:
					t.Errorf("%s as anonymous (%s tenant): status %d, want 401", rt.Pattern(), target, rec.Code)
				case !ok && ac.key != "" && rec.Code != http.StatusForbidden:
					t.Errorf("%s as %s (%s tenant): status %d, want 403: %s", rt.Pattern(), ac.role, target, rec.Code, rec.Body)
				case ok && (rec.Code == http.StatusUnauthorized && rt.Pattern() != "POST /api/v1/login" || rec.Code == http.StatusForbidden):
					t.Errorf("%s as %s (%s tenant): status %d, want allowed: %s", rt.Pattern(), ac.role, target, rec.Code, rec.Body)
				case ok && rec.Code >= 500:
					t.Errorf("%s as %s (%s tenant): status %d: %s", rt.Pattern(), ac.role, target, rec.Code, rec.Body)
				}
			}
		}
	}
	t.Logf("authorization matrix: %d routes × %d actors × 2 tenants = %d cases", len(routes)-1, len(actors), cases)
	if cases < 200 {
		t.Fatalf("only %d cases", cases)
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
	if rec.Code != 200 || strings.Count(rec.Body.String(), `"id"`) != 1 {
		t.Fatalf("tenant b phone search: %d %s", rec.Code, rec.Body)
	}
	if strings.Contains(rec.Body.String(), "SEED-A") {
		t.Fatal("tenant b's search returned tenant a's order")
	}
	// A merchant admin cannot create accounts in another tenant or of other roles.
	rec = f.do(t, "POST", "/api/v1/users", f.tokens["merchant_admin@ta"], `{"username":"x1","password":"Correct-Horse-9-Battery","role":"merchant_staff","tenant":"tb"}`)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("cross-tenant user creation: %d", rec.Code)
	}
	rec = f.do(t, "POST", "/api/v1/users", f.tokens["merchant_admin@ta"], `{"username":"x2","password":"Correct-Horse-9-Battery","role":"customer_service"}`)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("merchant admin creating platform account: %d", rec.Code)
	}
	rec = f.do(t, "POST", "/api/v1/tokens", f.tokens["merchant_admin@ta"], `{"username":"merchant_staff-tb"}`)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("token for another tenant's account: %d", rec.Code)
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
