package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/agent"
	"github.com/yuncang/yuncang/agent/printertest"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/devicekey"
	"github.com/yuncang/yuncang/httpapi"
)

// floorParcel is a demo order paid and allocated to one parcel in YW01,
// with the recipient its import carried (to prove it is never shown).
type floorParcel struct {
	parcel    int64
	barcodes  []string
	netG      int
	recipient yuncang.Recipient
}

// allocateInYW01 pays and allocates yiwu-goods' demo orders (never a
// decoy: only orders the demo generator made) until one lands as a single
// parcel in YW01.
func allocateInYW01(t *testing.T, ts *testServer, orders int) floorParcel {
	t.Helper()
	tok := ts.apiLogin(t, "yiwu-goods-admin")
	gen := demodata.NewGenerator(20261128)
	byRef := map[string]yuncang.OrderInput{}
	for i := range orders {
		in := gen.Order(demodata.Merchants()[i%2].Code)
		if i%2 == 0 {
			byRef[in.MerchantOrderID] = in
		}
	}
	var list httpapi.Page[httpapi.OrderJSON]
	if st := ts.jsonCall(t, "GET", "/api/v1/orders?limit=200", tok, "", &list); st != 200 {
		t.Fatalf("orders: %d", st)
	}
	skus := map[string]*yuncang.SKU{}
	for _, s := range demodata.SKUs("yiwu-goods") {
		skus[s.Code] = s
	}
	for _, o := range list.Items {
		in, ok := byRef[o.MerchantOrderID]
		if !ok {
			continue
		}
		switch st := ts.jsonCall(t, "POST", fmt.Sprintf("/api/v1/orders/%d/status", o.ID), tok, `{"status":"paid","reason":"payment_confirmed"}`, nil); st {
		case 200:
		case 409:
			continue // paid before
		default:
			t.Fatalf("pay: %d", st)
		}
		var alloc struct {
			Orders []struct {
				Parcels []struct {
					ID        int64  `json:"id"`
					Warehouse string `json:"warehouse"`
					Lines     []struct {
						SKU      string `json:"sku"`
						Quantity int    `json:"quantity"`
					} `json:"lines"`
				} `json:"parcels"`
			} `json:"orders"`
		}
		if st := ts.jsonCall(t, "POST", "/api/v1/allocations", tok, fmt.Sprintf(`{"order_ids":[%d]}`, o.ID), &alloc); st != 200 {
			continue
		}
		if len(alloc.Orders) != 1 || len(alloc.Orders[0].Parcels) != 1 || alloc.Orders[0].Parcels[0].Warehouse != "YW01" {
			continue
		}
		p := alloc.Orders[0].Parcels[0]
		fp := floorParcel{parcel: p.ID, recipient: in.Recipient}
		for _, l := range p.Lines {
			for range l.Quantity {
				fp.barcodes = append(fp.barcodes, skus[l.SKU].Barcode)
			}
			fp.netG += skus[l.SKU].WeightG * l.Quantity
		}
		return fp
	}
	t.Fatal("no demo order was allocated to one parcel in YW01")
	return floorParcel{}
}

// startPrinting enrols and registers a print gateway in YW01, adds a ZPL
// printer (a fake one on 127.0.0.1) served by it, and returns the printer's
// id, the printer and the gateway loop to run.
func startPrinting(t *testing.T, ts *testServer) (int64, *printertest.Printer, *agent.Gateway) {
	t.Helper()
	ctx := context.Background()
	wh, err := ts.DB.WarehouseByCode(ctx, "YW01")
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, err := devicekey.Generate()
	if err != nil {
		t.Fatal(err)
	}
	d := &yuncang.Device{Code: "YW01-GW-1", Name: "gateway", Kind: yuncang.DevicePrintGateway, WarehouseID: wh.ID, PublicKey: pub}
	if err := ts.DB.EnrolDevice(ctx, d); err != nil {
		t.Fatal(err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	gw := &agent.Gateway{Server: ts.URL(), Identity: id, Signer: &devicekey.Signer{DeviceID: d.ID, Key: priv}, Wait: time.Second}
	if err := gw.Register(ctx); err != nil {
		t.Fatal(err)
	}
	pr, err := printertest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pr.Close() })
	var p struct{ ID int64 }
	sup := ts.apiLogin(t, "supervisor-yw")
	if st := ts.jsonCall(t, "POST", "/api/v1/warehouses/YW01/printers", sup, fmt.Sprintf(`{"name":"P01","language":"zpl","addr":%q,"gateway_id":%d}`, pr.Addr(), d.ID), &p); st != 201 {
		t.Fatalf("add printer: %d", st)
	}
	return p.ID, pr, gw
}

