package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/storetest"
)

// TestConcurrentIntakeKeepsAuditTreeOnPostgres is the reproduction:
// the real server on PostgreSQL, several clients posting orders at once,
// then the whole audit tree recomputed. It broke with two clients (interior
// hashes wrong, or "stored hash … is missing") while one client passed.
func TestConcurrentIntakeKeepsAuditTreeOnPostgres(t *testing.T) {
	base := os.Getenv("YUNCANG_TEST_POSTGRES")
	if base == "" {
		t.Skip("YUNCANG_TEST_POSTGRES is not set; skipping the PostgreSQL audit concurrency test")
	}
	url, drop, err := postgres.ScratchSchema(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	dir := t.TempDir()
	logs := &syncBuffer{}
	ts := &testServer{logs: logs, dbPath: filepath.Join(dir, "unused.db"), logins: map[string]DemoLogin{}}
	ts.Main = &Main{
		Config:    Config{Addr: "127.0.0.1:0", DataDir: dir, DB: url, LogLevel: "warn"},
		Master:    storetest.NewMasterKeys(t, "k1"),
		AuditKeys: testAuditKeys(t),
		Migrate:   true,
		Logger:    newLogger(logs, "warn"),
	}
	ctx := context.Background()
	if err := ts.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	logins, err := seedDemo(ctx, ts.DB, ts.Auth, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range logins {
		ts.logins[l.Username] = l
	}
	tok := ts.login(t, "yiwu-goods-admin")

	const clients = 4
	deadline := time.Now().Add(3 * time.Second)
	var created atomic.Int64
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline) && i < 2000; i++ {
				var o orderOut
				code := ts.jsonCall(t, "POST", "/api/v1/orders", tok, knownOrder(fmt.Sprintf("PGC-%d-%d", c, i), 1), &o)
				if code != http.StatusCreated {
					t.Errorf("client %d order %d: %d %+v", c, i, code, o.Detail)
					return
				}
				created.Add(1)
			}
		}(c)
	}
	wg.Wait()
	if created.Load() < 2*clients {
		t.Fatalf("only %d orders were created", created.Load())
	}
	records := func(yield func(audit.Record, error) bool) {
		for r, err := range ts.DB.AuditRecords(ctx) {
			if !yield(audit.Record{Index: r.Index, Data: r.Data, LeafHash: r.LeafHash}, err) {
				return
			}
		}
	}
	rep := audit.Verify(records, nil, nil, nil)
	if !rep.OK() {
		t.Fatalf("after %d concurrent orders the audit log does not verify: %s", created.Load(), rep.String())
	}
	t.Logf("%d orders from %d clients; %d audit records verify", created.Load(), clients, rep.Records)
}
