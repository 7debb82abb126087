package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang/httpapi"
)

// TestProblemListsEveryInvalidField: an order with four mistakes gets one
// RFC 9457 answer naming all four (it used to take four round trips),
// repeating none of the submitted values, with the request's id.
func TestProblemListsEveryInvalidField(t *testing.T) {
	f := newFixture(t)
	body := `{"merchant_order_id":"","lines":[{"sku":"SKU-1","quantity":0}],
		"recipient":{"name":"欧阳娜娜","phone":"23812345678","address":""},"remarks":"放门卫"}`
	rec := f.do(t, "POST", "/api/v1/orders", f.tokens["merchant_admin@ta"], body, "X-Request-Id", "client-req-1")
	var p httpapi.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || rec.Code != http.StatusBadRequest {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q", ct)
	}
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
		if e.Problem == "" {
			t.Errorf("%s: no problem stated", e.Field)
		}
	}
	if got := strings.Join(fields, " "); got != "merchant_order_id lines[0].quantity recipient.phone recipient.address" {
		t.Errorf("fields = %s", got)
	}
	if p.Status != 400 || p.Code != "invalid" || p.Type == "" || p.Title == "" || p.Detail == "" || p.Instance != "/api/v1/orders" {
		t.Errorf("problem = %+v", p)
	}
	if p.RequestID != "client-req-1" || rec.Header().Get("X-Request-Id") != "client-req-1" {
		t.Errorf("request id: body %q, header %q", p.RequestID, rec.Header().Get("X-Request-Id"))
	}
	for _, v := range []string{"欧阳", "2381234", "放门卫"} {
		if strings.Contains(rec.Body.String(), v) {
			t.Errorf("the problem repeats the submitted %q", v)
		}
	}
}

// TestRequestIDs: a plain client id is kept, anything else is replaced by
// the server's own; every response carries one and every request log line
// names it.
func TestRequestIDs(t *testing.T) {
	f := newFixture(t)
	var logs bytes.Buffer
	f.srv = httpapi.New(httpapi.Config{Store: f.db, Auth: f.auth, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	ids := map[string]bool{}
	for _, sent := range []string{"", "abc-123", "has spaces and ünïcode", strings.Repeat("x", 65), "13912345678", "req-1391234-x"} {
		rec := f.do(t, "GET", "/api/v1/ping", "", "", "X-Request-Id", sent)
		got := rec.Header().Get("X-Request-Id")
		if sent == "abc-123" && got != sent {
			t.Errorf("plain id %q became %q", sent, got)
		}
		if sent != "abc-123" && (got == sent || !regexp.MustCompile(`^[0-9a-f]{24}$`).MatchString(got)) {
			t.Errorf("id %q answered with %q", sent, got)
		}
		if ids[got] {
			t.Errorf("id %q given twice", got)
		}
		ids[got] = true
	}
	rec := f.do(t, "GET", "/api/v1/no-such-thing", "", "")
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), `"request_id":"`+rec.Header().Get("X-Request-Id")+`"`) {
		t.Errorf("404 problem lacks the request id: %s", rec.Body)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 7 {
		t.Fatalf("%d log lines, want 7:\n%s", len(lines), logs.String())
	}
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["request_id"] == nil || !ids[m["request_id"].(string)] && m["status"] != float64(404) {
			t.Errorf("log line without the response's request id: %s", l)
		}
	}
}

// TestOrderLookupByMerchantOrderID: a merchant finds its order by its own
// id, and only its own (the same policy as reading orders).
func TestOrderLookupByMerchantOrderID(t *testing.T) {
	f := newFixture(t)
	f.createOrder(t, f.a, "TB-LOOKUP-1")
	lookup := func(actor, moid string) (int, []string) {
		rec := f.do(t, "GET", "/api/v1/orders?merchant_order_id="+moid, f.tokens[actor], "")
		var page struct {
			Items []struct {
				MerchantOrderID string `json:"merchant_order_id"`
			}
		}
		json.Unmarshal(rec.Body.Bytes(), &page)
		var out []string
		for _, o := range page.Items {
			out = append(out, o.MerchantOrderID)
		}
		return rec.Code, out
	}
	if code, got := lookup("merchant_admin@ta", "TB-LOOKUP-1"); code != 200 || len(got) != 1 || got[0] != "TB-LOOKUP-1" {
		t.Errorf("own order: %d %v", code, got)
	}
	if code, got := lookup("merchant_admin@tb", "TB-LOOKUP-1"); code != 200 || len(got) != 0 {
		t.Errorf("other tenant's order: %d %v", code, got)
	}
	if code, got := lookup("merchant_admin@ta", "SEED-B"); code != 200 || len(got) != 0 {
		t.Errorf("other tenant's seed order: %d %v", code, got)
	}
	if code, _ := lookup("merchant_admin@ta", strings.Repeat("x", 65)); code != 400 {
		t.Errorf("overlong id: %d", code)
	}
	if code, _ := lookup("operator", "TB-LOOKUP-1"); code != 403 {
		t.Errorf("operator: %d", code)
	}
}

