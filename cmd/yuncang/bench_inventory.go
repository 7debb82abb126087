package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("reservations", 40, benchReservations) }

// benchReservations measures allocation under contention: many goroutines
// allocate one-line orders of a few hot SKUs at once (plan with the
// merchant's carriers, reserve with the oversell guard, store parcels and
// plan, append the ledger, record the transitions), against the baseline of
// the same number of plain "reserved = reserved + n" updates with the same
// concurrency and no check, no ledger, no plan. It also checks that the
// books balance afterwards.
func benchReservations(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	const orders, workers = 600, 8
	master, err := vault.ParseMasterKeys("bench:" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		return nil, err
	}
	type engine struct {
		name string
		open func(round int) (*sqlstore.DB, func(), error)
	}
	engines := []engine{{"sqlite", func(round int) (*sqlstore.DB, func(), error) {
		db, err := sqlite.Open(filepath.Join(o.tmp, fmt.Sprintf("reserve-%d.db", round)), master)
		if err != nil {
			return nil, nil, err
		}
		_, err = db.Migrate(ctx, sqlite.Migrations())
		return db, func() { db.Close() }, err
	}}}
	if o.postgres != "" {
		engines = append(engines, engine{"postgres", func(int) (*sqlstore.DB, func(), error) {
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
	var out []BenchResult
	round := 0
	for _, e := range engines {
		best, bestPlain := 0.0, 0.0
		for r := 0; r < o.rounds; r++ {
			round++
			db, closeFn, err := e.open(round)
			if err != nil {
				return nil, err
			}
			rate, plain, err := reserveRound(ctx, db, orders, workers)
			closeFn()
			if err != nil {
				return nil, err
			}
			best, bestPlain = max(best, rate), max(bestPlain, plain)
		}
		out = append(out, BenchResult{Name: "allocations_per_s_" + e.name, Value: best, Unit: "orders/s", Baseline: bestPlain, Ratio: best / bestPlain,
			Note: fmt.Sprintf("%d goroutines on 4 hot SKUs; baseline: plain UPDATE reserved = reserved + n", workers)})
	}
	return out, nil
}

func reserveRound(ctx context.Context, db *sqlstore.DB, orders, workers int) (rate, plain float64, err error) {
	t := &yuncang.Tenant{Code: "bench", Name: "bench"}
	if err := db.CreateTenant(ctx, t, tenantCreated("bench", t)); err != nil {
		return 0, 0, err
	}
	for _, w := range []*yuncang.Warehouse{
		{Code: "YW", Name: "义乌", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"},
		{Code: "GZ", Name: "广州", ProvinceCode: "44", CityCode: "4401", DistrictCode: "440111"},
	} {
		if err := db.CreateWarehouse(ctx, w, warehouseCreated("bench", w)); err != nil {
			return 0, 0, err
		}
	}
	skus := []string{"HOT-1", "HOT-2", "HOT-3", "HOT-4"}
	for i, code := range skus {
		s := &yuncang.SKU{TenantID: t.ID, Code: code, Barcode: "69" + code, Name: "bench", WeightG: 200 * (i + 1), VolumeCM3: 800}
		if err := db.CreateSKU(ctx, s, skuCreated("bench", s)); err != nil {
			return 0, 0, err
		}
		for _, wh := range []string{"YW", "GZ"} {
			if err := db.SetStock(ctx, t.ID, wh, code, 100_000, stockSet("bench", code, wh)); err != nil {
				return 0, 0, err
			}
		}
	}
	provs := []yuncang.Region{{ProvinceCode: "31", CityCode: "3101"}, {ProvinceCode: "44", CityCode: "4403"}, {ProvinceCode: "11", CityCode: "1101"}, {ProvinceCode: "51", CityCode: "5101"}}
	var batch []*yuncang.PreparedOrder
	for i := range orders {
		batch = append(batch, &yuncang.PreparedOrder{TenantID: t.ID, MerchantOrderID: fmt.Sprintf("B%06d", i),
			Lines:       []yuncang.OrderLine{{SKUCode: skus[i%len(skus)], Quantity: 1 + i%3}},
			Recipient:   yuncang.Recipient{Name: "测试", Phone: "13800000000", Address: "synthetic"},
			Masked:      yuncang.MaskedRecipient{Name: "测*", Phone: "138******00", Address: "synthetic"},
			Destination: provs[i%len(provs)]})
	}
	res, _, err := db.CreateOrders(ctx, t.ID, batch, true, nil)
	if err != nil {
		return 0, 0, err
	}
	ids := make(chan int64, orders)
	for _, r := range res {
		if _, err := db.TransitionOrder(ctx, t.ID, r.Order.ID, yuncang.OrderPaid, ""); err != nil {
			return 0, 0, err
		}
		ids <- r.Order.ID
	}
	close(ids)
	run := func(work func() error) (float64, error) {
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		start := time.Now()
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := work(); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return 0, err
		}
		return float64(orders) / time.Since(start).Seconds(), nil
	}
	rate, err = run(func() error {
		for id := range ids {
			if _, err := allocate.New(db).Allocate(ctx, t.ID, []int64{id}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	if diffs, err := db.CheckBooks(ctx, t.ID); err != nil || len(diffs) > 0 {
		return 0, 0, fmt.Errorf("books do not balance after the benchmark: %v %v", diffs, err)
	}
	st, err := db.Stock(ctx, t.ID)
	if err != nil {
		return 0, 0, err
	}
	jobs := make(chan int, orders)
	for i := range orders {
		jobs <- i
	}
	close(jobs)
	plain, err = run(func() error {
		for i := range jobs {
			s := st[i%len(st)]
			if _, err := sqlstore.BaselineOf(db).Exec(ctx, `UPDATE stock SET reserved = reserved + ? WHERE warehouse_id = ? AND sku_id = ?`, 1+i%3, s.WarehouseID, s.SKUID); err != nil {
				return err
			}
		}
		return nil
	})
	return rate, plain, err
}
