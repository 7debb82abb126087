package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/yuncang/yuncang/httpapi"
)

// loadServedOpenAPI fetches the document the server serves and loads it
// with kin-openapi.
func loadServedOpenAPI(t *testing.T, f *fixture) *openapi3.T {
	t.Helper()
	rec := f.do(t, "GET", "/api/v1/openapi.json", "", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("GET openapi.json: %d", rec.Code)
	}
	doc, err := openapi3.NewLoader().LoadFromData(rec.Body.Bytes())
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return doc
}

// TestOpenAPIValidates: the served document is valid OpenAPI 3 (both
// openapi-spec-validator and Redocly used to reject it), and its operations
// are exactly the server's routes.
func TestOpenAPIValidates(t *testing.T) {
	f := newFixture(t)
	doc := loadServedOpenAPI(t, f)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the served OpenAPI document does not validate: %v", err)
	}
	// The console's pages are HTML for browsers, not the API: the document
	// describes every other route.
	var routes []httpapi.Route
	for _, rt := range f.srv.Routes() {
		if !rt.Policy.Page {
			routes = append(routes, rt)
		}
	}
	for _, rt := range routes {
		item := doc.Paths.Value(rt.Path)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("route %s has no operation in the document", rt.Pattern())
			continue
		}
		op := item.GetOperation(rt.Method)
		if op.Responses.Status(400) == nil {
			t.Errorf("%s documents no 400 response", rt.Pattern())
		}
		if !rt.Policy.Public && (op.Responses.Status(401) == nil || op.Responses.Status(403) == nil) {
			t.Errorf("%s is protected but documents no 401 or 403", rt.Pattern())
		}
		if strings.Contains(rt.Path, "{") && op.Responses.Status(404) == nil {
			t.Errorf("%s names a record but documents no 404", rt.Pattern())
		}
	}
	ops := 0
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ops++
			found := false
			for _, rt := range routes {
				found = found || (rt.Path == path && rt.Method == method)
			}
			if !found {
				t.Errorf("the document has %s %s, which is no route", method, path)
			}
		}
	}
	if ops != len(routes) || ops < 100 {
		t.Errorf("%d operations for %d routes", ops, len(routes))
	}
	for _, name := range []string{"Problem", "FieldProblem"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("components.schemas lacks %s", name)
		}
	}
	for _, name := range []string{"bearer", "deviceSignature"} {
		if doc.Components.SecuritySchemes[name] == nil {
			t.Errorf("components.securitySchemes lacks %s", name)
		}
	}
	// The examples: limit is an integer, every parameter the
	// handlers were found to read is declared on its route.
	want := map[string][]string{
		"GET /api/v1/orders":       {"limit", "cursor", "status", "merchant_order_id", "tenant"},
		"GET /api/v1/audit/events": {"format", "kind", "target", "limit", "cursor", "since", "until", "user_id", "tenant_id"},
		"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}/label": {"format", "size", "reason"},
		"GET /api/v1/analytics/logistics":                               {"from", "to", "group_by"},
		"GET /api/v1/ledger":                                            {"cursor", "limit", "sku", "ref", "warehouse"},
		"GET /api/v1/audit/proof/inclusion":                             {"index", "size"},
		"GET /api/v1/warehouses/{warehouse}/analytics/logistics":        {"from", "to", "group_by"},
		"POST /api/v1/orders/import":                                    {"all_or_nothing"},
	}
	for pattern, names := range want {
		method, path, _ := strings.Cut(pattern, " ")
		op := doc.Paths.Value(path).GetOperation(method)
		for _, n := range names {
			p := op.Parameters.GetByInAndName("query", n)
			if p == nil {
				t.Errorf("%s: query parameter %s is not declared", pattern, n)
				continue
			}
			if n == "limit" && !p.Schema.Value.Type.Is("integer") {
				t.Errorf("%s: limit is not an integer", pattern)
			}
		}
	}
	if p := doc.Paths.Value("/api/v1/audit/proof/inclusion").Get.Parameters.GetByInAndName("query", "index"); p == nil || !p.Required {
		t.Errorf("inclusion proof: index is not required")
	}
	if p := doc.Paths.Value("/api/v1/audit/events").Get.Parameters.GetByInAndName("query", "format"); p == nil || len(p.Schema.Value.Enum) != 3 {
		t.Errorf("audit events: format has no enum")
	}
}

// TestHandlersReadOnlyDeclaredQueryParameters reads the handlers' source for
// the query parameters they take and checks each is declared on some route:
// an undeclared one would be refused by the query check before the handler
// ever saw it.
func TestHandlersReadOnlyDeclaredQueryParameters(t *testing.T) {
	f := newFixture(t)
	declared := map[string]bool{}
	for _, item := range loadServedOpenAPI(t, f).Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value.In == "query" {
					declared[p.Value.Name] = true
				}
			}
		}
	}
	reads := regexp.MustCompile(`(?:Query\(\)\.Get|q\.Get|q\.Has|sizeParam\(r,)\(?\s*"([a-z_]+)"`)
	loops := regexp.MustCompile(`\{"([a-z_]+)", &f\.`) // {"user_id", &f.UserID} in listEvents
	files, _ := filepath.Glob("*.go")
	found := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, re := range []*regexp.Regexp{reads, loops} {
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				found++
				if !declared[m[1]] && m[1] != "phone" { // ?phone= is refused on purpose
					t.Errorf("%s reads query parameter %q, which no route declares", name, m[1])
				}
			}
		}
	}
	if found < 20 {
		t.Fatalf("found only %d query reads: the patterns no longer match the handlers", found)
	}
}