// TestMetricsCountSensitiveActions: reveals, guard decisions and quota
// refusals are counted, and request metrics carry the route pattern and the
// method as separate labels, never a path with an id.
func TestMetricsCountSensitiveActions(t *testing.T) {
	f, _ := newGuardFixture(t)
	ids := f.seedOrders(t, 12)
	cs := f.tokens["customer_service"]
	ok, refused := 0, 0
	for i := range ids {
		f.clock.Advance(3 * time.Minute)
		f.tokensFresh(t, "customer_service")
		switch rec := f.reveal(t, cs, ids[i*5%len(ids)]); rec.Code {
		case 200:
			ok++
		case 429:
			refused++
		default:
			t.Fatalf("reveal: %d %s", rec.Code, rec.Body)
		}
	}
	if ok == 0 || refused == 0 {
		t.Fatalf("%d revealed, %d refused: the test needs both", ok, refused)
	}
	f.do(t, "BREW", "/api/v1/orders", "", "")
	m := f.metrics(t)
	for _, want := range []string{
		fmt.Sprintf(`yuncang_reveals_total{outcome="revealed"} %d`, ok),
		fmt.Sprintf(`yuncang_quota_refusals_total{activity="reveal"} %d`, refused),
		`yuncang_guard_decisions_total{activity="reveal",decision=`,
		fmt.Sprintf(`yuncang_http_requests_total{code="200",method="POST",route="/api/v1/orders/{id}/reveal"} %d`, ok),
		"go_goroutines ", "process_open_fds ",
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, "BREW") || !strings.Contains(m, `method="other",route="unmatched"`) {
		t.Errorf("an unknown method is a label of its own")
	}
	if regexp.MustCompile(`route="[^"]*/[0-9]+`).MatchString(m) || strings.Contains(m, "13812345678") {
		t.Errorf("metrics hold a raw path or personal data")
	}
}

// TestCreateUserReportsEveryInvalidField: an account with a bad warehouse,
// a bad shift and no end date for a temporary hire is refused once, naming
// all three, and nothing is created.
func TestCreateUserReportsEveryInvalidField(t *testing.T) {
	f := newFixture(t)
	body := `{"username":"temp-1","role":"operator","warehouses":["NOPE"],"employment_type":"temporary","shift":{"start":"8am","end":"20:00","days":["mon"],"mode":"deny"}}`
	rec := f.do(t, "POST", "/api/v1/users", f.freshSession(t, "platform_admin"), body)
	var p httpapi.Problem
	json.Unmarshal(rec.Body.Bytes(), &p)
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
	}
	if rec.Code != 400 || strings.Join(fields, " ") != "warehouses[0] shift.start end_at" {
		t.Fatalf("%d %v: %s", rec.Code, fields, rec.Body)
	}
	if _, err := f.db.UserByUsername(context.Background(), "temp-1"); err == nil {
		t.Fatal("the refused account was created")
	}
}

// TestRefusedQueryNamesAreNotEchoed: a parameter name that may be data
// (digits, non-ASCII) is refused without being repeated.
func TestRefusedQueryNamesAreNotEchoed(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"13812345678=1", "%E6%AC%A7%E9%98%B3=1", "limt=1"} {
		rec := f.do(t, "GET", "/api/v1/orders?"+q, f.tokens["merchant_admin@ta"], "")
		var p httpapi.Problem
		json.Unmarshal(rec.Body.Bytes(), &p)
		if rec.Code != 400 || len(p.Errors) != 1 {
			t.Fatalf("?%s: %d %s", q, rec.Code, rec.Body)
		}
		if want := map[bool]string{true: "limt", false: "query"}[q == "limt=1"]; p.Errors[0].Field != want {
			t.Errorf("?%s: field %q, want %q", q, p.Errors[0].Field, want)
		}
		if strings.Contains(rec.Body.String(), "13812345678") || strings.Contains(rec.Body.String(), "欧阳") {
			t.Errorf("?%s: echoed: %s", q, rec.Body)
		}
	}
}
