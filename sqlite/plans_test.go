package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/storetest"
)

// TestHotPathPlans: statements every request or every order runs search
// an index by everything they filter on, so their cost does not grow with
// what is stored (SQLite's EXPLAIN QUERY PLAN, on the migrated schema).
func TestHotPathPlans(t *testing.T) {
	explainPlans(t, []sqlstore.PlanQuery{
		// A signed device request forgets that device's old nonces: a
		// range of its nonces by time, not every nonce it sent.
		{Name: "device nonces", SQL: `DELETE FROM device_nonces WHERE device_id = 1 AND seen_at < 2`},
		// A phone search (order search, data-subject requests, the
		// console) seeks the blind index once per bucket and once for
		// orders sealed before buckets: not a walk of the tenant's orders.
		{Name: "phone search", SQL: `SELECT * FROM orders WHERE tenant_id = ? AND ` + sqlstore.PhoneMatchSQL + ` ORDER BY id DESC LIMIT 50`,
			Args: []any{1, 1, 1, []byte{0}, 1, []byte{0}}},
		{Name: "phone search by status", SQL: `SELECT * FROM orders WHERE tenant_id = ? AND status = 'created' AND ` + sqlstore.PhoneMatchSQL + ` AND id < 9 ORDER BY id DESC LIMIT 50`,
			Args: []any{1, 1, 1, []byte{0}, 1, []byte{0}}},
		// A reveal for a data-subject request finds its open access request
		// among the tenant's open requests, not by reading them all.
		{Name: "open access request", SQL: `SELECT 1 FROM data_requests WHERE tenant_id = 1 AND status = 'open' AND kind = 'access' AND ' ' || order_ids || ' ' LIKE '% 5 %' LIMIT 1`},
	}, map[string]string{
		"device nonces":          "(device_id=? AND seen_at<?)",
		"phone search":           "SEARCH orders USING COVERING INDEX orders_tenant_bucket_phone (tenant_id=? AND retention_key_id=? AND phone_index=?)",
		"phone search by status": "SEARCH orders USING COVERING INDEX orders_tenant_bucket_phone (tenant_id=? AND retention_key_id=? AND phone_index=?)",
		"open access request":    "data_requests_due (tenant_id=? AND status=?)",
	})
}

// TestSweepPlans: the statements the retention sweep and data-subject
// erasure run for each batch of orders search an index by what they filter
// on, so a batch costs the same however many orders, shipments and print
// jobs are stored (issue 14: retention must not block intake).
func TestSweepPlans(t *testing.T) {
	want := map[string]string{
		"orders of a bucket":   "orders_retention (retention_key_id=? AND id>?)",
		"shipments of orders":  "sqlite_autoindex_shipments_2 (order_id=?)",
		"bound phones":         "sqlite_autoindex_virtual_bindings_1 (shipment_id=?)",
		"tracking notes":       "tracking_events_shipment (shipment_id=?)",
		"waiting print jobs":   "print_jobs_payload (expires_at>?)",
		"order keys of bucket": "(retention_key_id=?",
	}
	qs := sqlstore.SweepPlanQueries()
	if len(qs) != len(want) {
		t.Fatalf("%d sweep statements, %d expected plans: add the new statement's plan here", len(qs), len(want))
	}
	explainPlans(t, qs, want)
}

// explainPlans reads SQLite's EXPLAIN QUERY PLAN of every statement on a
// freshly migrated schema (opened read-only) and checks that each plan
// searches what want names for its statement and scans nothing.
func explainPlans(t *testing.T, qs []sqlstore.PlanQuery, want map[string]string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "plans.db")
	db, err := sqlite.Open(path, storetest.NewMasterKeys(t, "k"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range qs {
		rows, err := raw.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.SQL, q.Args...)
		if err != nil {
			t.Fatalf("%s: %v", q.Name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		p := strings.Join(plan, "; ")
		t.Logf("%s: %s", q.Name, p)
		if w, ok := want[q.Name]; !ok || !strings.Contains(p, w) || strings.Contains(p, "SCAN ") {
			t.Errorf("%s: plan %q, want it to search %s and scan nothing", q.Name, p, w)
		}
	}
}