// importDeviceKey sets this browser up as the enrolled device of l (a
// desk or a packing station) as its user does: on the "This device" page,
// the device id and the private key typed in once; the key is then a
// non-extractable WebCrypto key and is no longer in the page.
func (b *browser) importDeviceKey(t *testing.T, l DemoLogin) {
	t.Helper()
	id := strconv.FormatInt(l.DeviceID, 10)
	b.run(t, chromedp.Navigate(b.ts.URL()+"/desk"), chromedp.WaitVisible(chromedp.CSS("#desk-form")),
		chromedp.SendKeys(chromedp.CSS("#desk-id"), id), chromedp.SendKeys(chromedp.CSS("#desk-key"), l.DeviceKey),
		chromedp.Click(chromedp.CSS("#desk-submit")))
	b.waitText(t, "#desk-status", "#"+id)
	if strings.Contains(b.html(t), l.DeviceKey) {
		t.Fatal("the device key stayed in the page")
	}
}

// tab opens another tab of the same browser (the same profile: cookies
// and IndexedDB), as a person opens a second page.
func (b *browser) tab(t *testing.T) *browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	// The first call on the tab's own context opens it for that context's life.
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	return &browser{ts: b.ts, ctx: ctx, responses: map[string]network.Headers{}, statuses: map[string]int64{}}
}

// scan types a code and Enter into the focused scan input, as a keyboard
// wedge does, and waits for the page's answer; it returns whether the
// scan was taken and the message shown.
func (b *browser) scan(t *testing.T, code string) (bool, string) {
	t.Helper()
	before := eval[string](t, b, `document.getElementById("floor").getAttribute("data-answers") || "0"`)
	b.run(t, chromedp.SendKeys(chromedp.CSS("#scan"), code+"\r"))
	deadline := time.Now().Add(20 * time.Second)
	for eval[string](t, b, `document.getElementById("floor").getAttribute("data-answers") || "0"`) == before {
		if time.Now().After(deadline) {
			t.Fatalf("scan %q: no answer", code)
		}
		time.Sleep(20 * time.Millisecond)
	}
	cls := eval[string](t, b, `document.getElementById("scan-status").className`)
	msg := eval[string](t, b, `document.getElementById("scan-status").textContent`)
	if focused := eval[string](t, b, `document.activeElement.id`); focused != "scan" {
		t.Errorf("after scanning %q the focus is on %q, not the scan input", code, focused)
	}
	return strings.Contains(cls, "ok"), msg
}

