package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"
)

// A transaction's after-commit hooks run once it commits, never when it
// rolls back, and none is left behind either way (the old global map kept
// whatever a transaction ended without inTx registered).
func TestAfterCommitHooks(t *testing.T) {
	w, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.SetMaxOpenConns(1)
	db := New(w, w, Dialect{Name: "sqlite"}, nil)
	ctx := context.Background()
	ran := 0
	fail := errors.New("refused")
	if err := db.inTx(ctx, func(tx *sql.Tx) error {
		db.commits.add(tx, func() { ran++ })
		return fail
	}); !errors.Is(err, fail) {
		t.Fatal(err)
	}
	if ran != 0 || db.commits.open() != 0 {
		t.Fatalf("after a rollback: ran %d hooks, %d transactions still hold hooks", ran, db.commits.open())
	}
	if err := db.inTx(ctx, func(tx *sql.Tx) error {
		db.commits.add(tx, func() { ran++ })
		db.commits.add(tx, func() { ran += 10 })
		if ran != 0 {
			t.Error("a hook ran before the commit")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if ran != 11 || db.commits.open() != 0 {
		t.Fatalf("after a commit: ran = %d (want 11), %d transactions still hold hooks", ran, db.commits.open())
	}
}
