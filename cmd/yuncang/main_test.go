package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/orderfile"
	"github.com/yuncang/yuncang/storetest"
)

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is the real wiring on 127.0.0.1:0 over a temporary SQLite file,
// seeded with the demo data set.
type testServer struct {
	*Main
	logs   *syncBuffer
	dbPath string
	logins map[string]DemoLogin
}

func startServer(t *testing.T, orders int) *testServer { return startServerWith(t, orders, nil) }

// startServerWith is startServer with the server's clock (nil: real time).
func startServerWith(t *testing.T, orders int, now func() time.Time) *testServer {
	t.Helper()
	dir := t.TempDir()
	logs := &syncBuffer{}
	ts := &testServer{logs: logs, dbPath: filepath.Join(dir, "yuncang.db"), logins: map[string]DemoLogin{}}
	ts.Main = &Main{
		Config:    Config{Addr: "127.0.0.1:0", DataDir: dir, LogLevel: "debug"},
		Master:    storetest.NewMasterKeys(t, "k1"),
		AuditKeys: testAuditKeys(t),
		Migrate:   true,
		Logger:    newLogger(logs, "debug"),
		Now:       now,
	}
	if err := ts.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	logins, err := seedDemo(context.Background(), ts.DB, ts.Auth, orders)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logins {
		ts.logins[l.Username] = l
	}
	return ts
}

