package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/storetest"
)

// TestHotPathPlans: statements every request or every order runs search
// an index by everything they filter on, so their cost does not grow with
// what is stored (SQLite's EXPLAIN QUERY PLAN, on the migrated schema).
func TestHotPathPlans(t *testing.T) {
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
	for _, c := range []struct {
		name, query, want string
	}{
		// A signed device request forgets that device's old nonces: a
		// range of its nonces by time, not every nonce it sent.
		// A reveal for a data-subject request finds its open access request
		// among the tenant's open requests, not by reading them all.
		{"open access request", `SELECT 1 FROM data_requests WHERE tenant_id = 1 AND status = 'open' AND kind = 'access' AND ' ' || order_ids || ' ' LIKE '% 5 %' LIMIT 1`,
			"data_requests_due (tenant_id=? AND status=?)"},
		{"device nonces", `DELETE FROM device_nonces WHERE device_id = 1 AND seen_at < 2`, "(device_id=? AND seen_at<?)"},
	} {
		rows, err := raw.QueryContext(ctx, "EXPLAIN QUERY PLAN "+c.query)
		if err != nil {
			t.Fatal(err)
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
		if p := strings.Join(plan, "; "); !strings.Contains(p, c.want) {
			t.Errorf("%s: plan %q, want it to search %s", c.name, p, c.want)
		}
	}
}
