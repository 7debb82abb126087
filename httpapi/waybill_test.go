package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/label"
	"github.com/yuncang/yuncang/pii"
)

// virtualMain is the pool's one main number in these tests.
const virtualMain = "17099990000"

// waybillFixture is the fixture with carrier ZTO (linked to the "carrier"
// account, mod-7 check digits, one reprint, small resolve limits), a
// number range and a virtual number pool.
type waybillFixture struct {
	*fixture
	id     *age.X25519Identity
	secret []byte
}

func newWaybillFixture(t *testing.T, pool bool) *waybillFixture {
	return newWaybillFixtureWith(t, pool, nil)
}

// newWaybillFixtureWith runs the anti-theft guard with gc, if given.
func newWaybillFixtureWith(t *testing.T, pool bool, gc *guard.Config) *waybillFixture {
	t.Helper()
	f := &waybillFixture{fixture: newFixtureWith(t, gc)}
	var err error
	f.id, err = age.GenerateX25519Identity()
	must(t, err)
	pa := f.tokens["platform_admin"]
	c := f.createCarrier(t, fmt.Sprintf(`{"code":"ZTO","name":"中通快递","check_digit":"mod7","public_key":%q,
		"account":"carrier","max_reprints":1,"resolve_per_hour":8,"resolve_per_binding":3,"binding_days":15}`, f.id.Recipient().String()))
	if f.secret, err = hexDecode(c.WebhookSecret); err != nil || len(f.secret) != 32 {
		t.Fatalf("webhook secret %q", c.WebhookSecret)
	}
	if rec := f.do(t, "POST", "/api/v1/carriers/ZTO/segments", pa, `{"prefix":"7390","width":10,"first":1000,"last":999999}`); rec.Code != http.StatusCreated {
		t.Fatalf("add segment: %d %s", rec.Code, rec.Body)
	}
	// Tenant ta ships with ZTO from YW1, which holds its stock.
	f.api(t, 200, "PUT", "/api/v1/planning-config", "merchant_admin@ta", `{"carriers":[{"code":"ZTO","name":"中通快递","max_weight_g":30000,"max_volume_cm3":150000,"cutoff":"18:00",
		"rates":[{"from":"*","to":"*","first_fen":800,"additional_fen":200,"days":2}]}],"penalties":{"extra_parcel_fen":150,"extra_warehouse_fen":300}}`, nil)
	f.api(t, 200, "PUT", "/api/v1/warehouses/YW1/stock?tenant=ta", "operator", `{"sku":"SKU-1","on_hand":1000}`, nil)
	if pool {
		f.addPool(t)
	}
	return f
}

func (f *waybillFixture) addPool(t *testing.T) {
	t.Helper()
	if rec := f.do(t, "POST", "/api/v1/virtual-numbers", f.tokens["platform_admin"], `{"numbers":["`+virtualMain+`"]}`); rec.Code != 200 {
		t.Fatalf("add virtual numbers: %d %s", rec.Code, rec.Body)
	}
}

func hexDecode(s string) ([]byte, error) {
	b := make([]byte, len(s)/2)
	for i := range b {
		v, err := strconv.ParseUint(s[2*i:2*i+2], 16, 8)
		if err != nil {
			return nil, err
		}
		b[i] = byte(v)
	}
	return b, nil
}

const senderJSON = `{"name":"王小明","phone":"0579-85123456","address":"浙江省金华市义乌市福田街道国际商贸城五区12号"}`