// call makes a request and decodes a JSON response into out (if not nil).
func (ts *testServer) call(t *testing.T, method, path, token, ctype string, body io.Reader, out any) int {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL()+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

func (ts *testServer) jsonCall(t *testing.T, method, path, token, body string, out any) int {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return ts.call(t, method, path, token, "application/json", r, out)
}

func (ts *testServer) login(t *testing.T, username string) string {
	t.Helper()
	var resp struct{ Token string }
	l := ts.logins[username]
	code := ""
	if l.TOTPSecret != "" {
		var err error
		if code, err = auth.TOTPCode(l.TOTPSecret, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	body := fmt.Sprintf(`{"username":%q,"password":%q,"totp":%q}`, username, l.Password, code)
	if code := ts.jsonCall(t, "POST", "/api/v1/login", "", body, &resp); code != 200 || resp.Token == "" {
		t.Fatalf("login %s: %d", username, code)
	}
	return resp.Token
}

// rawFiles returns every byte of the SQLite database on disk.
func (ts *testServer) rawFiles(t *testing.T) []byte {
	var all []byte
	for _, s := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(ts.dbPath + s)
		if err == nil {
			all = append(all, b...)
		}
	}
	if len(all) == 0 {
		t.Fatal("no database files")
	}
	return all
}

type orderOut struct {
	ID              int64  `json:"id"`
	MerchantOrderID string `json:"merchant_order_id"`
	Recipient       struct{ Name, Phone, Address string }
	Destination     map[string]string
	Remarks         string
	// The RFC 9457 problem members of an error answer.
	Code, Detail string
	Errors       []struct{ Field, Problem string }
	OrderID      int64 `json:"order_id"` // of a 409 to an existing merchant order id
}

// field is the first invalid field an error answer names.
func (o orderOut) field() string {
	if len(o.Errors) == 0 {
		return ""
	}
	return o.Errors[0].Field
}

// The known recipient of the end-to-end test, looked for everywhere.
const (
	knownName    = "欧阳娜娜"
	knownPhone   = "13812345678"
	knownAddress = "浙江省金华市义乌市稠城街道工人北路1088号3单元502室"
	knownStreet  = "工人北路1088号"
	knownRemarks = "放门卫，或打 15900001111"
)

func knownOrder(moid string, qty int) string {
	return fmt.Sprintf(`{"merchant_order_id":%q,"lines":[{"sku":"YWG-001","quantity":%d}],
		"recipient":{"name":%q,"phone":"+86 138-1234-5678","address":%q},"remarks":%q}`, moid, qty, knownName, knownAddress, knownRemarks)
}

func TestEndToEnd(t *testing.T) {
	ts := startServer(t, 200)
	var health map[string]string
	if code := ts.jsonCall(t, "GET", "/healthz", "", "", &health); code != 200 || health["status"] != "ok" {
		t.Fatalf("healthz: %d %v", code, health)
	}
	tok := ts.login(t, "yiwu-goods-admin")

	var o orderOut
	if code := ts.jsonCall(t, "POST", "/api/v1/orders", tok, knownOrder("E2E-1", 2), &o); code != http.StatusCreated {
		t.Fatalf("create: %d %+v", code, o)
	}
	// Masked per GB/T 41833: name hides ≥1 character, phone ≥6 digits, no house/unit/room.
	if o.Recipient.Name != "欧阳**" {
		t.Errorf("masked name = %q", o.Recipient.Name)
	}
	if o.Recipient.Phone != "138******78" {
		t.Errorf("masked phone = %q", o.Recipient.Phone)
	}
	if o.Recipient.Address != "浙江省金华市义乌市稠城街道****" {
		t.Errorf("masked address = %q", o.Recipient.Address)
	}
	if strings.Contains(o.Remarks, "15900001111") || !strings.Contains(o.Remarks, "159******11") {
		t.Errorf("masked remarks = %q", o.Remarks)
	}
	if o.Destination["district_code"] != "330782" || o.Destination["street"] != "稠城街道" {
		t.Errorf("destination = %v", o.Destination)
	}

	// The merchant order id again, same or changed content: the same 409
	// naming the stored order (content is never compared).
	for _, q := range []int{2, 3} {
		var again orderOut
		if code := ts.jsonCall(t, "POST", "/api/v1/orders", tok, knownOrder("E2E-1", q), &again); code != http.StatusConflict ||
			again.OrderID != o.ID || again.field() != "merchant_order_id" {
			t.Fatalf("repeat with quantity %d: %d %+v want order %d", q, code, again, o.ID)
		}
	}

	// Read back, list and search: always masked.
	var got orderOut
	if code := ts.jsonCall(t, "GET", fmt.Sprintf("/api/v1/orders/%d", o.ID), tok, "", &got); code != 200 || got.Recipient != o.Recipient {
		t.Fatalf("get: %d %+v", code, got)
	}
	var page struct {
		Items []orderOut
		Next  string
	}
	if code := ts.jsonCall(t, "POST", "/api/v1/orders/search", tok, `{"phone":"138 1234 5678"}`, &page); code != 200 || len(page.Items) != 1 || page.Items[0].ID != o.ID {
		t.Fatalf("search: %d %d orders", code, len(page.Items))
	}
	seen := 0
	cursor := ""
	for i := 0; i < 20; i++ {
		page.Items, page.Next = nil, ""
		if code := ts.jsonCall(t, "GET", "/api/v1/orders?limit=40&cursor="+cursor, tok, "", &page); code != 200 {
			t.Fatalf("list: %d", code)
		}
		seen += len(page.Items)
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if seen != 104 { // 100 demo orders of this merchant, 3 decoys, E2E-1
		t.Fatalf("paged through %d orders, want 104", seen)
	}

	// Customer service reads the same order masked, naming the tenant.
	cs := ts.login(t, "cs1")
	if code := ts.jsonCall(t, "GET", fmt.Sprintf("/api/v1/orders/%d?tenant=yiwu-goods", o.ID), cs, "", &got); code != 200 || got.Recipient != o.Recipient {
		t.Fatalf("cs get: %d", code)
	}

	// The raw database files contain none of the plaintext.
	raw := ts.rawFiles(t)
	if !bytes.Contains(raw, []byte("E2E-1")) {
		t.Fatal("raw files lack the merchant order id: the check reads nothing")
	}
	for _, s := range []string{knownName, knownPhone, knownAddress, knownStreet, "15900001111", "工人北路"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("raw database contains plaintext (%d bytes)", len(s))
		}
	}
	// Prometheus scrapes with a token of scope metrics that an admin
	// issued to their own account; without it the metrics are refused.
	resp, err := http.Get(ts.URL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("metrics without a token: %d", resp.StatusCode)
	}
	var scrape struct{ Token string }
	if code := ts.jsonCall(t, "POST", "/api/v1/tokens", ts.login(t, "admin"), `{"username":"admin","label":"prometheus","scopes":["metrics"]}`, &scrape); code != 201 {
		t.Fatalf("issue a scrape token: %d", code)
	}
	req, _ := http.NewRequest("GET", ts.URL()+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+scrape.Token)
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	var metrics bytes.Buffer
	io.Copy(&metrics, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("metrics with the scrape token: %d", resp.StatusCode)
	}
	// Route pattern and method are separate labels; paths with ids never
	// appear (the order was read as /api/v1/orders/{id}).
	for _, want := range []string{`yuncang_orders_intake_total{outcome="created"} 1`,
		`yuncang_http_requests_total{code="201",method="POST",route="/api/v1/orders"} 1`,
		`yuncang_http_request_duration_seconds_count{method="GET",route="/api/v1/orders/{id}"}`,
		"go_goroutines ", "process_resident_memory_bytes "} {
		if !strings.Contains(metrics.String(), want) {
			t.Errorf("metrics lack %s:\n%s", want, metrics.String())
		}
	}
	if regexp.MustCompile(`route="[^"]*/[0-9]+`).MatchString(metrics.String()) {
		t.Errorf("a metric label holds a raw path with an id")
	}
	checkNoPII(t, ts.logs.String()+metrics.String())
}

// checkNoPII fails if any form of the known recipient appears in s.
func checkNoPII(t *testing.T, s string) {
	t.Helper()
	if len(s) < 100 {
		t.Fatal("nothing was logged; the check would prove nothing")
	}
	for _, v := range []string{knownName, knownPhone, "138-1234-5678", "1234-5678", "15900001111", knownStreet, "工人北路", "502室", "欧阳娜"} {
		if strings.Contains(s, v) {
			t.Errorf("logs or metrics contain personal data %q", v)
		}
	}
}

func TestBadInput(t *testing.T) {
	ts := startServer(t, 0)
	tok := ts.login(t, "yiwu-goods-admin")
	var before struct{ Items []orderOut }
	ts.jsonCall(t, "GET", "/api/v1/orders", tok, "", &before) // the demo's decoys
	good := func(mut func(m map[string]any)) string {
		var m map[string]any
		json.Unmarshal([]byte(knownOrder("BAD-1", 1)), &m)
		mut(m)
		b, _ := json.Marshal(m)
		return string(b)
	}
	rec := func(m map[string]any) map[string]any { return m["recipient"].(map[string]any) }
	cases := []struct {
		name, body, field string
	}{
		{"empty body", "", "body"},
		{"not json", "{nope", "body"},
		{"two objects", knownOrder("A", 1) + knownOrder("B", 1), "body"},
		{"unknown field", `{"merchant_order_id":"X","bogus":1}`, "bogus"},
		{"wrong type", `{"merchant_order_id":5}`, "merchant_order_id"},
		{"missing id", good(func(m map[string]any) { delete(m, "merchant_order_id") }), "merchant_order_id"},
		{"no lines", good(func(m map[string]any) { m["lines"] = []any{} }), "lines"},
		{"zero quantity", good(func(m map[string]any) { m["lines"] = []any{map[string]any{"sku": "YWG-001", "quantity": 0}} }), "lines[0].quantity"},
		{"unknown sku", good(func(m map[string]any) { m["lines"] = []any{map[string]any{"sku": "NOPE", "quantity": 1}} }), "lines[0].sku"},
		{"no name", good(func(m map[string]any) { rec(m)["name"] = "" }), "recipient.name"},
		{"bad phone", good(func(m map[string]any) { rec(m)["phone"] = "1381234567" }), "recipient.phone"},
		{"bad address", good(func(m map[string]any) { rec(m)["address"] = "某某地方工人北路1088号502室" }), "recipient.address"},
		{"huge remarks", good(func(m map[string]any) { m["remarks"] = strings.Repeat("很长", 400) }), "remarks"},
		{"huge body", `{"merchant_order_id":"` + strings.Repeat("x", 2<<20) + `"}`, "body"},
	}
	for _, c := range cases {
		var out orderOut
		code := ts.jsonCall(t, "POST", "/api/v1/orders", tok, c.body, &out)
		if code != http.StatusBadRequest || out.Code != "invalid" || out.field() != c.field || out.Detail == "" {
			t.Errorf("%s: %d %+v, want 400 naming %s", c.name, code, out, c.field)
		}
		for _, v := range []string{knownName, "1381234567", "工人北路", "某某地方"} {
			if strings.Contains(out.Detail, v) || strings.Contains(fmt.Sprint(out.Errors), v) {
				t.Errorf("%s: error message echoes personal data", c.name)
			}
		}
	}
	// Nothing was stored by any failed request.
	var page struct{ Items []orderOut }
	ts.jsonCall(t, "GET", "/api/v1/orders", tok, "", &page)
	if len(page.Items) != len(before.Items) {
		t.Fatalf("failed requests stored %d orders", len(page.Items)-len(before.Items))
	}
	// The phone never goes in a URL.
	var e orderOut
	if code := ts.jsonCall(t, "GET", "/api/v1/orders?phone=13812345678", tok, "", &e); code != 400 || e.field() != "phone" {
		t.Fatalf("phone in URL: %d", code)
	}
	var unauth orderOut
	if code := ts.jsonCall(t, "GET", "/api/v1/orders", "ycs_not-a-real-token", "", &unauth); code != 401 || unauth.Code != "unauthorized" {
		t.Fatalf("bad token: %d", code)
	}
	checkNoPII(t, ts.logs.String())
}

func TestImportAPI(t *testing.T) {
	ts := startServer(t, 0)
	tok := ts.login(t, "yiwu-goods-staff")
	g := demodata.NewGenerator(99)
	var orders []yuncang.OrderInput
	for i := 0; i < 30; i++ {
		orders = append(orders, g.Order("yiwu-goods"))
	}
	bad := orders[3]
	bad.Recipient.Phone = "12345"
	withBad := append(append([]yuncang.OrderInput{}, orders[:3]...), bad)

	type importResp struct {
		Orders, Created, Existing, Rejected int
		NotCommitted                        int `json:"not_committed"`
		Committed                           bool
		Errors                              []struct {
			Row             int
			Field, Message  string
			MerchantOrderID string `json:"merchant_order_id"`
		}
	}
	xlsxCT := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

	// All or nothing with a bad row: 422 and nothing stored.
	var buf bytes.Buffer
	must(t, orderfile.WriteCSV(&buf, withBad))
	var r importResp
	if code := ts.call(t, "POST", "/api/v1/orders/import?all_or_nothing=true", tok, "text/csv", bytes.NewReader(buf.Bytes()), &r); code != 422 || r.Committed || r.Created != 0 ||
		r.Rejected != 1 || r.NotCommitted != 3 || r.Orders != 4 {
		t.Fatalf("all-or-nothing: %d %+v", code, r)
	}
	// All or nothing lists every bad row, not only the first kind found:
	// a bad phone (refused before the store) and an unknown SKU (which the
	// store refuses).
	noSKU := orders[4]
	noSKU.Lines = []yuncang.OrderLine{{SKUCode: "NO-SUCH-SKU", Quantity: 1}}
	var twoBad bytes.Buffer
	must(t, orderfile.WriteCSV(&twoBad, append(append([]yuncang.OrderInput{}, withBad...), noSKU)))
	r = importResp{}
	if code := ts.call(t, "POST", "/api/v1/orders/import?all_or_nothing=true", tok, "text/csv", bytes.NewReader(twoBad.Bytes()), &r); code != 422 || r.Committed || r.Created != 0 ||
		r.Rejected != 2 || len(r.Errors) != 2 || r.Errors[0].Field != "recipient.phone" || r.Errors[1].Field != "lines[0].sku" {
		t.Fatalf("all-or-nothing with two bad rows: %d %+v", code, r)
	}
	// Best effort: the good rows land, the bad one is reported by row and field.
	r = importResp{}
	if code := ts.call(t, "POST", "/api/v1/orders/import", tok, "text/csv", bytes.NewReader(buf.Bytes()), &r); code != 200 || r.Created != 3 || r.Rejected != 1 {
		t.Fatalf("csv import: %d %+v", code, r)
	}
	if len(r.Errors) != 1 || r.Errors[0].Field != "recipient.phone" || r.Errors[0].MerchantOrderID != bad.MerchantOrderID || r.Errors[0].Row < 2 {
		t.Fatalf("csv import errors: %+v", r.Errors)
	}
	// XLSX of all 30: 3 existing (nothing stored for them), 27 created.
	buf.Reset()
	must(t, orderfile.WriteXLSX(&buf, orders))
	r = importResp{}
	if code := ts.call(t, "POST", "/api/v1/orders/import", tok, xlsxCT, bytes.NewReader(buf.Bytes()), &r); code != 200 || r.Created != 27 || r.Existing != 3 || r.Rejected != 0 {
		t.Fatalf("xlsx import: %d %+v", code, r)
	}
	// Garbage file: a clear error.
	var e orderOut
	if code := ts.call(t, "POST", "/api/v1/orders/import", tok, "application/octet-stream", bytes.NewReader([]byte{0, 1, 2, 3, 0xff, 0xfe}), &e); code != 400 {
		t.Fatalf("binary import: %d %+v", code, e)
	}
	raw := ts.rawFiles(t)
	for _, o := range orders {
		if bytes.Contains(raw, []byte(o.Recipient.Phone)) || bytes.Contains(raw, []byte(o.Recipient.Name)) {
			t.Fatal("imported plaintext found in the database files")
		}
	}
	checkNoPII(t, ts.logs.String())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testAuditKeys(t *testing.T) *auditKeys {
	t.Helper()
	k, err := ephemeralAuditKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}
