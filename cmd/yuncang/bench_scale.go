package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

// The scale benchmarks of issue 11: concurrent intake on PostgreSQL, two
// serve nodes against one, and intake into a full store against an empty one.
func init() {
	registerBench("intake_concurrent", 11, benchIntakeConcurrent)
	registerBench("nodes", 12, benchNodes)
	registerBench("intake_stored", 13, benchIntakeStored)
}

func benchMaster() (*vault.MasterKeys, error) {
	return vault.ParseMasterKeys("bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
}

// benchTenant creates the first demo merchant and its SKUs.
func benchTenant(ctx context.Context, db *sqlstore.DB) (*yuncang.Tenant, error) {
	m := demodata.Merchants()[0]
	t := &yuncang.Tenant{Code: m.Code, Name: m.Name}
	if err := db.CreateTenant(ctx, t, tenantCreated("bench", t)); err != nil {
		return nil, err
	}
	for _, s := range demodata.SKUs(m.Code) {
		s.TenantID = t.ID
		if err := db.CreateSKU(ctx, s, skuCreated("bench", s)); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// openScratchPG opens a migrated store in a fresh PostgreSQL schema.
func openScratchPG(ctx context.Context, base string, master *vault.MasterKeys) (*sqlstore.DB, string, func(), error) {
	u, drop, err := postgres.ScratchSchema(base)
	if err != nil {
		return nil, "", nil, err
	}
	db, err := postgres.Open(u, master)
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	if _, err := db.Migrate(ctx, postgres.Migrations()); err != nil {
		db.Close()
		drop()
		return nil, "", nil, err
	}
	return db, u, func() { db.Close(); drop() }, nil
}

// intakeBatches runs CreateOrders over inputs in batches, checking that each
// order was created.
func intakeBatches(ctx context.Context, db *sqlstore.DB, t *yuncang.Tenant, inputs []yuncang.OrderInput, batch int) error {
	for i := 0; i < len(inputs); i += batch {
		var ps []*yuncang.PreparedOrder
		for _, in := range inputs[i:min(i+batch, len(inputs))] {
			p, err := intake.Prepare(t.ID, in)
			if err != nil {
				return err
			}
			ps = append(ps, p)
		}
		ev := &yuncang.Event{Username: "bench", TenantID: t.ID, Kind: yuncang.EventOrderImport, Outcome: yuncang.OutcomeOK}
		res, _, err := db.CreateOrders(ctx, t.ID, ps, false, ev)
		if err != nil {
			return err
		}
		for _, x := range res {
			if x.Outcome != yuncang.IntakeCreated {
				return fmt.Errorf("intake outcome %s: %v", x.Outcome, x.Err)
			}
		}
	}
	return nil
}

// benchIntakeConcurrent: 8 clients submitting orders at once to one
// PostgreSQL store (batches of 50, as API clients and small imports do) vs
// the same 8 clients inserting raw rows of the same size.
func benchIntakeConcurrent(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	if o.postgres == "" {
		return nil, nil
	}
	const clients, batch = 8, 50
	master, err := benchMaster()
	if err != nil {
		return nil, err
	}
	g := demodata.NewGenerator(7)
	inputs := make([]yuncang.OrderInput, o.orders)
	for i := range inputs {
		inputs[i] = g.Order(demodata.Merchants()[0].Code)
	}
	share := func(c int) []yuncang.OrderInput {
		per := (len(inputs) + clients - 1) / clients
		return inputs[min(c*per, len(inputs)):min((c+1)*per, len(inputs))]
	}
	parallel := func(fn func(c int) error) (time.Duration, error) {
		var wg sync.WaitGroup
		errs := make([]error, clients)
		start := time.Now()
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func() { defer wg.Done(); errs[c] = fn(c) }()
		}
		wg.Wait()
		d := time.Since(start)
		for _, err := range errs {
			if err != nil {
				return 0, err
			}
		}
		return d, nil
	}
	bestIntake, bestRaw := 0.0, 0.0
	for r := 0; r < o.rounds; r++ {
		db, _, closeFn, err := openScratchPG(ctx, o.postgres, master)
		if err != nil {
			return nil, err
		}
		t, err := benchTenant(ctx, db)
		if err != nil {
			closeFn()
			return nil, err
		}
		raws := make([][]sqlstore.RawOrder, clients)
		for c := range raws {
			for _, in := range share(c) {
				p, err := intake.Prepare(t.ID, in)
				if err != nil {
					closeFn()
					return nil, err
				}
				raws[c] = append(raws[c], sqlstore.NewRawOrder(p))
			}
		}
		d, err := parallel(func(c int) error {
			for i := 0; i < len(raws[c]); i += batch {
				if err := sqlstore.BaselineOf(db).InsertOrders(ctx, t.ID, raws[c][i:min(i+batch, len(raws[c]))]); err != nil {
					return err
				}
			}
			return nil
		})
		closeFn()
		if err != nil {
			return nil, err
		}
		bestRaw = max(bestRaw, float64(len(inputs))/d.Seconds())

		if db, _, closeFn, err = openScratchPG(ctx, o.postgres, master); err != nil {
			return nil, err
		}
		if t, err = benchTenant(ctx, db); err != nil {
			closeFn()
			return nil, err
		}
		d, err = parallel(func(c int) error { return intakeBatches(ctx, db, t, share(c), batch) })
		closeFn()
		if err != nil {
			return nil, err
		}
		bestIntake = max(bestIntake, float64(len(inputs))/d.Seconds())
	}
	return []BenchResult{{Name: "order_intake_postgres_8_clients", Value: bestIntake, Unit: "orders/s", Baseline: bestRaw, Ratio: bestIntake / bestRaw,
		Target: ">= 0.5", Note: fmt.Sprintf("%d orders from %d concurrent clients in batches of %d, best of %d; baseline: the same clients inserting raw rows of the same size", o.orders, clients, batch, o.rounds)}}, nil
}

// benchNodes: the same HTTP load (8 clients posting single orders) against
// one serve node and against two nodes on one PostgreSQL database.
func benchNodes(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	if o.postgres == "" {
		return nil, nil
	}
	const clients = 8
	master, err := benchMaster()
	if err != nil {
		return nil, err
	}
	db, u, closeFn, err := openScratchPG(ctx, o.postgres, master)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	logins, err := seedDemo(ctx, db, auth.New(db, db.Vault()), 0)
	if err != nil {
		return nil, err
	}
	var nodes []*Main
	defer func() {
		for _, m := range nodes {
			m.Close()
		}
	}()
	for i := 0; i < 2; i++ {
		keys, err := ephemeralAuditKeys()
		if err != nil {
			return nil, err
		}
		m := &Main{Config: Config{Addr: "127.0.0.1:0", DB: u, DataDir: filepath.Join(o.tmp, fmt.Sprintf("node-%d", i))}, Master: master, AuditKeys: keys}
		if err := m.Open(ctx); err != nil {
			return nil, err
		}
		nodes = append(nodes, m)
	}
	var admin DemoLogin
	for _, l := range logins {
		if l.Role == yuncang.RoleMerchantAdmin {
			admin = l
			break
		}
	}
	code, err := auth.TOTPCode(admin.TOTPSecret, time.Now())
	if err != nil {
		return nil, err
	}
	body, _ := json.Marshal(map[string]string{"username": admin.Username, "password": admin.Password, "totp": code})
	resp, err := http.Post(nodes[0].URL()+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	var sess struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	if sess.Token == "" {
		return nil, fmt.Errorf("login: %s", resp.Status)
	}
	g := demodata.NewGenerator(11)
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	per := max(o.orders/10, 100) // requests per figure: single orders are slow
	var seq atomic.Int64
	run := func(n int) (float64, error) {
		inputs := make([][]byte, per)
		for i := range inputs {
			in := g.Order(admin.Tenant)
			in.MerchantOrderID = fmt.Sprintf("NODES-%d", seq.Add(1))
			req := httpapi.OrderRequest{MerchantOrderID: in.MerchantOrderID, Remarks: in.Remarks,
				Recipient: httpapi.RecipientInput{Name: in.Recipient.Name, Phone: in.Recipient.Phone, Address: in.Recipient.Address}}
			for _, l := range in.Lines {
				req.Lines = append(req.Lines, httpapi.OrderLineJSON{SKU: l.SKUCode, Quantity: l.Quantity})
			}
			inputs[i], _ = json.Marshal(req)
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		errs := make([]error, clients)
		start := time.Now()
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := next.Add(1) - 1
					if i >= int64(len(inputs)) {
						return
					}
					req, _ := http.NewRequest("POST", nodes[c%n].URL()+"/api/v1/orders", bytes.NewReader(inputs[i]))
					req.Header.Set("Authorization", "Bearer "+sess.Token)
					req.Header.Set("Content-Type", "application/json")
					resp, err := hc.Do(req)
					if err != nil {
						errs[c] = err
						return
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						errs[c] = fmt.Errorf("intake on node %d: %s", c%n, resp.Status)
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return 0, err
			}
		}
		return float64(per) / time.Since(start).Seconds(), nil
	}
	if _, err := run(1); err != nil { // warm both pools' statements
		return nil, err
	}
	best1, best2 := 0.0, 0.0
	for r := 0; r < o.rounds; r++ {
		x, err := run(1)
		if err != nil {
			return nil, err
		}
		best1 = max(best1, x)
		if x, err = run(2); err != nil {
			return nil, err
		}
		best2 = max(best2, x)
	}
	return []BenchResult{{Name: "two_nodes_vs_one", Value: best2, Unit: "orders/s", Baseline: best1, Ratio: best2 / best1, Target: ">= 0.9",
		Note: fmt.Sprintf("%d clients posting %d single orders over HTTP, spread over two serve nodes on one PostgreSQL vs all on one node (nodes in this process), best of %d", clients, per, o.rounds)}}, nil
}

// benchIntakeStored: intake into a SQLite store already holding --stored
// orders vs into an empty one, the same orders in the same batches. The two
// stores take their batches alternately and each side's median batch
// counts: on a shared machine, load changes from second to second, and
// alternating exposes both sides to the same load. Alongside: the bytes
// each side wrote per order, the Go heap's peak above its level before
// each batch, and the latency of a phone search (the blind index) in both
// stores afterwards.
func benchIntakeStored(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	master, err := benchMaster()
	if err != nil {
		return nil, err
	}
	g := demodata.NewGenerator(5)
	code := demodata.Merchants()[0].Code
	n := max(o.orders, o.batch) * max(o.rounds, 3)
	inputs := make([]yuncang.OrderInput, n)
	for i := range inputs {
		inputs[i] = g.Order(code)
	}
	full, tf, err := openStoredSQLite(ctx, filepath.Join(o.tmp, "stored-full.db"), master, o.stored)
	if err != nil {
		return nil, err
	}
	defer full.Close()
	empty, te, err := openStoredSQLite(ctx, filepath.Join(o.tmp, "stored-empty.db"), master, 0)
	if err != nil {
		return nil, err
	}
	defer empty.Close()
	type side struct {
		db          *sqlstore.DB
		t           *yuncang.Tenant
		rates, lat  []float64
		wrote, heap uint64
	}
	e, f := &side{db: empty, t: te}, &side{db: full, t: tf}
	timed := func(s *side, batch []yuncang.OrderInput) error {
		w := bytesWritten()
		var err error
		heap := peakHeap(2*time.Millisecond, func() {
			start := time.Now()
			err = intakeBatches(ctx, s.db, s.t, batch, len(batch))
			s.rates = append(s.rates, float64(len(batch))/time.Since(start).Seconds())
		})
		s.wrote += uint64(bytesWritten() - w)
		s.heap = max(s.heap, heap)
		return err
	}
	// search looks up the recipient phone of an order both stores hold.
	search := func(s *side, in yuncang.OrderInput) error {
		p, err := intake.Prepare(s.t.ID, in) // the phone as intake stored it
		if err != nil {
			return err
		}
		start := time.Now()
		os, err := s.db.Orders(ctx, yuncang.OrderFilter{TenantID: s.t.ID, Phone: p.Recipient.Phone}, nil)
		s.lat = append(s.lat, float64(time.Since(start).Microseconds()))
		if err == nil && len(os) == 0 {
			err = fmt.Errorf("phone search found no order")
		}
		return err
	}
	alternate := func(i int, fe, ff func() error) error {
		sides := []func() error{fe, ff}
		if i%2 == 1 {
			sides[0], sides[1] = sides[1], sides[0]
		}
		for _, fn := range sides {
			if err := fn(); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < len(inputs); i += o.batch {
		batch := inputs[i:min(i+o.batch, len(inputs))]
		if err := alternate(i/o.batch, func() error { return timed(e, batch) }, func() error { return timed(f, batch) }); err != nil {
			return nil, err
		}
	}
	const searches = 300
	for i := range searches {
		in := inputs[(i*7919)%len(inputs)]
		if err := alternate(i, func() error { return search(e, in) }, func() error { return search(f, in) }); err != nil {
			return nil, err
		}
	}
	mib := func(b uint64) float64 { return float64(b) / (1 << 20) }
	store := fmt.Sprintf("SQLite, %d orders in batches of %d into a store holding %d orders (--stored; raw rows of real size over %d daily buckets) vs into an empty one, alternating batches",
		n, o.batch, o.stored, storedDays)
	return []BenchResult{
		{Name: "order_intake_stored_vs_empty", Value: median(f.rates), Unit: "orders/s", Baseline: median(e.rates), Ratio: median(f.rates) / median(e.rates), Target: ">= 0.8",
			Note: fmt.Sprintf("%s, median batch of each; written %.0f vs %.0f bytes/order (wchar)", store, float64(f.wrote)/float64(n), float64(e.wrote)/float64(n))},
		{Name: "order_intake_stored_peak_heap", Value: mib(f.heap), Unit: "MiB", Baseline: mib(e.heap), Ratio: mib(f.heap) / mib(e.heap), Target: "~1 (flat)",
			Note: store + "; the Go heap's largest rise within one batch, sampled every 2 ms (SQLite's page cache is outside it, capped per connection by cache_size)"},
		{Name: "phone_search_stored_vs_empty", Value: median(f.lat), Unit: "µs", Baseline: median(e.lat), Ratio: median(f.lat) / median(e.lat),
			Note: fmt.Sprintf("median of %d searches by recipient phone (blind index), alternating, after the intake above: the store holding %d orders + %d vs the one holding %d", searches, o.stored, n, n)},
	}, nil
}

// storedDays is how many past days' retention buckets the stored orders of
// openStoredSQLite spread over (the default policy's maximum age).
const storedDays = 90

// openStoredSQLite opens a migrated SQLite store at path with the first
// demo merchant holding stored orders, preloaded with raw rows of real
// sizes under ids that never collide with the demo generator's, spread over
// the retention buckets of the storedDays days before today, and
// checkpointed: what loading them wrote is not left for the first
// measured transactions to copy into the database.
func openStoredSQLite(ctx context.Context, path string, master *vault.MasterKeys, stored int) (*sqlstore.DB, *yuncang.Tenant, error) {
	code := demodata.Merchants()[0].Code
	db, err := sqlite.Open(path, master)
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*sqlstore.DB, *yuncang.Tenant, error) {
		db.Close()
		return nil, nil, err
	}
	if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
		return fail(err)
	}
	t, err := benchTenant(ctx, db)
	if err != nil {
		return fail(err)
	}
	pre := demodata.NewGenerator(6)
	today := vault.Day(time.Now())
	for day := range storedDays {
		count := stored/storedDays + btoi(day < stored%storedDays)
		if count == 0 {
			continue
		}
		bucket, err := sqlstore.BaselineOf(db).Bucket(ctx, t.ID, today-storedDays+day)
		if err != nil {
			return fail(err)
		}
		for done := 0; done < count; {
			var rows []sqlstore.RawOrder
			for ; done < count && len(rows) < 2000; done++ {
				in := pre.Order(code)
				in.MerchantOrderID = fmt.Sprintf("PRE-%03d-%08d", day, done)
				p, err := intake.Prepare(t.ID, in)
				if err != nil {
					return fail(err)
				}
				r := sqlstore.NewRawOrder(p)
				r.SetBucket(bucket)
				rows = append(rows, r)
			}
			if err := sqlstore.BaselineOf(db).InsertOrders(ctx, t.ID, rows); err != nil {
				return fail(err)
			}
		}
	}
	if _, err := sqlstore.BaselineOf(db).Exec(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fail(err)
	}
	return db, t, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
