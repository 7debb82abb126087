package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("waybill", 45, benchWaybill) }

// benchWaybill measures waybill allocation, one number per transaction as
// a shipment takes it (segment counter moved and number recorded together,
// so numbers have no gaps), from 8 goroutines at once, against inserting
// the same rows one per transaction with no counter, in the same engine.
func benchWaybill(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	const n, workers = 1000, 8
	master, err := vault.ParseMasterKeys("bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		return nil, err
	}
	type engine struct {
		name string
		open func(round int) (*sqlstore.DB, func(), error)
	}
	engines := []engine{{"sqlite", func(round int) (*sqlstore.DB, func(), error) {
		db, err := sqlite.Open(filepath.Join(o.tmp, fmt.Sprintf("waybill-%d.db", round)), master)
		if err != nil {
			return nil, nil, err
		}
		_, err = db.Migrate(ctx, sqlite.Migrations())
		return db, func() { db.Close() }, err
	}}}
	if o.postgres != "" {
		engines = append(engines, engine{"postgres", func(round int) (*sqlstore.DB, func(), error) {
			u, drop, err := postgres.ScratchSchema(o.postgres)
			if err != nil {
				return nil, nil, err
			}
			db, err := postgres.Open(u, master)
			if err != nil {
				drop()
				return nil, nil, err
			}
			_, err = db.Migrate(ctx, postgres.Migrations())
			return db, func() { db.Close(); drop() }, err
		}})
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, err
	}
	var out []BenchResult
	round := 0
	for _, e := range engines {
		best, base := 0.0, 0.0
		for range o.rounds {
			round++
			db, closeFn, err := e.open(round)
			if err != nil {
				return nil, err
			}
			c := &yuncang.Carrier{Code: "ZTO", Name: "中通快递", CheckDigit: yuncang.CheckMod7, PublicKey: id.Recipient().String()}
			seg := &yuncang.WaybillSegment{Prefix: "7390", Width: 10, First: 1, Last: 10 * n}
			raw := &yuncang.WaybillSegment{Prefix: "9999", Width: 10, First: 1, Last: 10 * n}
			err = db.CreateCarrier(ctx, c, []byte("bench-webhook-secret-0123456789"))
			if err == nil {
				seg.CarrierID, raw.CarrierID = c.ID, c.ID
				if err = db.AddWaybillSegment(ctx, seg); err == nil {
					err = db.AddWaybillSegment(ctx, raw)
				}
			}
			if err != nil {
				closeFn()
				return nil, err
			}
			nums := make([]string, n)
			for i := range nums {
				nums[i] = yuncang.WaybillNumber(raw.Prefix, raw.Width, int64(i+1), yuncang.CheckMod7)
			}
			start := time.Now()
			var wg sync.WaitGroup
			errs := make([]error, workers)
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					chunk := nums[w*n/workers : (w+1)*n/workers]
					errs[w] = sqlstore.BaselineOf(db).InsertWaybills(ctx, c.ID, raw.ID, chunk, int64(w*n/workers+1))
				}()
			}
			wg.Wait()
			base = max(base, n/time.Since(start).Seconds())
			start = time.Now()
			for w := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range n / workers {
						if _, err := db.AllocateWaybills(ctx, c.ID, 1); err != nil {
							errs[w] = err
							return
						}
					}
				}()
			}
			wg.Wait()
			best = max(best, n/time.Since(start).Seconds())
			closeFn()
			for _, err := range errs {
				if err != nil {
					return nil, err
				}
			}
		}
		r := BenchResult{Name: "waybill_allocate_" + e.name, Value: best, Unit: "numbers/s", Baseline: base, Ratio: best / base,
			Note: fmt.Sprintf("%d numbers, one per transaction, %d goroutines, best of %d; baseline: the same inserts with no segment counter"+
				" (gapless allocation queues on the segment row, which the baseline's inserts do not)", n, workers, o.rounds)}
		if e.name == "sqlite" {
			r.Target = ">= 0.5" // one writer anyway: the counter costs one extra statement
		}
		out = append(out, r)
	}
	return out, nil
}
