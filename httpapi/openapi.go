package httpapi

import (
	"net/http"
	"reflect"
	"regexp"
	"sort"
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
	"GET /api/v1/users":                           {nil, pageOf(UserJSON{}), "200"},
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
	"GET /api/v1/devices":                         {nil, pageOf(DeviceJSON{}), "200"},
	"POST /api/v1/devices/{id}/revoke":            {nil, nil, "204"},
	"GET /api/v1/audit/events":                    {nil, AuditEventsJSON{}, "200"},
	"GET /healthz":                                {nil, HealthJSON{}, "200"},
	"GET /api/v1/openapi.json":                    {nil, map[string]any{}, "200"},
	"GET /api/v1/audit/checkpoint":                {nil, CheckpointJSON{}, "200"},
	"GET /api/v1/audit/proof/inclusion":           {nil, ProofJSON{}, "200"},
	"GET /api/v1/audit/proof/consistency":         {nil, ProofJSON{}, "200"},
	"POST /api/v1/tenants":                        {TenantJSON{}, TenantJSON{}, "201"},
	"GET /api/v1/tenants":                         {nil, pageOf(TenantJSON{}), "200"},
	"POST /api/v1/warehouses":                     {WarehouseJSON{}, WarehouseJSON{}, "201"},
	"GET /api/v1/warehouses":                      {nil, pageOf(WarehouseJSON{}), "200"},
	"POST /api/v1/skus":                           {SKUJSON{}, SKUJSON{}, "201"},
	"GET /api/v1/skus":                            {nil, pageOf(SKUJSON{}), "200"},
	"GET /api/v1/stock":                           {nil, pageOf(StockJSON{}), "200"},
	"GET /api/v1/warehouses/{warehouse}/stock":    {nil, pageOf(StockJSON{}), "200"},
	"PUT /api/v1/warehouses/{warehouse}/stock":    {SetStockRequest{}, pageOf(StockJSON{}), "200"},
	"POST /api/v1/orders":                         {OrderRequest{}, OrderJSON{}, "201"},
	"POST /api/v1/orders/import":                  {nil, ImportResponse{}, "200"},
	"GET /api/v1/orders":                          {nil, OrderPage{}, "200"},
	"POST /api/v1/orders/search":                  {OrderSearchRequest{}, OrderPage{}, "200"},
	"GET /api/v1/orders/{id}":                     {nil, OrderJSON{}, "200"},
	"POST /api/v1/orders/{id}/reveal":             {RevealRequest{}, RevealResponse{}, "200"},
}

func init() {
	for p, alt := range map[string]struct {
		status, description string
		resp                any
	}{
		"POST /api/v1/orders/import": {"422", "All or nothing, and a row was bad: nothing was stored; the import report (not a problem document) lists every bad row, and not_committed counts the good orders left unstored", ImportResponse{}},
		"GET /healthz":               {"503", "Not ready (the database does not answer)", HealthJSON{}},
	} {
		apiAltResponses[p] = alt
	}
}

// apiContent lists the media types other than JSON a route's success
// answer may take: exports and labels are files.
var apiContent = map[string][]string{
	"GET /api/v1/audit/events":                                      {"application/x-ndjson", "text/csv"},
	"GET /api/v1/warehouses/{warehouse}/shipments/{shipment}/label": {"application/pdf", "image/png", "application/zpl", "application/zip"},
	"POST /api/v1/warehouses/{warehouse}/labels":                    {"application/pdf", "image/png", "application/zpl", "application/zip"},
	"GET /metrics": {"text/plain"},
}

// envelope documents a response that wraps a list under a named key, as
// {"orders": [...]} of POST /allocations: the key is part of the wire
// format, so the document must carry it. Lists use Page (pageOf).
type envelope struct {
	key  string
	item any
}

func listOf(key string, item any) envelope { return envelope{key, item} }