// TestUndeclaredQueryParametersAreRefused: on every route, a parameter the
// route does not declare is refused with a 400 naming it, before the
// handler runs (authorization is widened to public here to reach the check
// on every route; the refusal is the same for a caller who may use it).
func TestUndeclaredQueryParametersAreRefused(t *testing.T) {
	f := newFixture(t)
	f.srv = httpapi.New(httpapi.WithPolicyOverride(httpapi.Config{Store: f.db, Auth: f.auth}, func(_ string, p httpapi.Policy) httpapi.Policy {
		p.Public, p.Gateway, p.Device = true, false, false
		return p
	}))
	for _, rt := range f.srv.Routes() {
		path := regexp.MustCompile(`\{[a-z_]+\}`).ReplaceAllString(rt.Path, "1")
		rec := f.do(t, rt.Method, path+"?limt=5&tenant=x", "", "")
		var p httpapi.Problem
		if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusBadRequest {
			t.Errorf("%s with ?limt=5: %d %s, want 400", rt.Pattern(), rec.Code, rec.Body)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q", rt.Pattern(), ct)
		}
		if len(p.Errors) == 0 || p.Errors[0].Field != "limt" {
			t.Errorf("%s: refusal does not name limt: %+v", rt.Pattern(), p)
		}
		// ?tenant= is declared exactly where the policy is tenant-scoped.
		namesTenant := false
		for _, e := range p.Errors {
			namesTenant = namesTenant || e.Field == "tenant"
		}
		if namesTenant == rt.Policy.Tenant {
			t.Errorf("%s (tenant-scoped %v): tenant refused %v", rt.Pattern(), rt.Policy.Tenant, namesTenant)
		}
	}
}

// TestListsUseOneEnvelope: a response that is a bare list under some key
// ({"users": [...]}) is not allowed: every list is a Page, {"items", "next"}.
// The print gateway's job feed is exempt: its format is a protocol between
// the server and agents already deployed.
func TestListsUseOneEnvelope(t *testing.T) {
	f := newFixture(t)
	pages := 0
	for path, item := range loadServedOpenAPI(t, f).Paths.Map() {
		for method, op := range item.Operations() {
			if op.Extensions["x-gateway"] != nil {
				continue // the print gateway's protocol, shipped with the agent binary
			}
			for status, resp := range op.Responses.Map() {
				if resp.Value == nil || resp.Value.Content["application/json"] == nil || status[0] != '2' {
					continue
				}
				s := resp.Value.Content["application/json"].Schema.Value
				if s == nil || !s.Type.Is("object") {
					continue
				}
				for name, p := range s.Properties {
					if len(s.Properties) == 1 && p.Value.Type.Is("array") && name != "items" && method == "GET" {
						t.Errorf("%s %s answers a list under %q, not the items envelope", method, path, name)
					}
					if name == "items" && p.Value.Type.Is("array") {
						pages++
					}
				}
			}
		}
	}
	if pages < 20 {
		t.Errorf("only %d list responses use the envelope", pages)
	}
}

// TestKeysetPaging: the paged lists take ?cursor= and ?limit= and answer
// next until the last page, walking every item once.
func TestKeysetPaging(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 5; i++ {
		f.createOrder(t, f.a, fmt.Sprintf("PAGE-%d", i))
	}
	for _, c := range []struct{ path, actor string }{
		{"/api/v1/orders?limit=2", "merchant_admin@ta"},
		{"/api/v1/audit/events?limit=3", "auditor"},
	} {
		seen := map[int64]bool{}
		cursor, pages := "", 0
		for ; pages < 100; pages++ {
			var p struct {
				Items []struct{ ID int64 }
				Next  string
			}
			f.api(t, 200, "GET", c.path+"&cursor="+cursor, c.actor, "", &p)
			for _, it := range p.Items {
				if seen[it.ID] {
					t.Fatalf("%s: item %d on two pages", c.path, it.ID)
				}
				seen[it.ID] = true
			}
			if p.Next == "" {
				break
			}
			cursor = p.Next
		}
		if pages < 2 || len(seen) < 5 {
			t.Errorf("%s: %d pages, %d items", c.path, pages+1, len(seen))
		}
	}
	if rec := f.do(t, "GET", "/api/v1/ledger?tenant=ta&cursor=bm90LWFuLWlk", f.tokens["platform_admin"], ""); rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"cursor"`) {
		t.Errorf("forged cursor: %d %s", rec.Code, rec.Body)
	}
}
