package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/yuncang/yuncang/demodata"
)

// TestConsoleFloorReceivePutaway: on a phone-sized handheld an operator
// receives an ASN by scanning it and its items (an item not on the ASN is
// refused), then puts the goods away by scanning the item and the bin.
func TestConsoleFloorReceivePutaway(t *testing.T) {
	ts := startServer(t, 10)
	sku := demodata.SKUs("yiwu-goods")[0]
	merchant := ts.apiLogin(t, "yiwu-goods-admin")
	if st := ts.jsonCall(t, "POST", "/api/v1/asns", merchant, fmt.Sprintf(`{"warehouse":"YW01","ref":"ASN-CONSOLE-1","lines":[{"sku":%q,"expected":2}]}`, sku.Code), nil); st != 201 {
		t.Fatalf("create ASN: %d", st)
	}
	sup := ts.apiLogin(t, "supervisor-yw")
	const bin = "A-09-01" // a bin the demo does not stock
	if st := ts.jsonCall(t, "POST", "/api/v1/warehouses/YW01/locations", sup, `{"locations":[{"zone":"A","aisle":"09","bin":"01"}]}`, nil); st != 201 {
		t.Fatalf("create location: %d", st)
	}

	b := newBrowser(t, ts, 390, 844)
	b.signIn(t, "operator1")
	b.run(t, chromedp.Navigate(ts.URL()+"/floor/YW01/receive?tenant=yiwu-goods"), chromedp.WaitVisible(chromedp.CSS("#scan")))
	if ok, msg := b.scan(t, "ASN-CONSOLE-1"); !ok {
		t.Fatalf("ASN scan: %s", msg)
	}
	if ok, _ := b.scan(t, "NOT-AN-ITEM"); ok {
		t.Error("an unknown item was received")
	}
	for range 2 {
		if ok, msg := b.scan(t, sku.Barcode); !ok {
			t.Fatalf("item scan: %s", msg)
		}
	}
	row := eval[string](t, b, `document.querySelector("#asn-lines tbody tr").textContent`)
	if !strings.Contains(row, sku.Code+"22") {
		t.Errorf("ASN line after two scans = %q, want 2 of 2 received", row)
	}
	b.screenshot(t, "floor-receive-operator")

	b.run(t, chromedp.Navigate(ts.URL()+"/floor/YW01/putaway?tenant=yiwu-goods"), chromedp.WaitVisible(chromedp.CSS("#scan")),
		chromedp.SetValue(chromedp.CSS("#qty"), "2"))
	if ok, msg := b.scan(t, sku.Barcode); !ok {
		t.Fatalf("putaway item: %s", msg)
	}
	if ok, msg := b.scan(t, bin); !ok {
		t.Fatalf("putaway bin %s: %s", bin, msg)
	}
	if got := eval[string](t, b, `document.querySelector("#moves li").textContent`); !strings.Contains(got, bin) {
		t.Errorf("put away: %q", got)
	}
	b.screenshot(t, "floor-putaway-operator")
	b.signOut(t)
}