// respSchema is the documented schema of a response value.
func respSchema(v any) map[string]any {
	if p, ok := v.(pageDoc); ok {
		return map[string]any{"type": "object", "required": []string{"items"}, "properties": map[string]any{
			"items": map[string]any{"type": "array", "items": schemaOf(reflect.TypeOf(p.item))},
			"next":  map[string]any{"type": "string", "description": "The cursor of the next page; absent on the last"}}}
	}
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
			"operationId": strings.ToLower(rt.Method) + strings.NewReplacer("/api/v1/", "_", "/", "_", "{", "", "}", "", ".", "_", "-", "_").Replace(rt.Path),
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
		for _, q := range s.queryParams(rt) {
			params = append(params, q.doc())
		}
		if rt.Pattern() == "POST /api/v1/orders/import" {
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"text/csv": map[string]any{"schema": map[string]any{"type": "string"}},
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}},
				"multipart/form-data": map[string]any{"schema": map[string]any{"type": "object", "properties": map[string]any{"file": map[string]any{"type": "string", "format": "binary"}}}},
			}}
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		responses := errorResponses(rt)
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
		if types, ok := apiContent[rt.Pattern()]; ok {
			status := "200"
			if d, ok := apiDocs[rt.Pattern()]; ok {
				status = d.status
			}
			ok := responses[status].(map[string]any)
			ok["description"] = "OK"
			content, _ := ok["content"].(map[string]any)
			if content == nil {
				content = map[string]any{}
				ok["content"] = content
			}
			for _, t := range types {
				content[t] = map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}
			}
		}
		if alt, ok := apiAltResponses[rt.Pattern()]; ok {
			responses[alt.status] = map[string]any{"description": alt.description, "content": jsonContent(respSchema(alt.resp))}
		}
		op["responses"] = responses
		switch {
		case rt.Policy.Gateway || rt.Policy.Device:
			// The device signature is in the header parameters; a
			// device-bound route also needs the person's bearer token.
			if rt.Policy.Gateway {
				op["security"] = []any{map[string]any{"deviceSignature": []string{}}}
			} else {
				op["security"] = []any{map[string]any{"bearer": []string{}, "deviceSignature": []string{}}}
				op["x-roles"] = rt.Policy.Roles
			}
		case !rt.Policy.Public:
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
			"description": "Privacy-first cloud warehouse. Recipient data is always returned masked per GB/T 41833-2022. " +
				"Errors are RFC 9457 problem documents (application/problem+json) listing every invalid field at once; " +
				"query parameters a route does not declare are refused; every response carries X-Request-Id."},
		"paths":      paths,
		"components": components(),
	}
}

// components are the document's shared schemas, responses and security
// schemes.
func components() map[string]any {
	resps := map[string]any{}
	for _, e := range standardErrors {
		resps[e.name] = map[string]any{"description": e.description,
			"headers": map[string]any{requestIDHeader: map[string]any{"$ref": "#/components/headers/RequestId"}},
			"content": map[string]any{problemContentType: map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
	}
	problem := schemaOf(reflect.TypeOf(Problem{}))
	problem["required"] = []string{"type", "title", "status", "detail", "code"}
	problem["properties"].(map[string]any)["errors"] = map[string]any{"type": "array", "items": map[string]any{"$ref": "#/components/schemas/FieldProblem"}}
	problem["properties"].(map[string]any)["code"] = map[string]any{"type": "string", "enum": codeNames()}
	fieldProblem := schemaOf(reflect.TypeOf(FieldProblem{}))
	fieldProblem["required"] = []string{"field", "problem"}
	return map[string]any{
		"schemas": map[string]any{
			"Problem":      problem,
			"FieldProblem": fieldProblem,
			"Page": map[string]any{"type": "object", "description": "The list envelope of keyset-paged lists: items, and the cursor of the next page (absent on the last)",
				"properties": map[string]any{"items": map[string]any{"type": "array", "items": map[string]any{}}, "next": map[string]any{"type": "string"}}},
		},
		"responses": resps,
		"headers": map[string]any{"RequestId": map[string]any{"description": "The request's id (the client's X-Request-Id when it sent a plain one of at most 64 characters); also in the problem body and every log line",
			"schema": map[string]any{"type": "string"}}},
		"securitySchemes": map[string]any{
			"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "Session token from /api/v1/login or an API token"},
			"deviceSignature": map[string]any{"type": "apiKey", "in": "header", "name": "X-Yuncang-Device-Signature",
				"description": "Ed25519 signature by an enrolled device's key, with X-Yuncang-Device, X-Yuncang-Device-Time and X-Yuncang-Device-Nonce"},
		},
	}
}

// standardErrors are the error answers an operation may give, by status.
var standardErrors = []struct {
	status, name, description string
}{
	{"400", "BadRequest", "Invalid request: every invalid field is listed in errors"},
	{"401", "Unauthorized", "No valid credential"},
	{"403", "Forbidden", "The credential may not do this here"},
	{"404", "NotFound", "No such record within the caller's reach"},
	{"409", "Conflict", "The request conflicts with the record's state"},
	{"429", "TooManyRequests", "A rate limit or quota is spent"},
	{"default", "InternalError", "Internal error"},
}

// errorResponses are the error answers of a route, from its policy, method
// and path: every route may refuse bad input; protected routes refuse
// missing or insufficient credentials; routes naming a record may miss it;
// changes may conflict; protected routes and logins are rate limited.
func errorResponses(rt Route) map[string]any {
	out := map[string]any{}
	protected := !rt.Policy.Public
	for _, e := range standardErrors {
		var use bool
		switch e.status {
		case "400", "default":
			use = true
		case "401", "403":
			use = protected
		case "404":
			use = strings.Contains(rt.Path, "{") || rt.Policy.Tenant
		case "409":
			use = rt.Method != "GET"
		case "429":
			use = protected || rt.Method == "POST"
		}
		if use {
			out[e.status] = map[string]any{"$ref": "#/components/responses/" + e.name}
		}
	}
	return out
}

func codeNames() []string {
	out := make([]string, 0, len(statusOf))
	for c := range statusOf {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
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
