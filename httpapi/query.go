package httpapi

import (
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/yuncang/yuncang"
)

// QueryParam is one query parameter a route reads. The declarations are
// the one source of truth for both the OpenAPI document and the check that
// refuses any other parameter (checkQuery): a handler that reads a
// parameter must declare it here, or its callers get a 400.
type QueryParam struct {
	Name        string
	Type        string // string (default), integer or boolean
	Format      string // date, date-time
	Enum        []string
	Min, Max    int // bounds of an integer; both 0: unbounded
	Required    bool
	Description string
}

// apiQuery declares the query parameters of each route, by pattern. Files
// that add routes add their own entries in an init(). A tenant-scoped
// route's ?tenant= is implied by its policy.
var apiQuery = map[string][]QueryParam{
	"GET /api/v1/compliance/register": {{Name: "format", Description: "json (default) or csv", Enum: []string{"json", "csv"}}},
	"GET /api/v1/approvals":           {{Name: "status", Enum: []string{yuncang.ApprovalPending, yuncang.ApprovalApproved, yuncang.ApprovalRejected, yuncang.ApprovalApplied, yuncang.ApprovalFailed}}},
	"GET /api/v1/alerts":              {{Name: "status", Enum: []string{yuncang.AlertOpen, yuncang.AlertConfirmed, yuncang.AlertDismissed}}},
	"GET /api/v1/audit/events": append([]QueryParam{
		{Name: "kind", Description: "Event kind (action)"},
		{Name: "target", Description: "A record the event names, as kind:id"},
		{Name: "user_id", Type: "integer", Min: 1, Description: "The acting account"},
		{Name: "tenant_id", Type: "integer", Min: 1},
		{Name: "since", Format: "date-time"},
		{Name: "until", Format: "date-time"},
		{Name: "format", Enum: []string{"json", "jsonl", "csv"}, Description: "jsonl and csv are audited exports"},
	}, pageQuery(1000)...),
	"GET /api/v1/audit/proof/inclusion": {
		{Name: "index", Type: "integer", Min: 0, Max: 0, Required: true, Description: "Record index (0 or more)"},
		{Name: "size", Type: "integer", Min: 1, Description: "Tree size; default the latest checkpoint's"},
	},
	"GET /api/v1/audit/proof/consistency": {
		{Name: "old", Type: "integer", Min: 1, Description: "Earlier tree size; default the latest checkpoint's"},
		{Name: "new", Type: "integer", Min: 1, Description: "Later tree size; default the latest checkpoint's"},
	},
	"POST /api/v1/orders/import": {{Name: "all_or_nothing", Type: "boolean", Description: "Store nothing unless every row is valid"}},
	"GET /api/v1/orders": append([]QueryParam{
		{Name: "status", Enum: yuncang.OrderStatuses},
		{Name: "merchant_order_id", Description: "The merchant's own order id: a page of at most the one order"},
	}, pageQuery(200)...),
	"GET /api/v1/ledger": append([]QueryParam{
		{Name: "sku"}, {Name: "ref"}, {Name: "warehouse", Description: "Warehouse code"},
	}, pageQuery(1000)...),
	"GET /api/v1/analytics/logistics":                        statsQuery,
	"GET /api/v1/warehouses/{warehouse}/analytics/logistics": statsQuery,
	"GET /api/v1/gateway/jobs":                               {{Name: "wait", Type: "integer", Min: 0, Max: 30, Description: "Seconds of long poll"}},
	"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}/label": {
		{Name: "format", Enum: []string{"pdf", "png", "zpl"}},
		{Name: "size", Enum: []string{"76x130", "100x150"}},
		{Name: "reason", Enum: yuncang.ReprintReasons, Description: "Required for a reprint"},
	},
}

var statsQuery = []QueryParam{
	{Name: "from", Format: "date", Description: "First day (Beijing time), YYYY-MM-DD"},
	{Name: "to", Format: "date", Description: "Last day, inclusive"},
	{Name: "group_by", Enum: []string{yuncang.DimMerchant, yuncang.DimWarehouse, yuncang.DimCarrier, yuncang.DimProvince}},
}

// queryParams are the declared query parameters of a route.
func (s *Server) queryParams(rt Route) []QueryParam {
	ps := apiQuery[rt.Pattern()]
	if rt.Policy.Tenant {
		ps = append([]QueryParam{{Name: "tenant", Description: "Merchant code; required for platform roles, implied for merchant roles"}}, ps...)
	}
	return ps
}

// doc is the parameter's OpenAPI object.
func (q QueryParam) doc() map[string]any {
	typ := q.Type
	if typ == "" {
		typ = "string"
	}
	schema := map[string]any{"type": typ}
	if q.Format != "" {
		schema["format"] = q.Format
	}
	if len(q.Enum) > 0 {
		schema["enum"] = q.Enum
	}
	if typ == "integer" && (q.Min != 0 || q.Max != 0 || q.Required) {
		schema["minimum"] = q.Min
		if q.Max != 0 {
			schema["maximum"] = q.Max
		}
	}
	p := map[string]any{"name": q.Name, "in": "query", "schema": schema}
	if q.Required {
		p["required"] = true
	}
	if q.Description != "" {
		p["description"] = q.Description
	}
	return p
}

// checkQuery refuses query parameters the route does not declare, naming
// every one (a typo such as ?limt=5 would otherwise be ignored and the
// client would never know), and repeated ones (handlers read the first).
func checkQuery(q url.Values, declared []QueryParam) error {
	if len(q) == 0 {
		return nil
	}
	known := make(map[string]bool, len(declared))
	for _, p := range declared {
		known[p.Name] = true
	}
	names := make([]string, 0, len(q))
	for n := range q {
		names = append(names, n)
	}
	sort.Strings(names)
	var probs yuncang.Problems
	for _, n := range names {
		// The name is echoed only when it looks like a parameter name:
		// anything else might be data a client put in the wrong place.
		shown := n
		if !plainName(n) {
			shown = "query"
		}
		switch {
		case !known[n]:
			probs.Add(shown, "is not a query parameter of this route%s", expected(declared))
		case len(q[n]) > 1:
			probs.Add(shown, "is given more than once")
		}
	}
	return probs.Err()
}

func plainName(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-' || c == '.' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func expected(ps []QueryParam) string {
	if len(ps) == 0 {
		return " (it takes none)"
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return " (it takes " + strings.Join(names, ", ") + ")"
}

// parsedQuery parses the request's query once, refusing a malformed one.
func parsedQuery(r *http.Request) (url.Values, error) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, yuncang.Invalid("query", "is not a valid query string")
	}
	return q, nil
}