// TestConsoleFloorJourney: an operator on a phone-sized handheld signs in
// with a one-time code, releases a wave, picks it in walking order by
// scanning bins and items, packs the parcel by scanning every item (a
// wrong item is refused in red), weighs it and scans the printer: refused
// in the page while the browser holds no packing station key; once the
// station's key is imported ("This device") the page signs the print, the
// label is printed through the print gateway, masked, and the page shows
// only the masked recipient. CSP, watermark and CSRF are checked on the
// way; sign-out ends it.
func TestConsoleFloorJourney(t *testing.T) {
	ts := startServer(t, 60)
	fp := allocateInYW01(t, ts, 60)
	printerID, printer, gw := startPrinting(t, ts)

	b := newBrowser(t, ts, 390, 844)
	b.signIn(t, "operator1")
	b.run(t, chromedp.Navigate(ts.URL()+"/floor"), chromedp.WaitVisible(chromedp.CSS("#floor-choose")),
		chromedp.SetValue(chromedp.CSS("#floor-warehouse"), "YW01"),
		chromedp.SendKeys(chromedp.CSS("#floor-tenant"), "yiwu-goods"),
		chromedp.Click(chromedp.CSS("#floor-go")), chromedp.WaitVisible(chromedp.CSS("#release-wave")))
	home := "/floor/YW01?tenant=yiwu-goods"
	if csp := b.header(home, "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("CSP of %s = %q", home, csp)
	}
	b.screenshot(t, "floor-home-operator")

	// Release a wave: the pick walk opens.
	b.run(t, chromedp.Click(chromedp.CSS("#release-wave-submit")), chromedp.WaitVisible(chromedp.CSS("#stops")))
	var stops []struct{ Loc, SKU string }
	if err := json.Unmarshal([]byte(eval[string](t, b, `JSON.stringify([...document.querySelectorAll("#stops .stop")].map(li => ({Loc: li.querySelector(".loc").textContent, SKU: li.querySelector(".sku").textContent})))`)), &stops); err != nil || len(stops) == 0 {
		t.Fatalf("pick walk: %v %v", stops, err)
	}
	if ok, msg := b.scan(t, "NO-SUCH-BIN"); ok || !strings.Contains(msg, "NO-SUCH-BIN") {
		t.Errorf("a wrong bin was taken: %v %q", ok, msg)
	}
	if !eval[bool](t, b, `document.getElementById("floor").classList.contains("refused")`) {
		t.Error("a refused scan does not turn the page red")
	}
	b.screenshot(t, "floor-pick-refused")
	barcodeOf := map[string]string{}
	for _, s := range demodata.SKUs("yiwu-goods") {
		barcodeOf[s.Code] = s.Barcode
	}
	for i, s := range stops {
		if ok, msg := b.scan(t, s.Loc); !ok {
			t.Fatalf("stop %d bin %s: %s", i, s.Loc, msg)
		}
		sku := strings.SplitN(s.SKU, " · ", 2)[0]
		if ok, msg := b.scan(t, barcodeOf[sku]); !ok {
			t.Fatalf("stop %d item %s: %s", i, sku, msg)
		}
	}
	if n := eval[int](t, b, `document.querySelectorAll("#stops .stop.done").length`); n != len(stops) {
		t.Errorf("%d of %d stops shown done", n, len(stops))
	}
	b.screenshot(t, "floor-pick-operator")

	// Pack: the station's settings, the parcel, every item, the scale, the printer.
	b.run(t, chromedp.Click(chromedp.CSS("#go-pack")), chromedp.WaitVisible(chromedp.CSS("#parcel")),
		chromedp.Click(chromedp.CSS("#station summary")),
		chromedp.SendKeys(chromedp.CSS("#sender-name"), "义乌优品"),
		chromedp.SendKeys(chromedp.CSS("#sender-phone"), "057985550000"),
		chromedp.SendKeys(chromedp.CSS("#sender-address"), "浙江省金华市义乌市福田街道诚信大道100号"),
		chromedp.Click(chromedp.CSS("#scan")))
	if ok, msg := b.scan(t, fmt.Sprintf("P%d", fp.parcel)); !ok {
		t.Fatalf("parcel scan: %s", msg)
	}
	if ok, _ := b.scan(t, "0000000000000"); ok {
		t.Error("a wrong item was taken")
	}
	for i, bc := range fp.barcodes {
		if ok, msg := b.scan(t, bc); !ok {
			t.Fatalf("item %d: %s", i, msg)
		}
	}
	if ok, msg := b.scan(t, fmt.Sprint(fp.netG+210+5000)); ok || !strings.Contains(msg, "gross_g") {
		t.Errorf("a wrong weight was taken: %q", msg)
	}
	if ok, msg := b.scan(t, fmt.Sprint(fp.netG+210)); !ok {
		t.Fatalf("weigh: %s", msg)
	}
	// This browser holds no packing station key yet: the print is
	// refused in the page, nothing is sent (the printer gets one job
	// below, the signed one).
	if ok, msg := b.scan(t, fmt.Sprintf("PRN-%d", printerID)); ok || msg == "" || msg != eval[string](t, b, `document.getElementById("floor").getAttribute("data-no-device")`) {
		t.Errorf("a print without a device key: taken %v, message %q", ok, msg)
	}
	if got := eval[string](t, b, `document.getElementById("parcel-label").textContent`); got != "–" {
		t.Errorf("a print without a device key shows the label %q", got)
	}
	b.screenshot(t, "floor-pack-no-device")
	// The operator imports the station's key in another tab ("This
	// device", linked from the navigation), then scans the printer again:
	// the page signs the print with it.
	if !eval[bool](t, b, `!!document.querySelector('nav a[href^="/desk"]')`) {
		t.Error("the floor pages do not link to This device")
	}
	b.tab(t).importDeviceKey(t, ts.logins["operator1"])
	ok, msg := b.scan(t, fmt.Sprintf("PRN-%d", printerID))
	if !ok && eval[string](t, b, `document.getElementById("floor").getAttribute("data-step")`) == "stepup" {
		// At night (the guard's window) every print takes a fresh second
		// factor: typed into the same input, then the printer again.
		b.screenshot(t, "floor-pack-stepup")
		if ok, msg := b.scan(t, ts.freshCode(t, "operator1")); !ok {
			t.Fatalf("step-up at the scanner: %s", msg)
		}
		ok, msg = b.scan(t, fmt.Sprintf("PRN-%d", printerID))
	}
	if !ok {
		t.Fatalf("print: %s", msg)
	}
	label := eval[string](t, b, `document.getElementById("parcel-label").textContent`)
	if !strings.Contains(label, "*") || !strings.Contains(label, yuncang.JobQueued) {
		t.Errorf("label line = %q, want the masked recipient and a queued job", label)
	}
	b.screenshot(t, "floor-pack-operator")
	html := b.html(t)
	for _, bad := range []string{fp.recipient.Name, fp.recipient.Phone, fp.recipient.Address} {
		if bad != "" && strings.Contains(html, bad) {
			t.Errorf("the pack page shows the plaintext %q", bad)
		}
	}
	if !strings.Contains(html, `class="watermark"`) {
		t.Error("no watermark on the pack page")
	}
	pack := "/floor/YW01/pack?tenant=yiwu-goods"
	if csp := b.header(pack, "Content-Security-Policy"); csp != httpapi.ContentSecurityPolicy {
		t.Errorf("CSP of %s = %q", pack, csp)
	}
	// A scan without the CSRF token is refused.
	if st, _ := b.evalFetch(t, "POST", "/floor/YW01/pack/scan?tenant=yiwu-goods", `{"parcel":1,"barcodes":[]}`, map[string]string{"Content-Type": "application/json"}); st != 403 {
		t.Errorf("scan without CSRF token: %d, want 403", st)
	}

	// The gateway prints the label: masked, the plaintext nowhere.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- gw.Run(ctx) }()
	jobs := printer.Wait(1, 20*time.Second)
	cancel()
	<-done
	if len(jobs) != 1 {
		t.Fatalf("printer received %d jobs", len(jobs))
	}
	ls, err := printertest.ParseZPL(jobs[0].Data)
	if err != nil || len(ls) != 1 {
		t.Fatalf("label: %v %d", err, len(ls))
	}
	all := ls[0].All()
	if !strings.Contains(all, "*") {
		t.Errorf("the printed label has no masked field: %q", all)
	}
	for _, bad := range []string{fp.recipient.Name, fp.recipient.Phone} {
		if strings.Contains(all, bad) {
			t.Errorf("the printed label carries the plaintext %q", bad)
		}
	}
	b.signOut(t)
}
