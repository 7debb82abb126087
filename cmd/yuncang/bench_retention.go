package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("retention", 95, benchRetention) }

// benchRetention measures retention passes (SQLite) over a store of
// --stored orders and over one of a tenth of that. Both hold the same sets
// of ten expired bucket keys with the same orders in them, one set falling
// due per simulated day, so each pass erases one set: if erasing is
// O(expired keys), the keys phase takes the same time in both stores (the
// median of three passes each, as fsyncs on a shared machine are noisy).
// A last pass over the big store runs while intake runs, against intake
// just before and after it.
func benchRetention(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	master, err := benchMaster()
	if err != nil {
		return nil, err
	}
	big := o.stored
	small := big / 10
	const expiredKeys, liveKeys, rounds = 10, 20, 3
	perKey := small / 5 / expiredKeys // four sets fit in the small store
	if perKey < 1 {
		return nil, fmt.Errorf("--stored %d is too small for the retention benchmark", big)
	}
	setOrders := perKey * expiredKeys
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
	// build makes a store of total orders: sets of ten keys, set s due on
	// day s of the run (delivered 30.5 days before it), and live keys
	// delivered yesterday.
	build := func(name string, total, sets int) (*sqlstore.DB, *yuncang.Tenant, error) {
		db, t, err := openStoredSQLite(ctx, filepath.Join(o.tmp, name), master, 0)
		if err != nil {
			return nil, nil, err
		}
		n := 0
		fill := func(day, count int, delivered time.Time) error {
			id, err := sqlstore.BaselineOf(db).Bucket(ctx, t.ID, day)
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
				if err := sqlstore.BaselineOf(db).InsertOrders(ctx, t.ID, rows); err != nil {
					return err
				}
			}
			return sqlstore.BaselineOf(db).Settle(ctx, id, delivered)
		}
		for s := range sets {
			for k := range expiredKeys {
				if err := fill(today-60+s*expiredKeys+k, perKey, now.Add(time.Duration(s*24-30*24-12)*time.Hour)); err != nil {
					db.Close()
					return nil, nil, err
				}
			}
		}
		live := total - sets*setOrders
		for k := range liveKeys {
			if err := fill(today-liveKeys+k, live/liveKeys, now.Add(-24*time.Hour)); err != nil {
				db.Close()
				return nil, nil, err
			}
		}
		return db, t, nil
	}
	// measure runs fn, sampling the heap in use above its start.
	measure := func(fn func() error) (uint64, error) {
		runtime.GC()
		var err error
		heap := peakHeap(20*time.Millisecond, func() { err = fn() })
		return heap, err
	}
	// pass runs retention on day d of the run; it must erase one set.
	pass := func(db *sqlstore.DB, d int) (*retention.Report, uint64, time.Duration, error) {
		at := now.Add(time.Duration(d) * 24 * time.Hour)
		db.SetNow(func() time.Time { return at })
		var rep *retention.Report
		start := time.Now()
		heap, err := measure(func() (err error) {
			rep, err = retention.Run(ctx, db, retention.Options{Actor: "bench"})
			return err
		})
		took := time.Since(start)
		if err == nil && (len(rep.Erased) != expiredKeys || rep.Swept != setOrders) {
			err = fmt.Errorf("retention pass on day %d erased %d keys and swept %d orders, want %d and %d", d, len(rep.Erased), rep.Swept, expiredKeys, setOrders)
		}
		return rep, heap, took, err
	}
	type medians struct {
		keys, sweep, total time.Duration
		written            float64 // bytes written per swept order (median)
	}
	series := func(db *sqlstore.DB) (medians, uint64, error) {
		var keys, sweep, total []time.Duration
		var written []float64
		var heap uint64
		for d := range rounds {
			w0 := bytesWritten()
			rep, h, took, err := pass(db, d)
			if err != nil {
				return medians{}, 0, err
			}
			keys, sweep, total = append(keys, rep.KeysTook), append(sweep, rep.SweepTook), append(total, took)
			written = append(written, float64(bytesWritten()-w0)/float64(setOrders))
			heap = max(heap, h)
		}
		med := func(x []time.Duration) time.Duration { slices.Sort(x); return x[len(x)/2] }
		slices.Sort(written)
		return medians{med(keys), med(sweep), med(total), written[len(written)/2]}, heap, nil
	}

	smallDB, _, err := build("retention-small.db", small, rounds)
	if err != nil {
		return nil, err
	}
	mSmall, _, err := series(smallDB)
	smallDB.Close()
	if err != nil {
		return nil, err
	}
	bigDB, t, err := build("retention-big.db", big, rounds+1)
	if err != nil {
		return nil, err
	}
	defer bigDB.Close()
	mBig, heapBig, err := series(bigDB)
	if err != nil {
		return nil, err
	}

	// Intake: batches of 100 real orders (validate, seal, index, insert),
	// one stream running without pause from before the pass to after it;
	// each batch's end is stamped.
	seq := 0
	var stamps []time.Time
	var commits []time.Duration // CreateOrders of each batch, ending at stamps[i]
	var intakeErr error
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			var batch []*yuncang.PreparedOrder
			for range 100 {
				in := gen.Order(code)
				in.MerchantOrderID = fmt.Sprintf("LIVE-%08d", seq)
				seq++
				p, err := intake.Prepare(t.ID, in)
				if err != nil {
					intakeErr = err
					return
				}
				batch = append(batch, p)
			}
			c0 := time.Now()
			if _, _, err := bigDB.CreateOrders(ctx, t.ID, batch, false, nil); err != nil {
				intakeErr = err
				return
			}
			now := time.Now()
			stamps, commits = append(stamps, now), append(commits, now.Sub(c0))
		}
	}()
	// The WAL's size, sampled every 50 ms: how far the sweep's writes grow
	// it between checkpoints.
	walPath := filepath.Join(o.tmp, "retention-big.db-wal")
	type walSample struct {
		at   time.Time
		size int64
	}
	var wal []walSample
	wg.Add(1)
	go func() {
		defer wg.Done()
		tk := time.NewTicker(50 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tk.C:
			}
			if fi, err := os.Stat(walPath); err == nil {
				wal = append(wal, walSample{time.Now(), fi.Size()})
			}
		}
	}()
	const window, outside = time.Second, 6 // windows just before and just after the pass
	time.Sleep(time.Second)                // warm up
	time.Sleep(outside * window)
	passStart := time.Now()
	_, _, tDuring, runErr := pass(bigDB, rounds)
	passEnd := time.Now()
	time.Sleep(outside * window)
	close(stop)
	wg.Wait()
	if runErr != nil {
		return nil, runErr
	}
	if intakeErr != nil {
		return nil, intakeErr
	}
	// rates returns the orders per second in each whole window from a to b.
	rates := func(a, b time.Time) []float64 {
		var out []float64
		for w := a; !w.Add(window).After(b); w = w.Add(window) {
			n := 0
			for _, s := range stamps {
				if !s.Before(w) && s.Before(w.Add(window)) {
					n += 100
				}
			}
			out = append(out, float64(n)/window.Seconds())
		}
		return out
	}
	med := func(x []float64) float64 {
		if len(x) == 0 {
			return 0
		}
		slices.Sort(x)
		if len(x)%2 == 0 {
			return (x[len(x)/2-1] + x[len(x)/2]) / 2
		}
		return x[len(x)/2]
	}
	beforeW := rates(passStart.Add(-outside*window), passStart)
	afterW := rates(passEnd, passEnd.Add(outside*window))
	duringW := rates(passStart, passEnd)
	// Fewer than three whole windows during the pass give no median worth
	// the name: the intake figure is then left out (said on stderr), and
	// the pass's own figures still stand.
	measured := len(duringW) >= 3
	if !measured {
		fmt.Fprintf(os.Stderr, "retention: intake_during_retention not measured: the pass took %s, too short for three %s windows of intake; use --stored 150000 or more\n",
			tDuring.Round(time.Millisecond), window)
	}
	spread := func(x []float64) string {
		if len(x) == 0 {
			return "none"
		}
		return fmt.Sprintf("%.0f-%.0f", slices.Min(x), slices.Max(x))
	}
	// Intake's CreateOrders (its transaction, queueing for the writer
	// included) during the pass and outside it, and the WAL's largest size.
	var cIn, cOut []float64
	for i, st := range stamps {
		ms := commits[i].Seconds() * 1000
		switch {
		case !st.Before(passStart) && st.Before(passEnd):
			cIn = append(cIn, ms)
		case !st.Before(passStart.Add(-outside*window)) && st.Before(passEnd.Add(outside*window)):
			cOut = append(cOut, ms)
		}
	}
	pct := func(x []float64, q float64) float64 {
		if len(x) == 0 {
			return 0
		}
		x = slices.Clone(x)
		slices.Sort(x)
		return x[min(len(x)-1, int(q*float64(len(x))))]
	}
	var walIn, walOut int64
	for _, w := range wal {
		if !w.at.Before(passStart) && w.at.Before(passEnd) {
			walIn = max(walIn, w.size)
		} else {
			walOut = max(walOut, w.size)
		}
	}
	latency := fmt.Sprintf("CreateOrders of a batch took p50 %.0f ms, p90 %.0f, max %.0f during the pass (%d batches) and p50 %.0f, p90 %.0f, max %.0f outside it (%d); WAL at most %.0f MiB during, %.0f MiB outside",
		pct(cIn, 0.5), pct(cIn, 0.9), pct(cIn, 1), len(cIn), pct(cOut, 0.5), pct(cOut, 0.9), pct(cOut, 1), len(cOut),
		float64(walIn)/(1<<20), float64(walOut)/(1<<20))
	spreads := fmt.Sprintf("windows ranged %s/s before, %s during, %s after", spread(beforeW), spread(duringW), spread(afterW))
	before, after, during := med(slices.Clone(beforeW)), med(slices.Clone(afterW)), med(slices.Clone(duringW))
	without := med(append(beforeW, afterW...))
	ms := func(d time.Duration) float64 { return d.Seconds() * 1000 }
	ratio := func(a, b time.Duration) float64 { return a.Seconds() / b.Seconds() }
	stores := fmt.Sprintf("SQLite, %d and %d orders stored, each pass erasing %d keys holding %d orders; median of %d passes", big, small, expiredKeys, setOrders, rounds)
	results := []BenchResult{
		{Name: "retention_keys_big_vs_small", Value: ms(mBig.keys), Unit: "ms", Baseline: ms(mSmall.keys), Ratio: ratio(mBig.keys, mSmall.keys),
			Target: "~1 (O(expired keys))", Note: stores + "; deciding (reads retention_keys only) and destroying the keys, one transaction with its audit record per key"},
		{Name: "retention_sweep_big_vs_small", Value: ms(mBig.sweep), Unit: "ms", Baseline: ms(mSmall.sweep), Ratio: ratio(mBig.sweep, mSmall.sweep),
			Target: "O(erased orders)", Note: stores + "; clearing the erased orders' blind index, fingerprints and masks in transactions of at most 100 orders sized to hold the writer at most about 25 ms, each followed by a pause of 9 times as long as it held the writer"},
		{Name: "retention_pass_big_vs_small", Value: ms(mBig.total), Unit: "ms", Baseline: ms(mSmall.total), Ratio: ratio(mBig.total, mSmall.total),
			Note: stores + "; the whole pass"},
		{Name: "retention_pass_peak_heap", Value: float64(heapBig) / (1 << 20), Unit: "MiB",
			Note: fmt.Sprintf("the largest heap in use above a pass's start over %d stored orders, sampled every 20 ms", big)},
		{Name: "retention_sweep_written_per_order", Value: mBig.written / 1024, Unit: "KiB", Baseline: mSmall.written / 1024, Ratio: mBig.written / mSmall.written,
			Target: "~1", Note: stores + "; bytes the process wrote (WAL frames and checkpoints) per erased order during a pass, big store vs small"},
	}
	if measured {
		results = append(results, BenchResult{Name: "intake_during_retention", Value: during, Unit: "orders/s", Baseline: without, Ratio: during / without, Target: ">= 0.8",
			Note: fmt.Sprintf("one stream of batches of 100 orders through intake.Prepare and CreateOrders; median of the %d whole %s windows while a pass erasing %d keys (%d orders) runs (%s) vs the median of the %d windows just before (median %.0f/s) and %d just after (%.0f/s)",
				len(duringW), window, expiredKeys, setOrders, tDuring.Round(time.Millisecond), len(beforeW), before, len(afterW), after) + "; " + spreads + "; " + latency})
	}
	return results, nil
}
