package postgres_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/storetest"
)

// TestSchemasAgree migrates a fresh SQLite file and a fresh PostgreSQL
// schema and compares what they hold: the two dialects' migrations are
// written by hand, and this is what keeps them saying the same thing.
func TestSchemasAgree(t *testing.T) {
	ctx := context.Background()
	lm, pm := sqlite.Migrations(), postgres.Migrations()
	if len(lm) != len(pm) {
		t.Errorf("%d SQLite migrations, %d PostgreSQL migrations", len(lm), len(pm))
	}
	for i := range min(len(lm), len(pm)) {
		if lm[i].Name != pm[i].Name {
			t.Errorf("migration %d: sqlite %q, postgres %q", i+1, lm[i].Name, pm[i].Name)
		}
	}
	master := storetest.NewMasterKeys(t, "k1")
	path := filepath.Join(t.TempDir(), "schema.db")
	ldb, err := sqlite.Open(path, master)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ldb.Migrate(ctx, sqlite.Migrations()); err != nil {
		t.Fatal(err)
	}
	ldb.Close()
	url := freshSchema(t, testURL(t))
	pdb, err := postgres.Open(url, master)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pdb.Migrate(ctx, postgres.Migrations()); err != nil {
		t.Fatal(err)
	}
	pdb.Close()

	lraw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer lraw.Close()
	praw, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer praw.Close()
	ls, err := storetest.DescribeSQLite(ctx, lraw)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := storetest.DescribePostgres(ctx, praw)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Tables) < 10 {
		t.Fatalf("only %d tables described", len(ls.Tables))
	}
	for _, d := range storetest.Diff("sqlite", ls, "postgres", ps) {
		t.Error(d)
	}
}
