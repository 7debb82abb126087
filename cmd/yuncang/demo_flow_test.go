package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/devicekey"
)

// demoClient talks to a running `yuncang demo` as a new user would: with
// the logins its --credentials file holds, over HTTP.
type demoClient struct {
	base   string
	logins []DemoLogin
}

// call sends a JSON request with a bearer token, signed by the login's
// device when it has one.
func (c *demoClient) call(t *testing.T, method, path, token, body string, dev DemoLogin) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if dev.DeviceID != 0 {
		key, err := devicekey.ParsePrivate(dev.DeviceKey)
		if err != nil {
			t.Fatalf("device key of %s: %v", dev.Username, err)
		}
		(&devicekey.Signer{DeviceID: dev.DeviceID, Key: key}).Sign(req, []byte(body))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// must makes a request that has to answer want and decodes the answer into
// out (when not nil).
func (c *demoClient) must(t *testing.T, want int, method, path, token, body string, dev DemoLogin, out any) {
	t.Helper()
	st, resp := c.call(t, method, path, token, body, dev)
	if st != want {
		t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, dev.Username, st, want, resp)
	}
	if out != nil {
		if err := json.Unmarshal([]byte(resp), out); err != nil {
			t.Fatalf("%s %s: decode %q: %v", method, path, resp, err)
		}
	}
}

// login opens a session with the login's password and current one-time
// code, on its device when it has one.
//
// It then steps up with the next code at once: the demo runs on the real
// clock, and at night (22:00–06:00 in the demo's zone) the guard asks
// floor staff without a shift for a fresh factor before a shipment or a
// manifest, as it would a real operator. Login takes the previous 30-second
// step's code (one step of skew is accepted) and the step-up the current
// one, so neither waits for the clock (a code is spent once, and only a
// later step may follow it).
func (c *demoClient) login(t *testing.T, l DemoLogin) string {
	t.Helper()
	now := time.Now()
	prev, err := auth.TOTPCode(l.TOTPSecret, now.Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Token string }
	c.must(t, 200, "POST", "/api/v1/login", "", fmt.Sprintf(`{"username":%q,"password":%q,"totp":%q}`, l.Username, l.Password, prev), l, &out)
	cur, err := auth.TOTPCode(l.TOTPSecret, now)
	if err != nil {
		t.Fatal(err)
	}
	c.must(t, 204, "POST", "/api/v1/step-up", out.Token, fmt.Sprintf(`{"totp":%q}`, cur), l, nil)
	return out.Token
}

// find is the first login that satisfies ok.
func (c *demoClient) find(t *testing.T, what string, ok func(DemoLogin) bool) DemoLogin {
	t.Helper()
	for _, l := range c.logins {
		if ok(l) {
			return l
		}
	}
	t.Fatalf("the demo's credentials hold no %s", what)
	return DemoLogin{}
}

