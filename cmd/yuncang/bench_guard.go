package main

import (
	"context"
	"fmt"
	"github.com/yuncang/yuncang/devicekey"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("guard", 27, benchGuard) }

// benchGuard measures the guard's decision per request — canary lookup,
// baselines, every rule, and the quota spent in the reveal's transaction —
// as a ratio of reveal requests with the guard on to the same requests with
// it off, on one database, in the same run. Thresholds are raised so the
// rules evaluate fully but never refuse.
func benchGuard(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	master, err := vault.ParseMasterKeys("bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		return nil, err
	}
	db, err := sqlite.Open(filepath.Join(o.tmp, "guard.db"), master)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
		return nil, err
	}
	t := demodata.Merchants()[0]
	if err := db.CreateTenant(ctx, t, tenantCreated("bench", t)); err != nil {
		return nil, err
	}
	w := demodata.Warehouses()[0]
	if err := db.CreateWarehouse(ctx, w, warehouseCreated("bench", w)); err != nil {
		return nil, err
	}
	for _, s := range demodata.SKUs(t.Code) {
		s.TenantID = t.ID
		if err := db.CreateSKU(ctx, s, skuCreated("bench", s)); err != nil {
			return nil, err
		}
	}
	g := demodata.NewGenerator(3)
	var batch []*yuncang.PreparedOrder
	for i := 0; i < 2000; i++ {
		p, err := intake.Prepare(t.ID, g.Order(t.Code))
		if err != nil {
			return nil, err
		}
		batch = append(batch, p)
	}
	res, _, err := db.CreateOrders(ctx, t.ID, batch, false, nil)
	if err != nil {
		return nil, err
	}
	u := &yuncang.User{Username: "bench-cs", Role: yuncang.RoleCustomerService}
	if err := db.CreateUser(ctx, u, ""); err != nil {
		return nil, err
	}
	if err := seedTraining(ctx, db, u, db.Now()); err != nil {
		return nil, err
	}
	pub, priv, err := devicekey.Generate()
	if err != nil {
		return nil, err
	}
	desk := &yuncang.Device{Code: "BENCH-DESK", Kind: yuncang.DeviceOfficeDesk, AssignedTo: u.ID, WarehouseID: w.ID, PublicKey: pub, EnrolledBy: u.ID}
	if err := db.EnrolDevice(ctx, desk); err != nil {
		return nil, err
	}
	signer := &devicekey.Signer{DeviceID: desk.ID, Key: priv}
	tok, th := auth.NewToken(false)
	if err := db.CreateCredential(ctx, &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialSession, TokenHash: th,
		ExpiresAt: time.Now().Add(time.Hour), SteppedUpAt: time.Now().Add(time.Hour)}); err != nil {
		return nil, err
	}
	a := auth.New(db, db.Vault())
	cfg := guard.DefaultConfig()
	cfg.NightStart, cfg.NightEnd = 0, 0 // no night: the bench may run at any hour
	for k, v := range cfg.Volume {
		v.AlertFloor, v.SuspendFloor = 1e9, 1e9
		cfg.Volume[k] = v
	}
	cfg.SequentialRun, cfg.SpreadPerMinute = 1e9, 1e9
	pol := httpapi.DefaultGuardPolicy()
	pol.Quotas[yuncang.RoleCustomerService] = [2]int{1e9, 1e9}
	pol.Floor = 1e9
	on := httpapi.New(httpapi.Config{Store: db, Auth: a, Guard: guard.New(cfg, db), GuardPolicy: &pol})
	off := httpapi.New(httpapi.Config{Store: db, Auth: a})
	r := rand.New(rand.NewPCG(1, 2))
	// run also returns the process's CPU time over the block (0 where the
	// platform does not tell).
	run := func(srv http.Handler, n int) (time.Duration, time.Duration, error) {
		// Label the block's samples for --cpuprofile (pprof -tagfocus guard=on).
		side := "off"
		if srv == on {
			side = "on"
		}
		pprof.SetGoroutineLabels(pprof.WithLabels(ctx, pprof.Labels("guard", side)))
		defer pprof.SetGoroutineLabels(ctx)
		cpu0, _ := cpuTime()
		start := time.Now()
		for i := 0; i < n; i++ {
			id := res[r.IntN(len(res))].Order.ID
			body := `{"purpose":"delivery_exception","note":"bench"}`
			req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=%s", id, t.Code), strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			signer.Sign(req, []byte(body))
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				return 0, 0, fmt.Errorf("reveal: %d %s", rec.Code, rec.Body)
			}
		}
		wall := time.Since(start)
		cpu1, _ := cpuTime()
		return wall, cpu1 - cpu0, nil
	}
	if _, _, err := run(on, 200); err != nil { // warm the caches and the baseline
		return nil, err
	}
	// Short blocks, alternating off and on, and the median block of each
	// side: on a shared machine the load changes from second to second, and
	// alternating small blocks exposes both sides to the same load.
	const block = 40
	blocks := 12 * max(o.rounds, 3)
	var offs, ons, cpuOffs, cpuOns []float64
	for i := 0; i < blocks; i++ {
		d, cpu, err := run(off, block)
		if err != nil {
			return nil, err
		}
		offs, cpuOffs = append(offs, d.Seconds()*1e6/block), append(cpuOffs, cpu.Seconds()*1e6/block)
		if d, cpu, err = run(on, block); err != nil {
			return nil, err
		}
		ons, cpuOns = append(ons, d.Seconds()*1e6/block), append(cpuOns, cpu.Seconds()*1e6/block)
	}
	perOn, perOff := median(ons), median(offs)
	rs := []BenchResult{
		{Name: "guard_reveal_us", Value: perOn, Unit: "µs/request", Baseline: perOff, Ratio: perOn / perOff, Target: "<= 1.2",
			Note: fmt.Sprintf("reveal requests (SQLite, audited, fsync per request) with the guard deciding (canary, baselines, rules over windows shared through the database and saved in the reveal's own transaction, quota) vs off; median of %d alternating blocks of %d", blocks, block)},
		{Name: "guard_added_us", Value: perOn - perOff, Unit: "µs/request", Baseline: 100, Ratio: (perOn - perOff) / 100, Target: "<= 1 (100 µs)",
			Note: "the same figures as an absolute cost added per reveal"}}
	// Each on block ran right after an off block: the median of the pairs'
	// differences cancels load that drifts over the run (the figure above
	// compares the two sides' medians over the whole run).
	diffs := make([]float64, len(ons))
	for i := range ons {
		diffs[i] = ons[i] - offs[i]
	}
	rs = append(rs, BenchResult{Name: "guard_added_paired_us", Value: median(diffs), Unit: "µs/request",
		Note: "median over the alternating pairs of (on block - the off block just before it), per reveal; a diagnostic beside guard_added_us, less sensitive to load that changes during the run"})
	if cpuOn, cpuOff := median(cpuOns), median(cpuOffs); cpuOff > 0 {
		// The work the guard adds, apart from how long other processes
		// kept the reveal waiting: on a loaded machine the wall-clock
		// difference of a few percent drowns in the load's.
		rs = append(rs, BenchResult{Name: "guard_added_cpu_us", Value: cpuOn - cpuOff, Unit: "µs CPU/request", Baseline: cpuOff, Ratio: cpuOn / cpuOff,
			Note: "the same blocks' process CPU time per reveal, guard on minus off (value), off (baseline); a diagnostic beside the figures above, not a replacement"})
	}
	return rs, nil
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