// ship takes an order of tenant ta through the warehouse flow in YW1 —
// paid, allocated, waved, picked, packed, weighed — and creates the
// shipment of its parcel: the only way a shipment comes to exist.
func (f *waybillFixture) ship(t *testing.T, orderID int64) httpapi.ShipmentJSON {
	t.Helper()
	pid := f.weighedParcel(t, orderID)
	var s httpapi.ShipmentJSON
	f.api(t, 201, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/shipment?tenant=ta", pid), "operator", `{"sender":`+senderJSON+`}`, &s)
	return s
}

// weighedParcel takes an order of tenant ta to a weighed parcel in YW1.
func (f *waybillFixture) weighedParcel(t *testing.T, orderID int64) int64 {
	t.Helper()
	const mer, oper = "merchant_admin@ta", "operator"
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", orderID), mer, `{"status":"paid","reason":"payment_confirmed"}`, nil)
	f.api(t, 200, "POST", "/api/v1/allocations", mer, fmt.Sprintf(`{"order_ids":[%d]}`, orderID), nil)
	var wave struct {
		ID    int64 `json:"id"`
		Picks []struct {
			Location string `json:"location"`
			SKU      string `json:"sku"`
			Qty      int    `json:"qty"`
		} `json:"picks"`
		Parcels []int64 `json:"parcels"`
	}
	f.api(t, 201, "POST", "/api/v1/warehouses/YW1/waves?tenant=ta", oper, `{}`, &wave)
	for _, p := range wave.Picks {
		f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/waves/%d/picks?tenant=ta", wave.ID), oper,
			fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, p.Location, p.SKU, p.Qty), nil)
	}
	if len(wave.Parcels) != 1 {
		t.Fatalf("wave parcels: %v", wave.Parcels)
	}
	pid := wave.Parcels[0]
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/pack?tenant=ta", pid), oper, `{"barcodes":["690001"]}`, nil)
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/weigh?tenant=ta", pid), oper, `{"gross_g":305,"tare_g":200}`, nil)
	return pid
}

// label prints a label as the operator at the YW1 station.
func (f *waybillFixture) label(t *testing.T, id int64, query string) *httpResult {
	t.Helper()
	rec := f.do(t, "GET", fmt.Sprintf("/api/v1/warehouses/YW1/shipments/%d/label?%s", id, query), f.tokens["operator"], "",
		"X-Yuncang-Device", f.devices["YW1-DESK"])
	return &httpResult{rec.Code, rec.Body.Bytes(), rec.Header()}
}

type httpResult struct {
	code int
	body []byte
	hdr  http.Header
}

// recipientForbidden are pieces of the seeded recipient's and sender's
// plaintext that no label may show.
var recipientForbidden = []string{"欧阳娜娜", "娜娜", "13812345678", "12345678", "1088号", "1088", "3单元", "502室", "工人北路",
	"王小明", "小明", "85123456", "国际商贸城", "12号"}

func needTool(t *testing.T, tool, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s is not installed (Debian package %s); skipping", tool, pkg)
	}
	return p
}

func needFont(t *testing.T) {
	t.Helper()
	r, err := label.New(label.Options{})
	must(t, err)
	if _, err := r.FontPath(); err != nil {
		t.Skipf("no CJK font: %v", err)
	}
}

var virtualOnLabel = regexp.MustCompile(virtualMain + `转(\d{4})`)
var numberRun = regexp.MustCompile(`[0-9*][0-9*-]*`)

// assertLabelText checks text extracted from a printed label.
func assertLabelText(t *testing.T, text string, waybill string, virtual bool) {
	t.Helper()
	flat := strings.Join(strings.Fields(text), "")
	for _, s := range recipientForbidden {
		if strings.Contains(flat, s) {
			t.Errorf("label shows %q:\n%s", s, text)
		}
	}
	want := []string{"欧阳**", "浙江省金华市义乌市稠城街道****", "王**", "0579-******56", "浙-金华-义乌", "330782", "中通快递", waybill,
		"SEED-A", "105g", // the weighed parcel
		"操作员operator", "站点YW1-DESK", "2026-11-2810:00"}
	if virtual {
		if !virtualOnLabel.MatchString(flat) {
			t.Errorf("label lacks the virtual number %s转NNNN:\n%s", virtualMain, text)
		}
	} else {
		want = append(want, "138******78")
	}
	for _, s := range want {
		if !strings.Contains(flat, s) {
			t.Errorf("label lacks %q:\n%s", s, text)
		}
	}
	// The only complete number on a label is the virtual main number (the
	// scanner may also take digits of the waybill for a landline).
	for _, f := range pii.Scan(text) {
		got := strings.Join(strings.Fields(string([]rune(text)[f.Start:f.End])), "")
		if !strings.Contains(got, virtualMain) && !strings.Contains(waybill, got) {
			t.Errorf("label shows a complete phone or ID number (%d bytes)", len(got))
		}
	}
	for _, run := range numberRun.FindAllString(text, -1) {
		if strings.ContainsAny(run, "0123456789") && strings.Contains(run, "*") && strings.Count(run, "*") < 6 {
			t.Errorf("label shows %q, which hides fewer than 6 digits", run)
		}
	}
}