// startDemo runs `yuncang demo --credentials` in the background and returns
// a client with the logins it wrote.
func startDemo(t *testing.T, orders int) *demoClient {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"YUNCANG_MASTER_KEY", "YUNCANG_MASTER_KEY_FILE", "YUNCANG_AUDIT_SIGNER_KEY", "YUNCANG_AUDIT_SIGNER_KEY_FILE",
		"YUNCANG_AUDIT_VERIFIER_KEY", "YUNCANG_AUDIT_PUBLISH_DIR"} {
		t.Setenv(v, "")
	}
	creds := filepath.Join(dir, "creds.json")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data", dir, "--orders", fmt.Sprint(orders), "--credentials", creds},
			stdio{in: strings.NewReader(""), out: &out, err: &errOut})
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("demo exit %d: %s", code, errOut.String())
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("the demo stopped (exit %d): %s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo did not start: %s", errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	m := regexp.MustCompile(`serving on (http://\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("the demo does not say where it serves:\n%s", out.String())
	}
	b, err := os.ReadFile(creds)
	if err != nil {
		t.Fatal(err)
	}
	c := &demoClient{base: m[1]}
	if err := json.Unmarshal(b, &c.logins); err != nil {
		t.Fatal(err)
	}
	return c
}

type demoParcel struct {
	ID        int64  `json:"id"`
	Warehouse string `json:"warehouse"`
	Lines     []struct {
		SKU      string `json:"sku"`
		Quantity int    `json:"quantity"`
	} `json:"lines"`
}

// The README's walk through the demo, end to end, with nothing but the
// demo's own credentials: a merchant order split between YW01 and CD01 is
// paid and allocated, and each warehouse's own operator, at the packing
// station the credentials name, releases a wave, picks from real bins (not
// the UNLOCATED bucket), packs, weighs, creates the shipment, prints the
// label, hands the parcel to the carrier and ships it; the order ends
// shipped.
func TestDemoShipsSplitOrderFromEachWarehouse(t *testing.T) {
	c := startDemo(t, 60)
	const tenant = "yiwu-goods"
	q := "?tenant=" + tenant
	merchant := c.find(t, "merchant admin", func(l DemoLogin) bool { return l.Username == tenant+"-admin" })
	mtok := c.login(t, merchant)

	// Every demo warehouse has an operator with a packing station there.
	for _, w := range demodata.Warehouses() {
		c.find(t, "operator with a packing station in "+w.Code, func(l DemoLogin) bool {
			return l.Role == "operator" && l.Warehouses == w.Code && l.DeviceID != 0
		})
	}

	// Pay and allocate orders, oldest first, until one splits between
	// YW01 and CD01.
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"items"`
	}
	c.must(t, 200, "GET", "/api/v1/orders?limit=100", mtok, "", DemoLogin{}, &list)
	var orderID int64
	var parcels []demoParcel
	for _, o := range slices.Backward(list.Items) {
		if o.Status != "created" {
			continue
		}
		c.must(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", o.ID), mtok, `{"status":"paid","reason":"payment_confirmed"}`, DemoLogin{}, nil)
		st, body := c.call(t, "POST", "/api/v1/allocations", mtok, fmt.Sprintf(`{"order_ids":[%d]}`, o.ID), DemoLogin{})
		if st == 400 && strings.Contains(body, "no such order") {
			continue // a decoy: never allocated
		}
		if st != 200 {
			t.Fatalf("allocate order %d: %d %s", o.ID, st, body)
		}
		var alloc struct {
			Orders []struct {
				Parcels []demoParcel `json:"parcels"`
			} `json:"orders"`
		}
		if err := json.Unmarshal([]byte(body), &alloc); err != nil || len(alloc.Orders) != 1 {
			t.Fatalf("allocation of order %d: %s", o.ID, body)
		}
		var whs []string
		for _, p := range alloc.Orders[0].Parcels {
			whs = append(whs, p.Warehouse)
		}
		slices.Sort(whs)
		if slices.Equal(whs, []string{"CD01", "YW01"}) {
			orderID, parcels = o.ID, alloc.Orders[0].Parcels
			break
		}
	}
	if orderID == 0 {
		t.Fatal("no demo order was split between YW01 and CD01")
	}

	skus := map[string]struct {
		barcode string
		weight  int
	}{}
	for _, s := range demodata.SKUs(tenant) {
		skus[s.Code] = struct {
			barcode string
			weight  int
		}{s.Barcode, s.WeightG}
	}
	for _, p := range parcels {
		w := p.Warehouse
		op := c.find(t, "operator of "+w, func(l DemoLogin) bool {
			return l.Role == "operator" && l.Warehouses == w && l.DeviceID != 0
		})
		tok := c.login(t, op)
		// Waves take the waiting parcels by carrier cut-off: release until
		// one holds this parcel, picking each wave whole.
		released := false
		for range 5 {
			var wave struct {
				ID      int64   `json:"id"`
				Parcels []int64 `json:"parcels"`
				Picks   []struct {
					Location string `json:"location"`
					SKU      string `json:"sku"`
					Qty      int    `json:"qty"`
				} `json:"picks"`
			}
			c.must(t, 201, "POST", "/api/v1/warehouses/"+w+"/waves"+q, tok, `{}`, op, &wave)
			for _, pk := range wave.Picks {
				if pk.Location == "UNLOCATED" || strings.Count(pk.Location, "-") != 2 {
					t.Errorf("%s wave %d picks %s from %q, not a bin", w, wave.ID, pk.SKU, pk.Location)
				}
				c.must(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/waves/%d/picks%s", w, wave.ID, q), tok,
					fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, pk.Location, pk.SKU, pk.Qty), op, nil)
			}
			if released = slices.Contains(wave.Parcels, p.ID); released {
				break
			}
		}
		if !released {
			t.Fatalf("no wave in %s released parcel %d", w, p.ID)
		}
		var scans []string
		net := 0
		for _, l := range p.Lines {
			for range l.Quantity {
				scans = append(scans, skus[l.SKU].barcode)
			}
			net += skus[l.SKU].weight * l.Quantity
		}
		b, _ := json.Marshal(map[string]any{"barcodes": scans})
		path := fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/", w, p.ID)
		c.must(t, 200, "POST", path+"pack"+q, tok, string(b), op, nil)
		c.must(t, 200, "POST", path+"weigh"+q, tok, fmt.Sprintf(`{"gross_g":%d,"tare_g":200}`, net+205), op, nil)
		var sh struct {
			ID      int64  `json:"id"`
			Waybill string `json:"waybill"`
		}
		c.must(t, 201, "POST", path+"shipment"+q, tok, `{}`, op, &sh)
		st, label := c.call(t, "GET", fmt.Sprintf("/api/v1/warehouses/%s/shipments/%d/label?format=zpl", w, sh.ID), tok, "", op)
		if st != 200 || !strings.Contains(label, "^XA") {
			t.Fatalf("label of shipment %d in %s: %d", sh.ID, w, st)
		}
		c.must(t, 201, "POST", "/api/v1/warehouses/"+w+"/manifests", tok, fmt.Sprintf(`{"carrier":"SF","waybills":[%q]}`, sh.Waybill), op, nil)
		var shipped struct {
			Status string `json:"status"`
		}
		c.must(t, 200, "POST", path+"ship"+q, tok, fmt.Sprintf(`{"waybill_no":%q}`, sh.Waybill), op, &shipped)
		if shipped.Status != "shipped" {
			t.Errorf("parcel %d in %s after ship: %q", p.ID, w, shipped.Status)
		}
	}
	var f struct {
		Status  string `json:"status"`
		Parcels []struct {
			Warehouse string `json:"warehouse"`
			Status    string `json:"status"`
		} `json:"parcels"`
	}
	c.must(t, 200, "GET", fmt.Sprintf("/api/v1/orders/%d/fulfilment", orderID), mtok, "", DemoLogin{}, &f)
	if f.Status != "shipped" || len(f.Parcels) != 2 {
		t.Errorf("order %d after both parcels shipped: %+v", orderID, f)
	}
}
