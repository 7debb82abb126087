package httpapi

import (
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"time"
)

// apiDocs names the request and response wire types of each route; schemas
// are derived from the wire types by reflection so the document cannot drift
// from what the handlers encode.
var apiDocs = map[string]struct {
	req, resp any
	status    string
}{
	"POST /api/v1/login":                          {LoginRequest{}, LoginResponse{}, "200"},
	"POST /api/v1/logout":                         {nil, nil, "204"},
	"GET /api/v1/ping":                            {nil, nil, "204"},
	"GET /api/v1/session":                         {nil, nil, "204"},
	"POST /api/v1/step-up":                        {StepUpRequest{}, nil, "204"},
	"GET /api/v1/me":                              {nil, UserJSON{}, "200"},
	"POST /api/v1/users":                          {CreateUserRequest{}, CreatedUserJSON{}, "201"},
	"GET /api/v1/users":                           {nil, listOf("users", UserJSON{}), "200"},
	"GET /api/v1/users/{id}":                      {nil, UserJSON{}, "200"},
	"POST /api/v1/users/{id}/offboard":            {OffboardRequest{}, UserJSON{}, "200"},
	"PUT /api/v1/users/{id}/role":                 {RoleRequest{}, UserJSON{}, "200"},
	"PUT /api/v1/users/{id}/warehouses":           {WarehousesRequest{}, UserJSON{}, "200"},
	"PUT /api/v1/users/{id}/shift":                {ShiftJSON{}, UserJSON{}, "200"},
	"PUT /api/v1/users/{id}/end":                  {EndRequest{}, UserJSON{}, "200"},
	"POST /api/v1/users/{id}/totp":                {nil, EnrolmentJSON{}, "200"},
	"POST /api/v1/users/{id}/review":              {nil, UserJSON{}, "200"},
	"GET /api/v1/access-review":                   {nil, AccessReviewJSON{}, "200"},
	"POST /api/v1/tokens":                         {CreateTokenRequest{}, TokenResponse{}, "201"},
	"DELETE /api/v1/tokens/{id}":                  {nil, nil, "204"},
	"POST /api/v1/warehouses/{warehouse}/devices": {DeviceRequest{}, DeviceJSON{}, "201"},
	"POST /api/v1/office-devices":                 {DeviceRequest{}, DeviceJSON{}, "201"},
	"GET /api/v1/devices":                         {nil, listOf("devices", DeviceJSON{}), "200"},
	"POST /api/v1/devices/{id}/revoke":            {nil, nil, "204"},
	"GET /api/v1/audit/events":                    {nil, AuditEventsJSON{}, "200"},
	"GET /healthz":                                {nil, HealthJSON{}, "200"},
	"GET /api/v1/openapi.json":                    {nil, map[string]any{}, "200"},
	"GET /api/v1/audit/checkpoint":                {nil, CheckpointJSON{}, "200"},
	"GET /api/v1/audit/proof/inclusion":           {nil, ProofJSON{}, "200"},
	"GET /api/v1/audit/proof/consistency":         {nil, ProofJSON{}, "200"},
	"POST /api/v1/tenants":                        {TenantJSON{}, TenantJSON{}, "201"},
	"GET /api/v1/tenants":                         {nil, listOf("tenants", TenantJSON{}), "200"},
	"POST /api/v1/warehouses":                     {WarehouseJSON{}, WarehouseJSON{}, "201"},
	"GET /api/v1/warehouses":                      {nil, listOf("warehouses", WarehouseJSON{}), "200"},
	"POST /api/v1/skus":                           {SKUJSON{}, SKUJSON{}, "201"},
	"GET /api/v1/skus":                            {nil, listOf("skus", SKUJSON{}), "200"},
	"GET /api/v1/stock":                           {nil, listOf("stock", StockJSON{}), "200"},
	"GET /api/v1/warehouses/{warehouse}/stock":    {nil, listOf("stock", StockJSON{}), "200"},
	"PUT /api/v1/warehouses/{warehouse}/stock":    {SetStockRequest{}, listOf("stock", StockJSON{}), "200"},
	"POST /api/v1/orders":                         {OrderRequest{}, OrderJSON{}, "201"},
	"POST /api/v1/orders/import":                  {nil, ImportResponse{}, "200"},
	"GET /api/v1/orders":                          {nil, OrderPage{}, "200"},
	"POST /api/v1/orders/search":                  {OrderSearchRequest{}, OrderPage{}, "200"},
	"GET /api/v1/orders/{id}":                     {nil, OrderJSON{}, "200"},
	"POST /api/v1/orders/{id}/reveal":             {RevealRequest{}, RevealResponse{}, "200"},
}

// list is the {"items": [...]} envelope some list responses use.
type list[T any] struct {
	Items []T `json:"items"`
}

// envelope documents a response that wraps a list under a named key, as
// {"users": [...]}: the key is part of the wire format, so the document
// must carry it.
type envelope struct {
	key  string
	item any
}

func listOf(key string, item any) envelope { return envelope{key, item} }

// respSchema is the documented schema of a response value.
func respSchema(v any) map[string]any {
	if e, ok := v.(envelope); ok {
		return map[string]any{"type": "object", "properties": map[string]any{
			e.key: map[string]any{"type": "array", "items": schemaOf(reflect.TypeOf(e.item))}}}
	}
	return schemaOf(reflect.TypeOf(v))
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.OpenAPI())
	return nil
}

