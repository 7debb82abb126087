package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/agent"
	"github.com/yuncang/yuncang/agent/printertest"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/devicekey"
	"github.com/yuncang/yuncang/fulfil"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("print", 42, benchPrint) }

// benchPrint measures the print path end to end over loopback HTTP: a pack
// station asks for one label on a printer, the server checks and counts it,
// renders it for the printer, seals it to the gateway's key and stores the
// job; the gateway (the real agent loop) pulls it, opens it, sends it to a
// fake printer on 127.0.0.1 and reports the hash back. The baseline is the
// same station downloading the same kind of label (checked, counted,
// rendered, but returned to the PC) in the same run. It reports labels per
// second through each, their ratio, and the time from the station's
// request to the bytes at the printer (p50, p99).
func benchPrint(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	warm := printBenchCase{lang: yuncang.PrintZPL, stations: 2, per: 1, labels: 8}
	total := warm.shipments()
	for _, c := range printBenchCases {
		total += o.rounds * c.shipments()
	}
	env, err := newPrintBench(ctx, o.tmp, total)
	if err != nil {
		return nil, err
	}
	defer env.close()
	// one runs a case once: the download, then the gateway, on fresh shipments.
	one := func(c printBenchCase) (down, through float64, lat []time.Duration, err error) {
		ids := env.shipments[:c.shipments()]
		env.shipments = env.shipments[c.shipments():]
		half := len(ids) / 2
		if down, err = env.download(ids[:half], c.lang, c.stations, c.per); err != nil {
			return
		}
		through, lat, err = env.throughGateway(ctx, ids[half:], c.lang, c.stations, c.per)
		return
	}
	// Warm both paths (connections, renderers, the gateway's first pull)
	// outside the clock.
	if _, _, _, err := one(warm); err != nil {
		return nil, err
	}
	var out []BenchResult
	for _, c := range printBenchCases {
		// Each round pairs the two paths back to back; the median round's
		// ratio counts (the machine's load moves between rounds).
		type round struct {
			down, through float64
		}
		var rounds []round
		var lat []time.Duration
		for range o.rounds {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			down, through, l, err := one(c)
			if err != nil {
				return nil, err
			}
			rounds = append(rounds, round{down, through})
			lat = append(lat, l...)
		}
		slices.SortFunc(rounds, func(a, b round) int { return cmp.Compare(a.through/a.down, b.through/b.down) })
		med := rounds[len(rounds)/2]
		slices.Sort(lat)
		p := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
		out = append(out, BenchResult{Name: c.name, Value: med.through, Unit: "labels/s", Baseline: med.down, Ratio: med.through / med.down,
			Target: ">= 0.5 of the download; >= 200 labels/s (200 printers at 1 label/s)",
			Note: fmt.Sprintf("%d stations, %d-label jobs, %d labels a side a round, median of %d rounds; station request to bytes at the printer over all rounds: p50 %.1f ms, p99 %.1f ms; baseline: the same stations download as many labels (%s)",
				c.stations, c.per, c.labels, o.rounds, ms(p(0.5)), ms(p(0.99)), map[bool]string{true: "PNG", false: "ZPL"}[c.lang == yuncang.PrintTSPLRaster])})
	}
	return out, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// printBenchCase is one figure: a language, how many stations print at
// once, how many labels a job holds (1: a label at the pack station; 20: a
// wave's batch), and how many labels go each way.
type printBenchCase struct {
	name                  string
	lang                  string
	stations, per, labels int
}

func (c printBenchCase) shipments() int { return 2 * c.labels }

var printBenchCases = []printBenchCase{
	{"print_gateway_zpl", yuncang.PrintZPL, 4, 1, 60},
	{"print_gateway_tspl", yuncang.PrintTSPL, 4, 1, 60},
	{"print_gateway_tspl_raster", yuncang.PrintTSPLRaster, 4, 1, 24},
	{"print_gateway_zpl_wave", yuncang.PrintZPL, 2, 20, 120},
}

type printBench struct {
	db        *sqlstore.DB
	srv       *httptest.Server
	token     string
	station   *devicekey.Signer
	gateway   *devicekey.Signer
	identity  *age.X25519Identity
	shipments []int64
	seq       int
}

// newPrintBench seeds the demo data set without the guard (a bench prints
// far more than any station may), takes n orders through the warehouse
// flow to shipments in YW01, and enrols a pack station and a gateway.
func newPrintBench(ctx context.Context, dir string, n int) (*printBench, error) {
	master, err := vault.ParseMasterKeys("bench:" + ephemeralMasterKey())
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(filepath.Join(dir, "print.db"), master)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
		db.Close()
		return nil, err
	}
	a := auth.New(db, db.Vault())
	if _, err := seedDemo(ctx, db, a, 4*n); err != nil {
		db.Close()
		return nil, err
	}
	e := &printBench{db: db}
	e.srv = httptest.NewServer(httpapi.New(httpapi.Config{Store: db, Auth: a}))
	wh, err := db.WarehouseByCode(ctx, "YW01")
	if err != nil {
		e.close()
		return nil, err
	}
	if e.shipments, err = shipmentsThroughFloor(ctx, db, "yiwu-goods", wh, n); err != nil {
		e.close()
		return nil, err
	}
	op := &yuncang.User{Username: "bench-packer", Role: yuncang.RoleOperator, Warehouses: []int64{wh.ID}}
	if err := db.CreateUser(ctx, op, ""); err != nil {
		e.close()
		return nil, err
	}
	tok, th := auth.NewToken(false)
	if err := db.CreateCredential(ctx, &yuncang.Credential{UserID: op.ID, Kind: yuncang.CredentialSession, TokenHash: th,
		ExpiresAt: time.Now().Add(time.Hour), SteppedUpAt: time.Now().Add(time.Hour)}); err != nil {
		e.close()
		return nil, err
	}
	e.token = tok
	enrol := func(code, kind string) (*devicekey.Signer, int64, error) {
		pub, priv, err := devicekey.Generate()
		if err != nil {
			return nil, 0, err
		}
		d := &yuncang.Device{Code: code, Name: code, Kind: kind, WarehouseID: wh.ID, PublicKey: pub, EnrolledBy: op.ID}
		if err := db.EnrolDevice(ctx, d); err != nil {
			return nil, 0, err
		}
		return &devicekey.Signer{DeviceID: d.ID, Key: priv}, d.ID, nil
	}
	if e.station, _, err = enrol("BENCH-PACK", yuncang.DevicePackingStation); err != nil {
		e.close()
		return nil, err
	}
	if e.gateway, _, err = enrol("BENCH-GW", yuncang.DevicePrintGateway); err != nil {
		e.close()
		return nil, err
	}
	if e.identity, err = age.GenerateX25519Identity(); err != nil {
		e.close()
		return nil, err
	}
	g := &agent.Gateway{Server: e.srv.URL, Identity: e.identity, Signer: e.gateway}
	if err := g.Register(ctx); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *printBench) close() {
	if e.srv != nil {
		e.srv.Close()
	}
	e.db.Close()
}

