package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/fulfil"
	"github.com/yuncang/yuncang/httpapi"
)

// TestConsoleScanLatency measures scan-to-answer on the floor pages with
// 20 concurrent scanners, each with its own console session, over real
// HTTP against the real wiring (SQLite file): half the scans a bin on the
// pick walk (a wave read), half an item at the pack station (the store's
// pack check of the items so far, rolled back while items are missing).
// It reports p50/p99; it asserts no timing. Run it with
// YUNCANG_BENCH_CONSOLE_SCAN=1 go test -run TestConsoleScanLatency -v ./cmd/yuncang
func TestConsoleScanLatency(t *testing.T) {
	if os.Getenv("YUNCANG_BENCH_CONSOLE_SCAN") == "" {
		t.Skip("a measurement: set YUNCANG_BENCH_CONSOLE_SCAN=1")
	}
	const scanners, scans = 20, 200
	ctx := context.Background()
	ts := startServer(t, 200)
	fp := allocateInYW01(t, ts, 200)
	tn, err := ts.DB.TenantByCode(ctx, "yiwu-goods")
	if err != nil {
		t.Fatal(err)
	}
	wh, err := ts.DB.WarehouseByCode(ctx, "YW01")
	if err != nil {
		t.Fatal(err)
	}
	wv, err := (&fulfil.Waves{Store: ts.DB, Cutoffs: allocate.New(ts.DB)}).Create(ctx, tn.ID, wh.ID, yuncang.WaveInput{})
	if err != nil {
		t.Fatal(err)
	}
	bin := wv.Picks[0].Location
	for _, p := range wv.Picks {
		if _, err := ts.DB.ConfirmPick(ctx, tn.ID, wh.ID, wv.ID, yuncang.PickConfirm{Location: p.Location, SKUCode: p.SKUCode, Lot: p.Lot, Qty: p.Qty}); err != nil {
			t.Fatal(err)
		}
	}
	// The pick scan needs a bin with units left: a second wave, left open.
	fp2 := allocateInYW01(t, ts, 200)
	wv2, err := (&fulfil.Waves{Store: ts.DB, Cutoffs: allocate.New(ts.DB)}).Create(ctx, tn.ID, wh.ID, yuncang.WaveInput{})
	if err != nil {
		t.Fatalf("second wave (parcel %d): %v", fp2.parcel, err)
	}
	bin = wv2.Picks[0].Location
	u, err := ts.DB.UserByUsername(ctx, "operator1")
	if err != nil {
		t.Fatal(err)
	}
	type session struct{ token, csrf string }
	sessions := make([]session, scanners)
	for i := range sessions {
		tok, th := auth.NewToken(false)
		if err := ts.DB.CreateCredential(ctx, &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialConsole, TokenHash: th,
			ExpiresAt: time.Now().Add(time.Hour), LastUsed: time.Now()}); err != nil {
			t.Fatal(err)
		}
		sessions[i] = session{tok, httpapi.CSRFToken(tok)}
	}
	pickBody := fmt.Sprintf(`{"wave":%d,"location":"","code":%q}`, wv2.ID, bin)
	packBody := fmt.Sprintf(`{"parcel":%d,"barcodes":[%q]}`, fp.parcel, fp.barcodes[0])
	if len(fp.barcodes) < 2 {
		t.Skip("the parcel has one item: a partial pack scan would pack it")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: scanners}}
	var mu sync.Mutex
	var lat []time.Duration
	var failures []string
	var wg sync.WaitGroup
	start := time.Now()
	for i := range scanners {
		wg.Add(1)
		go func(s session) {
			defer wg.Done()
			for n := range scans {
				path, body := "/floor/YW01/pick/scan?tenant=yiwu-goods", pickBody
				if n%2 == 1 {
					path, body = "/floor/YW01/pack/scan?tenant=yiwu-goods", packBody
				}
				req, _ := http.NewRequest("POST", ts.URL()+path, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set(httpapi.CSRFHeader, s.csrf)
				req.AddCookie(&http.Cookie{Name: httpapi.SessionCookie, Value: s.token})
				t0 := time.Now()
				resp, err := client.Do(req)
				d := time.Since(t0)
				mu.Lock()
				if err != nil || resp.StatusCode != 200 {
					failures = append(failures, fmt.Sprint(path, err, resp != nil && resp.StatusCode != 200))
				}
				lat = append(lat, d)
				mu.Unlock()
				if resp != nil {
					resp.Body.Close()
				}
			}
		}(sessions[i])
	}
	wg.Wait()
	wall := time.Since(start)
	if len(failures) > 0 {
		t.Fatalf("%d of %d scans failed, e.g. %s", len(failures), len(lat), failures[0])
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	t.Logf("console scan-to-answer, %d scanners × %d scans (pick bin + pack item): p50 %v, p95 %v, p99 %v, max %v; %.0f scans/s",
		scanners, scans, q(0.50), q(0.95), q(0.99), lat[len(lat)-1], float64(len(lat))/wall.Seconds())
}