// TestLabelsThroughTheAPI prints labels for an order with a known recipient
// through the HTTP endpoint, reads the PDF back with pdftotext and the PNG's
// symbols with zbarimg, and finds nothing worth stealing.
func TestLabelsThroughTheAPI(t *testing.T) {
	needFont(t)
	pdftotext := needTool(t, "pdftotext", "poppler-utils")
	zbarimg := needTool(t, "zbarimg", "zbar-tools")
	f := newWaybillFixture(t, false)
	plain := f.ship(t, f.orderA) // before the pool exists: masked phone
	f.addPool(t)
	virtual := f.ship(t, f.createOrder(t, f.a, "SEED-A2"))
	if plain.VirtualNumber || !virtual.VirtualNumber || plain.ParcelNo != 1 || virtual.ParcelNo != 1 {
		t.Fatalf("shipments: %+v / %+v", plain, virtual)
	}
	if !yuncang.ValidWaybill(virtual.Waybill, "7390", yuncang.CheckMod7) || virtual.Waybill == plain.Waybill {
		t.Fatalf("waybills %s, %s", plain.Waybill, virtual.Waybill)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		s    httpapi.ShipmentJSON
		size string
	}{{plain, "76x130"}, {virtual, "100x150"}} {
		res := f.label(t, tc.s.ID, "format=pdf&size="+tc.size)
		if res.code != 200 || res.hdr.Get("Content-Type") != "application/pdf" {
			t.Fatalf("label: %d %s", res.code, res.body)
		}
		file := filepath.Join(dir, tc.s.Waybill+".pdf")
		must(t, os.WriteFile(file, res.body, 0o600))
		out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
		must(t, err)
		assertLabelText(t, string(out), tc.s.Waybill, tc.s.VirtualNumber)
	}

	// PNG: a reprint (with a reason) of the virtual one; scan its symbols.
	if res := f.label(t, virtual.ID, "format=png"); res.code != 400 {
		t.Fatalf("reprint without a reason: %d %s", res.code, res.body)
	}
	res := f.label(t, virtual.ID, "format=png&reason=printer_jam")
	if res.code != 200 || res.hdr.Get("Content-Type") != "image/png" {
		t.Fatalf("png label: %d %s", res.code, res.body)
	}
	file := filepath.Join(dir, "label.png")
	must(t, os.WriteFile(file, res.body, 0o600))
	out, err := exec.Command(zbarimg, "--quiet", file).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v %s", err, out)
	}
	got := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		kind, data, _ := strings.Cut(line, ":")
		got[kind] = data
	}
	if got["CODE-128"] != virtual.Waybill {
		t.Errorf("barcode reads %q, want %s", got["CODE-128"], virtual.Waybill)
	}
	key, err := f.db.LabelTokenKey(context.Background())
	must(t, err)
	wb, issued, err := label.VerifyToken(key, got["QR-Code"])
	if err != nil || wb != virtual.Waybill || !issued.Equal(f.clock.Now().Truncate(time.Second)) {
		t.Errorf("QR %q: %s %v %v", got["QR-Code"], wb, issued, err)
	}
	for _, s := range append(recipientForbidden, virtualMain) {
		if strings.Contains(got["QR-Code"], s) {
			t.Errorf("QR code carries %q", s)
		}
	}

	// One reprint is the limit: the next is refused, and on record.
	if res := f.label(t, virtual.ID, "format=zpl&reason=damaged"); res.code != http.StatusForbidden {
		t.Fatalf("reprint over the limit: %d %s", res.code, res.body)
	}
	// A voided label is never printed again.
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/shipments/%d/void", plain.ID), f.tokens["warehouse_supervisor"], `{"reason":"parcel repacked"}`); rec.Code != 200 {
		t.Fatalf("void: %d %s", rec.Code, rec.Body)
	}
	if res := f.label(t, plain.ID, "format=zpl&reason=relabel"); res.code != http.StatusConflict {
		t.Fatalf("print of a voided label: %d %s", res.code, res.body)
	}
	// Another warehouse's station cannot print YW1's labels.
	rec := f.do(t, "GET", fmt.Sprintf("/api/v1/warehouses/YW1/shipments/%d/label", virtual.ID), f.tokens["operator"], "", "X-Yuncang-Device", f.devices["GZ1-DESK"])
	if rec.Code != http.StatusForbidden {
		t.Fatalf("print from another warehouse's station: %d", rec.Code)
	}
	// Without an enrolled device: refused.
	if rec := f.do(t, "GET", fmt.Sprintf("/api/v1/warehouses/YW1/shipments/%d/label", virtual.ID), f.tokens["operator"], ""); rec.Code != http.StatusForbidden {
		t.Fatalf("print without a device: %d", rec.Code)
	}

	evs := events(t, f.fixture, "")
	count := map[string]int{}
	for _, e := range evs {
		if strings.HasPrefix(e.Kind, "label_") {
			count[e.Kind+"/"+e.Outcome]++
			if e.DeviceID == 0 || e.UserID != f.users["operator"].ID {
				t.Errorf("print event without device or operator: %+v", e)
			}
		}
	}
	if count["label_print/ok"] != 2 || count["label_reprint/ok"] != 1 || count["label_reprint/denied"] != 2 {
		t.Errorf("label events: %v", count)
	}
	// The metrics count what the log records as printed, and only that.
	m := f.metrics(t)
	for _, want := range []string{`yuncang_label_prints_total{kind="print",path="download"} 2`, `yuncang_label_prints_total{kind="reprint",path="download"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// events returns the audit log, newest first, optionally of one kind.
func events(t *testing.T, f *fixture, kind string) []*yuncang.Event {
	t.Helper()
	evs, err := f.db.Events(context.Background(), yuncang.EventFilter{Kind: kind, Limit: 1000})
	must(t, err)
	return evs
}

// TestLabelBatch prints several labels as one PDF and as ZPL.
func TestLabelBatch(t *testing.T) {
	f := newWaybillFixture(t, true)
	var ids []string
	var waybills []string
	for i := range 5 {
		id := f.createOrder(t, f.a, fmt.Sprintf("BATCH-%d", i))
		s := f.ship(t, id)
		ids = append(ids, strconv.FormatInt(s.ID, 10))
		waybills = append(waybills, s.Waybill)
	}
	body := `{"shipment_ids":[` + strings.Join(ids, ",") + `],"format":"zpl","size":"100x150"}`
	rec := f.do(t, "POST", "/api/v1/warehouses/YW1/labels", f.tokens["operator"], body, "X-Yuncang-Device", f.devices["YW1-DESK"])
	if rec.Code != 200 || strings.Count(rec.Body.String(), "^XA") != 5 {
		t.Fatalf("zpl batch: %d %.300s", rec.Code, rec.Body)
	}
	for _, w := range waybills {
		if !strings.Contains(rec.Body.String(), w) {
			t.Errorf("batch lacks %s", w)
		}
	}
	for _, s := range recipientForbidden {
		if strings.Contains(rec.Body.String(), s) {
			t.Errorf("zpl shows %q", s)
		}
	}
	// Printing them again is a reprint: the reason is required.
	rec = f.do(t, "POST", "/api/v1/warehouses/YW1/labels", f.tokens["operator"], body, "X-Yuncang-Device", f.devices["YW1-DESK"])
	if rec.Code != 400 {
		t.Fatalf("batch reprint without a reason: %d %s", rec.Code, rec.Body)
	}
	ev := events(t, f.fixture, "label_print")
	if len(ev) != 1 || len(ev[0].Targets) != 5 {
		t.Fatalf("batch print events: %+v", ev)
	}
}

// carrierToken returns a session of a new carrier account linked to a new
// carrier with the code given.
func (f *waybillFixture) otherCarrier(t *testing.T, code string) string {
	t.Helper()
	hash, err := auth.HashPassword(f.password)
	must(t, err)
	f.addUser(t, &yuncang.User{Username: "carrier-" + code, Role: yuncang.RoleCarrier}, hash, "carrier-"+code)
	id, _ := age.GenerateX25519Identity()
	f.createCarrier(t, fmt.Sprintf(`{"code":%q,"name":"顺丰速运","public_key":%q,"account":"carrier-%s"}`, code, id.Recipient().String(), code))
	return f.tokens["carrier-"+code]
}

// boundExtension reads the extension bound to a shipment (the label shows it).
func (f *waybillFixture) boundExtension(t *testing.T, id int64) string {
	t.Helper()
	res := f.label(t, id, "format=zpl")
	if res.code != 200 {
		t.Fatalf("label: %d %s", res.code, res.body)
	}
	m := regexp.MustCompile(virtualMain + ` 转 (\d{4})`).FindSubmatch(res.body)
	if m == nil {
		t.Fatalf("no virtual number on the label")
	}
	return string(m[1])
}

func (f *waybillFixture) resolve(t *testing.T, token, ext string) (int, string) {
	t.Helper()
	rec := f.do(t, "POST", "/api/v1/carrier/resolve", token, fmt.Sprintf(`{"virtual_number":%q,"extension":%q}`, virtualMain, ext))
	return rec.Code, rec.Body.String()
}

// handOver puts printed shipments in a manifest: the carrier may pick up
// only what was handed over.
func (f *waybillFixture) handOver(t *testing.T, waybills ...string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"carrier": "ZTO", "waybills": waybills})
	if rec := f.do(t, "POST", "/api/v1/warehouses/YW1/manifests", f.tokens["operator"], string(b)); rec.Code != http.StatusCreated {
		t.Fatalf("manifest: %d %s", rec.Code, rec.Body)
	}
}

// webhook posts a signed tracking event, optionally tampering with it.
func (f *waybillFixture) webhook(t *testing.T, id, waybill, status string, skew time.Duration, badSig bool) *httpResult {
	t.Helper()
	body := fmt.Sprintf(`{"id":%q,"waybill":%q,"status":%q,"at":%q,"note":"到达义乌转运中心"}`, id, waybill, status, f.clock.Now().Format(time.RFC3339))
	ts := strconv.FormatInt(f.clock.Now().Add(skew).Unix(), 10)
	sig := httpapi.WebhookSignature(f.secret, ts, []byte(body))
	if badSig {
		sig = httpapi.WebhookSignature([]byte("not-the-carrier-secret-0123456789"), ts, []byte(body))
	}
	rec := f.do(t, "POST", "/api/v1/carrier/events", f.tokens["carrier"], body, "X-Yuncang-Timestamp", ts, "X-Yuncang-Signature", sig)
	return &httpResult{rec.Code, rec.Body.Bytes(), rec.Header()}
}

// TestVirtualNumberResolve: the carrier resolves its own live binding to the
// real phone; a foreign carrier, an expired binding and a carrier over its
// limits are refused, and every attempt is on record.
func TestVirtualNumberResolve(t *testing.T) {
	f := newWaybillFixture(t, true)
	s := f.ship(t, f.orderA)
	ext := f.boundExtension(t, s.ID)
	zto := f.tokens["carrier"]
	sf := f.otherCarrier(t, "SF")
	// Before the handover the carrier gets nothing: no real phone, no pick-up.
	if code, body := f.resolve(t, zto, ext); code != http.StatusNotFound || strings.Contains(body, "1381234") {
		t.Fatalf("resolve before the handover: %d %s", code, body)
	}
	if r := f.webhook(t, "e1b", s.Waybill, "picked_up", 0, false); r.code != http.StatusConflict || !strings.Contains(string(r.body), "manifest") {
		t.Fatalf("pick-up before the handover: %d %s", r.code, r.body)
	}
	f.handOver(t, s.Waybill)

	code, body := f.resolve(t, zto, ext)
	if code != 200 || !strings.Contains(body, `"phone":"13812345678"`) || !strings.Contains(body, s.Waybill) {
		t.Fatalf("resolve: %d %s", code, body)
	}
	// Another carrier: refused exactly like an unknown number.
	if code, body := f.resolve(t, sf, ext); code != http.StatusNotFound || strings.Contains(body, "1381234") {
		t.Fatalf("foreign resolve: %d %s", code, body)
	}
	other := "0000"
	if ext == other {
		other = "0001"
	}
	if code, _ := f.resolve(t, zto, other); code != http.StatusNotFound {
		t.Fatalf("unknown extension: %d", code)
	}
	// The binding's own limit is 3 resolves.
	for range 2 {
		if code, body := f.resolve(t, zto, ext); code != 200 {
			t.Fatalf("resolve: %d %s", code, body)
		}
	}
	if code, body := f.resolve(t, zto, ext); code != http.StatusTooManyRequests || strings.Contains(body, "1381234") {
		t.Fatalf("resolve over the binding's limit: %d %s", code, body)
	}

	// Tracking webhooks: signature, timestamp window, transitions, replays.
	if r := f.webhook(t, "e0", s.Waybill, "picked_up", 0, true); r.code != http.StatusUnauthorized {
		t.Fatalf("bad signature: %d %s", r.code, r.body)
	}
	if r := f.webhook(t, "e0", s.Waybill, "picked_up", -10*time.Minute, false); r.code != http.StatusUnauthorized {
		t.Fatalf("stale timestamp: %d %s", r.code, r.body)
	}
	if r := f.webhook(t, "e1", s.Waybill, "delivered", 0, false); r.code != http.StatusConflict {
		t.Fatalf("created -> delivered: %d %s", r.code, r.body)
	}
	for i, st := range []string{"picked_up", "in_transit", "in_transit", "delivered"} {
		if r := f.webhook(t, fmt.Sprintf("e%d", i+2), s.Waybill, st, 0, false); r.code != 200 || !strings.Contains(string(r.body), `"duplicate":false`) {
			t.Fatalf("%s: %d %s", st, r.code, r.body)
		}
	}
	if r := f.webhook(t, "e5", s.Waybill, "delivered", 0, false); r.code != 200 || !strings.Contains(string(r.body), `"duplicate":true`) {
		t.Fatalf("replayed event: %d %s", r.code, r.body)
	}
	if r := f.webhook(t, "e9", s.Waybill, "in_transit", 0, false); r.code != http.StatusConflict {
		t.Fatalf("delivered -> in_transit: %d %s", r.code, r.body)
	}

	// Delivery started the clock: 15 days later the binding is dead, and
	// after the sweep its phone is gone from storage.
	f.clock.Advance(15*24*time.Hour + time.Minute)
	zto = f.session(t, "carrier") // the old session expired meanwhile
	if code, _ := f.resolve(t, zto, ext); code != http.StatusNotFound {
		t.Fatalf("expired resolve: %d", code)
	}
	n, err := f.db.ReleaseExpiredBindings(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("release: %d %v", n, err)
	}
	// The hourly limit (8) counts every attempt, found or not.
	codes := ""
	for range 8 {
		c, _ := f.resolve(t, zto, other)
		codes += strconv.Itoa(c) + " "
	}
	if codes != strings.Repeat("404 ", 7)+"429 " {
		t.Fatalf("hourly limit: %s", codes)
	}

	why := map[string]int{}
	for _, e := range events(t, f.fixture, "virtual_number_resolve") {
		why[e.Outcome+": "+e.Detail]++
		if strings.Contains(e.Detail, "13812345678") || strings.Contains(e.Detail, virtualMain) {
			t.Errorf("audit detail holds a number: %q", e.Detail)
		}
	}
	want := map[string]int{
		"ok: carrier ZTO": 3, "denied: carrier SF; refused: binding of another carrier": 1,
		"denied: carrier ZTO; refused: no such binding": 8, "denied: carrier ZTO; refused: binding over its limit of 3 resolves": 1,
		"denied: carrier ZTO; refused: binding expired": 1, "denied: carrier ZTO; refused: carrier over its hourly limit of 8": 1,
	}
	for k, v := range want {
		if why[k] != v {
			t.Errorf("resolve events %q = %d, want %d (all: %v)", k, why[k], v, why)
		}
	}
}

// session opens a fresh session for an existing account.
func (f *waybillFixture) session(t *testing.T, username string) string {
	t.Helper()
	tok, th := auth.NewToken(false)
	must(t, f.db.CreateCredential(context.Background(), &yuncang.Credential{UserID: f.users[username].ID, Kind: yuncang.CredentialSession, TokenHash: th,
		ExpiresAt: f.clock.Now().Add(8 * time.Hour), SteppedUpAt: f.clock.Now()}))
	f.tokens[username] = tok
	return tok
}

// TestManifestEncryptedToCarrier: the handover manifest holds the
// recipients only as age ciphertext to the carrier's key.
func TestManifestEncryptedToCarrier(t *testing.T) {
	f := newWaybillFixture(t, true)
	s := f.ship(t, f.orderA)
	unprinted := f.ship(t, f.createOrder(t, f.a, "SEED-A2"))
	notHanded := f.ship(t, f.createOrder(t, f.a, "SEED-A3"))
	ext := f.boundExtension(t, s.ID)  // printed: ready for pickup
	f.boundExtension(t, notHanded.ID) // printed too, but stays in the warehouse
	manifest := func(waybills ...string) *httptest.ResponseRecorder {
		b, _ := json.Marshal(map[string]any{"carrier": "ZTO", "waybills": waybills})
		return f.do(t, "POST", "/api/v1/warehouses/YW1/manifests", f.tokens["operator"], string(b))
	}
	// A manifest naming an unprinted parcel hands over nothing.
	if rec := manifest(s.Waybill, unprinted.Waybill); rec.Code != http.StatusConflict {
		t.Fatalf("manifest with an unprinted parcel: %d %s", rec.Code, rec.Body)
	}
	rec := manifest(s.Waybill)
	if rec.Code != 201 {
		t.Fatalf("manifest: %d %s", rec.Code, rec.Body)
	}
	var m httpapi.ManifestJSON
	must(t, json.Unmarshal(rec.Body.Bytes(), &m))
	if m.Parcels != 1 || m.Waybills[0] != s.Waybill || strings.Contains(rec.Body.String(), unprinted.Waybill) || strings.Contains(rec.Body.String(), notHanded.Waybill) {
		t.Fatalf("manifest: %s", rec.Body)
	}
	if rec := manifest(s.Waybill); rec.Code != http.StatusConflict {
		t.Fatalf("second manifest of a parcel already handed over: %d", rec.Code)
	}
	sf := f.otherCarrier(t, "SF")
	if rec := f.do(t, "GET", fmt.Sprintf("/api/v1/carrier/manifests/%d", m.ID), sf, ""); rec.Code != http.StatusNotFound {
		t.Fatalf("another carrier's manifest: %d", rec.Code)
	}
	rec = f.do(t, "GET", fmt.Sprintf("/api/v1/carrier/manifests/%d", m.ID), f.tokens["carrier"], "")
	if rec.Code != 200 {
		t.Fatalf("download: %d %s", rec.Code, rec.Body)
	}
	for _, pi := range recipientForbidden[:5] {
		if strings.Contains(rec.Body.String(), pi) {
			t.Fatalf("manifest as returned holds plaintext %q", pi)
		}
	}
	must(t, json.Unmarshal(rec.Body.Bytes(), &m))
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(m.Age)), f.id)
	must(t, err)
	plain, err := io.ReadAll(r)
	must(t, err)
	if n := bytes.Count(plain, []byte("\n")); n != 1 {
		t.Fatalf("the manifest carries %d parcels, want only the one handed over", n)
	}
	var e yuncang.ManifestEntry
	must(t, json.Unmarshal(plain, &e))
	if e.Name != "欧阳娜娜" || e.Address != "浙江省金华市义乌市稠城街道工人北路1088号3单元502室" || e.Phone != virtualMain+","+ext || e.Waybill != s.Waybill {
		t.Fatalf("decrypted manifest entry: %+v", e)
	}
	// With any other key: nothing.
	other, _ := age.GenerateX25519Identity()
	if _, err := age.Decrypt(armor.NewReader(strings.NewReader(m.Age)), other); err == nil {
		t.Fatal("the manifest opens with another key")
	}
	// At rest: the database file holds no plaintext of the recipient.
	raw, err := os.ReadFile(f.path)
	must(t, err)
	wal, _ := os.ReadFile(f.path + "-wal")
	raw = append(raw, wal...)
	for _, pi := range []string{"欧阳娜娜", "13812345678", "工人北路1088号", "王小明", "0579-85123456"} {
		if bytes.Contains(raw, []byte(pi)) {
			t.Errorf("database holds plaintext %q", pi)
		}
	}
	if len(events(t, f.fixture, "carrier_handover")) != 2 {
		t.Error("handover and download are not both on record")
	}
}