// call is one request from the station; it returns the status and body.
func (e *printBench) call(method, path string, body []byte) (int, []byte, error) {
	req, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "application/json")
	e.station.Sign(req, body)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(resp.Body)
	return resp.StatusCode, buf.Bytes(), nil
}

// download is the baseline: `stations` stations fetch the same kind of
// labels themselves, `per` to a request (one label: GET …/label; a batch:
// POST …/labels), at once.
func (e *printBench) download(ids []int64, lang string, stations, per int) (float64, error) {
	format := "zpl"
	if lang == yuncang.PrintTSPLRaster {
		format = "png"
	}
	var chunks [][]int64
	for k := 0; k+per <= len(ids); k += per {
		chunks = append(chunks, ids[k:k+per])
	}
	start := time.Now()
	errs := make(chan error, stations)
	var wg sync.WaitGroup
	for s := 0; s < stations; s++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := s; c < len(chunks); c += stations {
				var code int
				var body []byte
				var err error
				if per == 1 {
					code, body, err = e.call("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d/label?format=%s", chunks[c][0], format), nil)
				} else {
					req, _ := json.Marshal(map[string]any{"shipment_ids": chunks[c], "format": format})
					code, body, err = e.call("POST", "/api/v1/warehouses/YW01/labels", req)
				}
				if err == nil && code != 200 {
					err = fmt.Errorf("label download: %d %s", code, body)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(len(chunks)*per) / time.Since(start).Seconds(), nil
}

// throughGateway has `stations` pack stations submit jobs of `per` labels
// at once, each to its own printer of the language, while the gateway runs,
// and times each job from the station's request to the bytes at the
// printer. It returns labels per second and the latencies.
func (e *printBench) throughGateway(ctx context.Context, ids []int64, lang string, stations, per int) (float64, []time.Duration, error) {
	gw, err := e.db.DeviceByID(ctx, e.gateway.DeviceID)
	if err != nil {
		return 0, nil, err
	}
	type station struct {
		printer *printertest.Printer
		id      int64
		jobs    [][]int64
		sent    []time.Time
	}
	sts := make([]*station, stations)
	for i := range sts {
		p, err := printertest.Start()
		if err != nil {
			return 0, nil, err
		}
		defer p.Close()
		e.seq++
		pr := &yuncang.Printer{WarehouseID: gw.WarehouseID, Name: fmt.Sprintf("BENCH-%d", e.seq), Language: lang, Addr: p.Addr(), GatewayID: gw.ID}
		if err := pr.Validate(); err != nil {
			return 0, nil, err
		}
		if err := e.db.CreatePrinter(ctx, pr, &yuncang.Event{Username: "bench", Kind: yuncang.EventPrinterChange, Outcome: yuncang.OutcomeOK}); err != nil {
			return 0, nil, err
		}
		sts[i] = &station{printer: p, id: pr.ID}
	}
	for k, chunk := 0, 0; k+per <= len(ids); k, chunk = k+per, chunk+1 {
		st := sts[chunk%stations]
		st.jobs = append(st.jobs, ids[k:k+per])
	}
	gctx, stop := context.WithCancel(ctx)
	g := &agent.Gateway{Server: e.srv.URL, Identity: e.identity, Signer: e.gateway, Wait: 5 * time.Second}
	var gwg sync.WaitGroup
	gwg.Add(1)
	go func() { defer gwg.Done(); g.Run(gctx) }()
	defer func() { stop(); gwg.Wait() }()
	start := time.Now()
	errs := make(chan error, stations)
	var wg sync.WaitGroup
	for _, st := range sts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, job := range st.jobs {
				body, _ := json.Marshal(httpapi.PrintJobRequest{PrinterID: st.id, ShipmentIDs: job})
				st.sent = append(st.sent, time.Now())
				code, resp, err := e.call("POST", "/api/v1/warehouses/YW01/print-jobs", body)
				if err == nil && code != http.StatusAccepted {
					err = fmt.Errorf("print job: %d %s", code, resp)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, nil, err
	}
	var lat []time.Duration
	last := start
	labels := 0
	for _, st := range sts {
		got := st.printer.Wait(len(st.jobs), time.Minute)
		if len(got) != len(st.jobs) {
			return 0, nil, fmt.Errorf("%d of %d jobs reached a printer", len(got), len(st.jobs))
		}
		// One printer prints in order: its i-th job is its station's i-th.
		for i, j := range got {
			lat = append(lat, j.At.Sub(st.sent[i]))
			if j.At.After(last) {
				last = j.At
			}
		}
		labels += len(st.jobs) * per
	}
	return float64(labels) / last.Sub(start).Seconds(), lat, nil
}

// shipmentsThroughFloor takes orders of the tenant through the warehouse
// flow on the store — paid, allocated, waved, picked, packed, weighed —
// to a shipment in the warehouse, until it has n (orders the planner sends
// elsewhere are skipped).
func shipmentsThroughFloor(ctx context.Context, db *sqlstore.DB, tenant string, wh *yuncang.Warehouse, n int) ([]int64, error) {
	t, err := db.TenantByCode(ctx, tenant)
	if err != nil {
		return nil, err
	}
	skus, err := db.SKUs(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	barcode := map[string]string{}
	for _, s := range skus {
		barcode[s.Code] = s.Barcode
		// Enough stock here that the planner keeps choosing this warehouse.
		if err := db.SetStock(ctx, t.ID, wh.Code, s.Code, 1_000_000, stockSet("bench", s.Code, wh.Code)); err != nil {
			return nil, err
		}
	}
	orders, err := allOrders(ctx, db, t.ID)
	if err != nil {
		return nil, err
	}
	sender := yuncang.Sender{Name: "义乌优品", Phone: "057985550000", Address: "浙江省金华市义乌市福田街道诚信大道100号"}
	var out []int64
	for _, o := range orders {
		if len(out) == n {
			break
		}
		if _, err := db.TransitionOrder(ctx, t.ID, o.ID, yuncang.OrderPaid, "payment_confirmed"); err != nil {
			continue // a decoy or already moved on
		}
		states, err := allocate.New(db).Allocate(ctx, t.ID, []int64{o.ID})
		if err != nil || len(states) != 1 || states[0].Status != yuncang.OrderAllocated || len(states[0].Parcels) != 1 || states[0].Parcels[0].Warehouse != wh.Code {
			continue
		}
		p := states[0].Parcels[0]
		wv, err := (&fulfil.Waves{Store: db, Cutoffs: allocate.New(db)}).Create(ctx, t.ID, wh.ID, yuncang.WaveInput{})
		if err != nil {
			return nil, fmt.Errorf("wave: %w", err)
		}
		for _, pl := range wv.Picks {
			if _, err := db.ConfirmPick(ctx, t.ID, wh.ID, wv.ID, yuncang.PickConfirm{Location: pl.Location, SKUCode: pl.SKUCode, Lot: pl.Lot, Qty: pl.Qty}); err != nil {
				return nil, fmt.Errorf("pick: %w", err)
			}
		}
		var scans []string
		for _, l := range p.Lines {
			for range l.Quantity {
				scans = append(scans, barcode[l.SKUCode])
			}
		}
		if _, err := db.PackParcel(ctx, t.ID, wh.ID, p.ID, scans); err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
		wp, err := db.WeighParcel(ctx, t.ID, wh.ID, p.ID, p.WeightG+300, 300)
		if err != nil {
			return nil, fmt.Errorf("weigh: %w", err)
		}
		sh, err := db.CreateShipment(ctx, &yuncang.ShipmentInput{TenantID: t.ID, ParcelID: wp.ID, OrderID: wp.OrderID, WarehouseID: wh.ID,
			CarrierCode: wp.Carrier, WeightG: wp.WeighedG, Sender: sender,
			Event: &yuncang.Event{Username: "bench", Kind: yuncang.EventShipmentCreate, Outcome: yuncang.OutcomeOK}})
		if err != nil {
			return nil, fmt.Errorf("shipment: %w", err)
		}
		out = append(out, sh.ID)
	}
	if len(out) < n {
		return nil, fmt.Errorf("only %d of %d orders reached a shipment in %s", len(out), n, wh.Code)
	}
	return out, nil
}

// allOrders pages through every order of a tenant (newest first), as
// set-up for benchmarks and the red team; lists are capped per page.
func allOrders(ctx context.Context, db *sqlstore.DB, tenantID int64) ([]*yuncang.Order, error) {
	var orders []*yuncang.Order
	for after := int64(0); ; {
		page, err := db.Orders(ctx, yuncang.OrderFilter{TenantID: tenantID, AfterID: after, Limit: 500}, nil)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			return orders, nil
		}
		orders = append(orders, page...)
		after = page[len(page)-1].ID
	}
}
