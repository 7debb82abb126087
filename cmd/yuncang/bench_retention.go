package main

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("retention", 95, benchRetention) }

// benchRetention measures a retention pass (SQLite) over a store of
// --stored orders and over one of a tenth of that, both holding the same
// ten expired bucket keys with the same orders in them: if erasing is
// O(expired keys) the two passes take the same time. It also measures
// intake while the big pass runs against intake just before it.
func benchRetention(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	master, err := benchMaster()
	if err != nil {
		return nil, err
	}
	big := o.stored
	small := big / 10
	const expiredKeys, liveKeys = 10, 20
	expiredOrders := small / 2
	if expiredOrders < expiredKeys {
		return nil, fmt.Errorf("--stored %d is too small for the retention benchmark", big)
	}
	code := demodata.Merchants()[0].Code
	gen := demodata.NewGenerator(11)
	var templates []*yuncang.PreparedOrder
	for range 2000 {
		p, err := intake.Prepare(1, gen.Order(code))
		if err != nil {
			return nil, err
		}
		templates = append(templates, p)
	}
	now := time.Now()
	today := vault.Day(now)
	build := func(name string, total int, second bool) (*sqlstore.DB, *yuncang.Tenant, error) {
		db, t, err := openStoredSQLite(ctx, filepath.Join(o.tmp, name), master, 0)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		fill := func(day, count int, delivered time.Time) error {
			id, err := db.BenchBucket(ctx, t.ID, day)
			if err != nil {
				return err
			}
			for done := 0; done < count; {
				var rows []sqlstore.RawOrder
				for ; done < count && len(rows) < 2000; done++ {
					p := *templates[n%len(templates)]
					p.TenantID, p.MerchantOrderID = t.ID, fmt.Sprintf("RET-%08d", n)
					n++
					r := sqlstore.NewRawOrder(&p)
					r.SetBucket(id)
					rows = append(rows, r)
				}
				if err := db.InsertRaw(ctx, t.ID, rows); err != nil {
					return err
				}
			}
			return db.BenchSettle(ctx, id, delivered)
		}
		// Ten buckets 36-45 days old, all delivered the day after intake:
		// past the default 30 days. Twenty recent ones, delivered yesterday.
		for k := range expiredKeys {
			day := today - 45 + k
			if err := fill(day, expiredOrders/expiredKeys, vault.DayStart(day+1)); err != nil {
				db.Close()
				return nil, nil, err
			}
		}
		live := total - expiredOrders/expiredKeys*expiredKeys
		if second {
			// Ten more that expire within the day: the second pass, a day
			// later, erases them while intake runs.
			for k := range expiredKeys {
				if err := fill(today-30+k, expiredOrders/expiredKeys, now.Add(-(29*24+12)*time.Hour)); err != nil {
					db.Close()
					return nil, nil, err
				}
			}
			live -= expiredOrders / expiredKeys * expiredKeys
		}
		for k := range liveKeys {
			if err := fill(today-liveKeys+k, live/liveKeys, now.Add(-24*time.Hour)); err != nil {
				db.Close()
				return nil, nil, err
			}
		}
		return db, t, nil
	}
	// peakHeap samples the heap in use while fn runs.
	peakHeap := func(fn func() error) (time.Duration, uint64, error) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var peak atomic.Uint64
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(20 * time.Millisecond)
			defer t.Stop()
			for {
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		}()
		start := time.Now()
		err := fn()
		took := time.Since(start)
		close(done)
		wg.Wait()
		p := peak.Load()
		if p < base {
			p = base
		}
		return took, p - base, err
	}
	pass := func(db *sqlstore.DB) (time.Duration, uint64, *retention.Report, error) {
		var rep *retention.Report
		took, heap, err := peakHeap(func() (err error) {
			rep, err = retention.Run(ctx, db, retention.Options{Actor: "bench"})
			return err
		})
		if err == nil && (len(rep.Erased) != expiredKeys || rep.Swept != expiredOrders/expiredKeys*expiredKeys) {
			err = fmt.Errorf("retention pass erased %d keys and swept %d orders, want %d and %d", len(rep.Erased), rep.Swept, expiredKeys, expiredOrders)
		}
		return took, heap, rep, err
	}

	smallDB, _, err := build("retention-small.db", small, false)
	if err != nil {
		return nil, err
	}
	tSmall, _, repSmall, err := pass(smallDB)
	smallDB.Close()
	if err != nil {
		return nil, err
	}
	bigDB, t, err := build("retention-big.db", big, true)
	if err != nil {
		return nil, err
	}
	defer bigDB.Close()
	tBig, heapBig, repBig, err := pass(bigDB)
	if err != nil {
		return nil, err
	}

	// Intake: batches of 100 real orders (validate, seal, index, insert).
	inputs := make([]yuncang.OrderInput, 0, 100)
	seq := 0
	intakeFor := func(stop <-chan struct{}, limit time.Duration) (float64, error) {
		start := time.Now()
		n := 0
		for {
			select {
			case <-stop:
				return float64(n) / time.Since(start).Seconds(), nil
			default:
			}
			if limit > 0 && time.Since(start) >= limit {
				return float64(n) / time.Since(start).Seconds(), nil
			}
			inputs = inputs[:0]
			var batch []*yuncang.PreparedOrder
			for range 100 {
				in := gen.Order(code)
				in.MerchantOrderID = fmt.Sprintf("LIVE-%08d", seq)
				seq++
				p, err := intake.Prepare(t.ID, in)
				if err != nil {
					return 0, err
				}
				batch = append(batch, p)
			}
			if _, _, err := bigDB.CreateOrders(ctx, t.ID, batch, false, nil); err != nil {
				return 0, err
			}
			n += len(batch)
		}
	}
	if _, err := intakeFor(nil, time.Second); err != nil { // warm up
		return nil, err
	}
	// Intake alone, before and after the pass (the store grows; the
	// baseline is their mean).
	before, err := intakeFor(nil, 5*time.Second)
	if err != nil {
		return nil, err
	}
	// A day later the second set is due: a pass while intake runs.
	later := now.Add(24 * time.Hour)
	bigDB.SetNow(func() time.Time { return later })
	var during float64
	var tDuring time.Duration
	stop := make(chan struct{})
	var runErr, intakeErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		during, intakeErr = intakeFor(stop, 0)
	}()
	tDuring, _, _, runErr = pass(bigDB)
	close(stop)
	wg.Wait()
	if runErr != nil {
		return nil, runErr
	}
	if intakeErr != nil {
		return nil, intakeErr
	}
	// The baseline over the same length of time, right after.
	after, err := intakeFor(nil, 5*time.Second)
	if err != nil {
		return nil, err
	}
	without := (before + after) / 2
	note := fmt.Sprintf("SQLite; %d expired keys holding %d orders in both stores; %d and %d orders stored; %d live keys",
		expiredKeys, expiredOrders/expiredKeys*expiredKeys, small, big, liveKeys)
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 }
	return []BenchResult{
		{Name: "retention_keys_big_vs_small", Value: ms(repBig.KeysTook), Unit: "ms", Baseline: ms(repSmall.KeysTook),
			Ratio: repBig.KeysTook.Seconds() / repSmall.KeysTook.Seconds(), Target: "~1 (O(expired keys))",
			Note: "deciding and destroying the keys: reads retention_keys only, then one transaction per key"},
		{Name: "retention_sweep_big_vs_small", Value: ms(repBig.SweepTook), Unit: "ms", Baseline: ms(repSmall.SweepTook),
			Ratio: repBig.SweepTook.Seconds() / repSmall.SweepTook.Seconds(), Target: "O(erased orders)",
			Note: "clearing the erased orders' blind index, fingerprints and masks in batches of 200, each followed by a pause of 3 times its duration; the same orders in both stores, deeper indexes in the big one"},
		{Name: "retention_pass_big_vs_small", Value: tBig.Seconds() * 1000, Unit: "ms", Baseline: tSmall.Seconds() * 1000,
			Ratio: tBig.Seconds() / tSmall.Seconds(), Target: "~1 (O(expired keys))", Note: note},
		{Name: "retention_pass_peak_heap", Value: float64(heapBig) / (1 << 20), Unit: "MiB", Baseline: 0, Ratio: 0,
			Note: fmt.Sprintf("heap in use above the start of the pass over %d orders, sampled every 20 ms", big)},
		{Name: "intake_during_retention", Value: during, Unit: "orders/s", Baseline: without, Ratio: during / without, Target: ">= 0.8",
			Note: fmt.Sprintf("batches of 100 orders through intake.Prepare and CreateOrders while a pass erasing %d keys (%d orders) runs (%s) vs the mean of 5 s just before (%.0f/s) and just after (%.0f/s)",
				expiredKeys, expiredOrders/expiredKeys*expiredKeys, tDuring.Round(time.Millisecond), before, after)},
	}, nil
}
