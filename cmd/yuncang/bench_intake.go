package main

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("intake", 10, benchIntake) }

// benchIntake measures order intake (validate, parse the address, mask,
// encrypt, blind-index, fingerprint, insert with idempotency check) against a
// raw insert of rows of the same size through the same statements into the
// same engine. Each round uses a fresh, empty database.
func benchIntake(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	engines := []struct {
		name string
		open func(round int, master *vault.MasterKeys) (*sqlstore.DB, func(), error)
	}{
		{"sqlite", func(round int, master *vault.MasterKeys) (*sqlstore.DB, func(), error) {
			db, err := sqlite.Open(filepath.Join(o.tmp, fmt.Sprintf("intake-%d.db", round)), master)
			if err != nil {
				return nil, nil, err
			}
			_, err = db.Migrate(ctx, sqlite.Migrations())
			return db, func() { db.Close() }, err
		}},
	}
	if o.postgres != "" {
		engines = append(engines, struct {
			name string
			open func(round int, master *vault.MasterKeys) (*sqlstore.DB, func(), error)
		}{"postgres", func(round int, master *vault.MasterKeys) (*sqlstore.DB, func(), error) {
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

	master, err := vault.ParseMasterKeys("bench:" + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		return nil, err
	}
	merchant := demodata.Merchants()[0]
	g := demodata.NewGenerator(42)
	inputs := make([]yuncang.OrderInput, o.orders)
	for i := range inputs {
		inputs[i] = g.Order(merchant.Code)
	}

	var out []BenchResult
	round := 0
	for _, e := range engines {
		setup := func() (*sqlstore.DB, *yuncang.Tenant, func(), error) {
			round++
			db, closeFn, err := e.open(round, master)
			if err != nil {
				return nil, nil, nil, err
			}
			t := &yuncang.Tenant{Code: merchant.Code, Name: merchant.Name}
			if err := db.CreateTenant(ctx, t, tenantCreated("bench", t)); err != nil {
				closeFn()
				return nil, nil, nil, err
			}
			for _, s := range demodata.SKUs(merchant.Code) {
				s.TenantID = t.ID
				if err := db.CreateSKU(ctx, s, skuCreated("bench", s)); err != nil {
					closeFn()
					return nil, nil, nil, err
				}
			}
			return db, t, closeFn, nil
		}
		bestIntake, bestRaw := 0.0, 0.0
		var wroteIntake, wroteRaw int64 // bytes written by the process, all rounds
		for r := 0; r < o.rounds; r++ {
			// Raw baseline: rows prepared and blobs made before the clock starts.
			db, t, closeFn, err := setup()
			if err != nil {
				return nil, err
			}
			raws := make([]sqlstore.RawOrder, len(inputs))
			for i, in := range inputs {
				p, err := intake.Prepare(t.ID, in)
				if err != nil {
					closeFn()
					return nil, err
				}
				raws[i] = sqlstore.NewRawOrder(p)
			}
			w := bytesWritten()
			start := time.Now()
			for i := 0; i < len(raws); i += o.batch {
				if err := sqlstore.BaselineOf(db).InsertOrders(ctx, t.ID, raws[i:min(i+o.batch, len(raws))]); err != nil {
					closeFn()
					return nil, err
				}
			}
			bestRaw = max(bestRaw, float64(len(raws))/time.Since(start).Seconds())
			closeFn()
			wroteRaw += bytesWritten() - w

			// Intake: everything from the submitted order onwards is timed.
			db, t, closeFn, err = setup()
			if err != nil {
				return nil, err
			}
			w = bytesWritten()
			start = time.Now()
			for i := 0; i < len(inputs); i += o.batch {
				var batch []*yuncang.PreparedOrder
				for _, in := range inputs[i:min(i+o.batch, len(inputs))] {
					p, err := intake.Prepare(t.ID, in)
					if err != nil {
						closeFn()
						return nil, err
					}
					batch = append(batch, p)
				}
				ev := &yuncang.Event{Username: "bench", TenantID: t.ID, Kind: yuncang.EventOrderImport, Outcome: yuncang.OutcomeOK}
				res, _, err := db.CreateOrders(ctx, t.ID, batch, false, ev)
				if err != nil {
					closeFn()
					return nil, err
				}
				for _, x := range res {
					if x.Outcome != yuncang.IntakeCreated {
						closeFn()
						return nil, fmt.Errorf("intake outcome %s: %v", x.Outcome, x.Err)
					}
				}
			}
			bestIntake = max(bestIntake, float64(len(inputs))/time.Since(start).Seconds())
			closeFn()
			wroteIntake += bytesWritten() - w
		}
		r := BenchResult{Name: "order_intake_" + e.name, Value: bestIntake, Unit: "orders/s", Baseline: bestRaw,
			Ratio: bestIntake / bestRaw, Note: fmt.Sprintf("%d orders in batches of %d, best of %d rounds; baseline: raw insert of same-size rows", o.orders, o.batch, o.rounds)}
		if e.name == "sqlite" {
			r.Target = ">= 0.5"
			// Bytes this process wrote (WAL frames, checkpoints), per order.
			if n := int64(o.orders * o.rounds); wroteIntake > 0 {
				r.Note += fmt.Sprintf("; bytes written per order: intake %d, baseline %d", wroteIntake/n, wroteRaw/n)
			}
		}
		out = append(out, r)
	}
	return out, nil
}
