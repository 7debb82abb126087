package httpapi_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// TestResponsesMatchTheDocument sends a sample of real requests, the good
// and the refused, and checks each request and its answer (status, content
// type, body) against the served document with kin-openapi.
func TestResponsesMatchTheDocument(t *testing.T) {
	f := newFixture(t)
	doc := loadServedOpenAPI(t, f)
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true, MultiError: true}
	check := func(method, path, actor, body string, want int) *httptest.ResponseRecorder {
		t.Helper()
		rec := f.do(t, method, path, f.tokens[actor], body)
		if rec.Code != want {
			t.Errorf("%s %s as %s: %d, want %d: %s", method, path, actor, rec.Code, want, rec.Body)
			return rec
		}
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if f.tokens[actor] != "" {
			req.Header.Set("Authorization", "Bearer "+f.tokens[actor])
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: no route in the document: %v", method, path, err)
			return rec
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
		if want < 400 {
			if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
				t.Errorf("%s %s: the request does not match the document: %v", method, path, err)
			}
		}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(), Options: opts}
		out.SetBodyBytes(rec.Body.Bytes())
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("%s %s (%d): the answer does not match the document: %v\n%s", method, path, rec.Code, err, rec.Body)
		}
		return rec
	}
	ma, mb := "merchant_admin@ta", "merchant_admin@tb"
	check("GET", "/healthz", "", "", 200)
	check("GET", "/api/v1/me", ma, "", 200)
	check("GET", "/api/v1/users", "platform_admin", "", 200)
	check("GET", "/api/v1/tenants", "platform_admin", "", 200)
	check("GET", "/api/v1/warehouses", ma, "", 200)
	check("GET", "/api/v1/skus", ma, "", 200)
	check("GET", "/api/v1/stock", ma, "", 200)
	check("GET", "/api/v1/devices", "platform_admin", "", 200)
	check("GET", "/api/v1/access-review", "security_officer", "", 200)
	check("GET", "/api/v1/alerts?status=open", "security_officer", "", 200)
	check("GET", "/api/v1/approvals?status=pending", "security_officer", "", 200)
	check("GET", "/api/v1/audit/events?limit=5", "auditor", "", 200)
	check("GET", "/api/v1/audit/events?limit=5&format=csv", "auditor", "", 200)
	check("GET", "/api/v1/audit/events?limit=5&format=jsonl", "auditor", "", 200)
	check("GET", "/api/v1/audit/checkpoint", "auditor", "", 200)
	check("GET", "/metrics", "auditor", "", 200)
	check("GET", "/api/v1/audit/proof/inclusion?index=0", "auditor", "", 200)
	rec := check("POST", "/api/v1/orders", ma, orderJSON("DOC-1", "13812345678"), 201)
	id := strings.TrimPrefix(rec.Header().Get("Location"), "/api/v1/orders/")
	check("POST", "/api/v1/orders", ma, orderJSON("DOC-1", "13812345678"), 409) // an exact repeat: the same 409 as any, with order_id
	check("GET", "/api/v1/orders/"+id, ma, "", 200)
	check("GET", "/api/v1/orders?limit=1&status=created", ma, "", 200)
	check("GET", "/api/v1/orders?merchant_order_id=DOC-1", ma, "", 200)
	check("POST", "/api/v1/orders/search", ma, `{"phone":"13812345678"}`, 200)
	check("GET", "/api/v1/ledger?limit=5", ma, "", 200)
	check("GET", "/api/v1/analytics/logistics?from=2026-11-01&to=2026-11-30&group_by=carrier", ma, "", 200)
	// Refusals are problem documents of the documented statuses.
	check("POST", "/api/v1/orders", ma, `{"merchant_order_id":"","lines":[]}`, 400)
	check("GET", "/api/v1/orders?limt=1", ma, "", 400)
	check("GET", "/api/v1/orders", "", "", 401)
	check("GET", "/api/v1/orders", "operator", "", 403)
	check("GET", "/api/v1/orders/"+id, mb, "", 404)
	check("POST", "/api/v1/orders", ma, orderJSON("DOC-1", "13900001111"), 409)
}