// pathParam finds the {name} segments of a route's path.
var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// OpenAPI returns the OpenAPI 3.0 document of the registered routes.
func (s *Server) OpenAPI() map[string]any {
	paths := map[string]map[string]any{}
	for _, rt := range s.Routes() {
		if rt.Policy.Page {
			continue // console pages are HTML for people, not API operations
		}
		op := map[string]any{
			"summary":     rt.Summary,
			"tags":        []string{rt.Tag},
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1/", "_", "/", "_", "{", "", "}", "", ".", "_").Replace(rt.Path),
		}
		var params []any
		// Every {segment} of the path is a required path parameter: codes
		// (warehouse, carrier, sku) are strings, the rest numeric ids.
		for _, m := range pathParam.FindAllStringSubmatch(rt.Path, -1) {
			typ := "integer"
			switch m[1] {
			case "warehouse", "carrier", "sku":
				typ = "string"
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": typ}})
		}
		if rt.Policy.Gateway {
			op["x-gateway"] = "signed by an enrolled print gateway's device key (the X-Yuncang-Device headers); no bearer token"
		}
		if rt.Policy.Device || rt.Policy.Gateway {
			kinds := "any kind"
			if len(rt.Policy.DeviceKinds) > 0 {
				kinds = strings.Join(rt.Policy.DeviceKinds, " or ")
			}
			if rt.Policy.Gateway {
				kinds = "print_gateway"
			}
			for _, h := range []struct{ name, desc string }{
				{"X-Yuncang-Device", "The enrolled device's id (" + kinds + ")"},
				{"X-Yuncang-Device-Time", "Unix seconds when the device signed the request; within 5 minutes of the server's clock"},
				{"X-Yuncang-Device-Nonce", "16-64 characters [A-Za-z0-9_-], never reused by the device"},
				{"X-Yuncang-Device-Signature", "base64 Ed25519 signature by the device's key over \"yuncang-device-v1\\n<device id>\\n<METHOD>\\n<path?query>\\n<hex sha256 of body>\\n<time>\\n<nonce>\""},
			} {
				params = append(params, map[string]any{"name": h.name, "in": "header", "required": true, "description": h.desc, "schema": map[string]any{"type": "string"}})
			}
		}
		if rt.Policy.StepUp {
			op["x-step-up"] = true
		}
		if rt.Policy.Tenant {
			params = append(params, map[string]any{"name": "tenant", "in": "query",
				"description": "Merchant code; required for platform roles, implied for merchant roles", "schema": map[string]any{"type": "string"}})
		}
		if rt.Pattern() == "GET /api/v1/orders" {
			for _, n := range []string{"status", "cursor", "limit"} {
				params = append(params, map[string]any{"name": n, "in": "query", "schema": map[string]any{"type": "string"}})
			}
		}
		if rt.Pattern() == "POST /api/v1/orders/import" {
			params = append(params, map[string]any{"name": "all_or_nothing", "in": "query", "schema": map[string]any{"type": "boolean"}})
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"text/csv": map[string]any{"schema": map[string]any{"type": "string"}},
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}},
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}},
			}}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		responses := map[string]any{
			"default": map[string]any{"description": "Error", "content": jsonContent(schemaOf(reflect.TypeOf(ErrorBody{})))},
		}
		if d, ok := apiDocs[rt.Pattern()]; ok {
			if d.req != nil {
				op["requestBody"] = map[string]any{"required": true, "content": jsonContent(schemaOf(reflect.TypeOf(d.req)))}
			}
			if d.resp != nil {
				responses[d.status] = map[string]any{"description": "OK", "content": jsonContent(respSchema(d.resp))}
			} else {
				responses[d.status] = map[string]any{"description": "No content"}
			}
		} else {
			responses["200"] = map[string]any{"description": "OK"}
		}
		if alt, ok := apiAltResponses[rt.Pattern()]; ok {
			responses[alt.status] = map[string]any{"description": alt.description, "content": jsonContent(respSchema(alt.resp))}
		}
		op["responses"] = responses
		if !rt.Policy.Public && !rt.Policy.Gateway {
			op["security"] = []any{map[string]any{"bearer": []string{}}}
			op["x-roles"] = rt.Policy.Roles
		}
		if paths[rt.Path] == nil {
			paths[rt.Path] = map[string]any{}
		}
		paths[rt.Path][strings.ToLower(rt.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "yuncang API", "version": s.version,
			"description": "Privacy-first cloud warehouse. Recipient data is always returned masked per GB/T 41833-2022."},
		"paths": paths,
		"components": map[string]any{"securitySchemes": map[string]any{
			"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "Session token from /api/v1/login or an API token"},
		}},
	}
}

func jsonContent(schema any) map[string]any {
	return map[string]any{"application/json": map[string]any{"schema": schema}}
}

var timeType = reflect.TypeOf(time.Time{})

// schemaOf derives a JSON schema from a wire type's fields and json tags.
func schemaOf(t reflect.Type) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int64, reflect.Int32:
		return map[string]any{"type": "integer"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem())}
	case reflect.Struct:
		props := map[string]any{}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
				// An embedded struct's fields are the outer object's, as
				// encoding/json writes them.
				for k, v := range schemaOf(f.Type)["properties"].(map[string]any) {
					props[k] = v
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			props[name] = schemaOf(f.Type)
		}
		return map[string]any{"type": "object", "properties": props}
	}
	return map[string]any{}
}
