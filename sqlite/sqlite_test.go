package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/storetest"
	"github.com/yuncang/yuncang/vault"
)

func TestConformance(t *testing.T) {
	var mu sync.Mutex
	dirs := map[string]string{}
	dir := func(t *testing.T, name string) string {
		mu.Lock()
		defer mu.Unlock()
		if d, ok := dirs[name]; ok {
			return d
		}
		d := t.TempDir()
		dirs[name] = d
		return d
	}
	storetest.Run(t, storetest.Harness{
		Migrations: sqlite.Migrations(),
		Open: func(t *testing.T, name string, master *vault.MasterKeys) *sqlstore.DB {
			db, err := sqlite.Open(filepath.Join(dir(t, name), "yuncang.db"), master)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(context.Background(), sqlite.Migrations()); err != nil {
				t.Fatal(err)
			}
			return db
		},
		Raw: func(t *testing.T, name string) []byte {
			// Everything on disk: the database file, its WAL and shared memory.
			var all []byte
			for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
				b, err := os.ReadFile(filepath.Join(dir(t, name), "yuncang.db"+suffix))
				if err == nil {
					all = append(all, b...)
				}
			}
			return all
		},
		Values: func(t *testing.T, name string) []storetest.Value {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(dir(t, name), "yuncang.db")+"?_pragma=busy_timeout(10000)&_pragma=query_only(1)")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			return storetest.TableValues(t, db, storetest.TableNames(t, db, `SELECT name FROM sqlite_master WHERE type = 'table'`))
		},
	})
}

func TestSchemaCheck(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "y.db")
	db, err := sqlite.Open(path, storetest.NewMasterKeys(t, "k"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ms := sqlite.Migrations()
	if err := db.CheckSchema(ctx, ms); err == nil || !strings.Contains(err.Error(), "yuncang migrate") {
		t.Fatalf("CheckSchema on empty db = %v, want a hint to migrate", err)
	}
	applied, err := db.Migrate(ctx, ms)
	if err != nil || len(applied) != len(ms) {
		t.Fatalf("Migrate = %v, %v", applied, err)
	}
	if err := db.CheckSchema(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if applied, err := db.Migrate(ctx, ms); err != nil || len(applied) != 0 {
		t.Fatalf("second Migrate = %v, %v", applied, err)
	}
	if err := db.CheckSchema(ctx, ms[:len(ms)-1]); err == nil {
		t.Fatal("CheckSchema accepted a database newer than the binary")
	}
}
