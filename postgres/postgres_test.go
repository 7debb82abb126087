package postgres_test

import (
	"context"
	"database/sql"
	"os"
	"sync"
	"testing"

	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/storetest"
	"github.com/yuncang/yuncang/vault"
)

// testURL returns the test database URL or skips the test.
func testURL(t *testing.T) string {
	u := os.Getenv("YUNCANG_TEST_POSTGRES")
	if u == "" {
		t.Skip("YUNCANG_TEST_POSTGRES is not set; skipping PostgreSQL tests (set it to a connection URL, e.g. postgres://postgres@127.0.0.1:5432/test)")
	}
	return u
}

// freshSchema creates an empty schema dropped when the test ends.
func freshSchema(t *testing.T, base string) string {
	t.Helper()
	u, drop, err := postgres.ScratchSchema(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return u
}

func TestConformance(t *testing.T) {
	base := testURL(t)
	var mu sync.Mutex
	urls := map[string]string{}
	urlFor := func(t *testing.T, name string) string {
		mu.Lock()
		defer mu.Unlock()
		if u, ok := urls[name]; ok {
			return u
		}
		u := freshSchema(t, base)
		urls[name] = u
		return u
	}
	storetest.Run(t, storetest.Harness{
		Migrations: postgres.Migrations(),
		Open: func(t *testing.T, name string, master *vault.MasterKeys) *sqlstore.DB {
			db, err := postgres.Open(urlFor(t, name), master)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			if _, err := db.Migrate(context.Background(), postgres.Migrations()); err != nil {
				t.Fatal(err)
			}
			return db
		},
		Raw: func(t *testing.T, name string) []byte {
			// Every row of every table, as text and as raw bytes.
			db := openRaw(t, urlFor(t, name))
			defer db.Close()
			var all []byte
			for _, tb := range storetest.TableNames(t, db, schemaTablesSQL) {
				r, err := db.Query(`SELECT t::text FROM ` + tb + ` t`)
				if err != nil {
					t.Fatal(err)
				}
				for r.Next() {
					var s string
					r.Scan(&s)
					all = append(all, s...)
					all = append(all, '\n')
				}
				r.Close()
			}
			return all
		},
		Values: func(t *testing.T, name string) []storetest.Value {
			db := openRaw(t, urlFor(t, name))
			defer db.Close()
			return storetest.TableValues(t, db, storetest.TableNames(t, db, schemaTablesSQL))
		},
	})
}

// schemaTablesSQL lists the tables of the connection's schema.
const schemaTablesSQL = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`

// openRaw opens url with the plain driver, past the store, to read what it
// holds.
func openRaw(t *testing.T, url string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestConcurrentMigrate(t *testing.T) {
	u := freshSchema(t, testURL(t))
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			db, err := postgres.Open(u, storetest.NewMasterKeys(t, "k"))
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			_, errs[i] = db.Migrate(context.Background(), postgres.Migrations())
		}(i)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
