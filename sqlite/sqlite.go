// Package sqlite is yuncang's embedded storage engine: a pure-Go SQLite
// (modernc.org/sqlite, no cgo) in WAL mode with foreign keys, a busy timeout
// and a single writer connection. Queries live in sqlstore; this package
// opens the file and owns the SQLite dialect of the migrations.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations returns the SQLite migrations.
func Migrations() []sqlstore.Migration {
	ms, err := sqlstore.LoadMigrations(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded at build time; a bad name is a build bug
	}
	return ms
}

var dialect = sqlstore.Dialect{
	Name: "sqlite",
	IsUnique: func(err error) bool {
		var e *sqlite.Error
		if errors.As(err, &e) {
			return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
		}
		return false
	},
}

// Open opens (creating if needed) the database file at path. It does not
// migrate; call Migrate or CheckSchema.
func Open(path string, master *vault.MasterKeys) (*sqlstore.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	dsn := func(extra string) string {
		// synchronous(FULL): an accepted order survives power loss, not just
		// a process crash.
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
			"&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)" + extra
	}
	// The writer keeps a 64 MiB page cache (SQLite's default is 2 MiB) and
	// checkpoints the WAL every 10,000 pages (default 1,000): intake inserts
	// into the blind phone index at random places, so once the stored
	// orders' indexes outgrow a small cache each batch reads index pages
	// back from the file and, with frequent checkpoints, writes each of them
	// into the database file again; intake slowed as the store filled
	// (issue 11; the intake_stored bench measures it).
	w, err := sql.Open("sqlite", dsn("&_txlock=immediate&_pragma=cache_size(-65536)&_pragma=wal_autocheckpoint(10000)"))
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1) // one writer: SQLite serialises writes anyway
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", dsn("&_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	// Create the file (and WAL mode) through the writer before readers open it.
	if err := w.PingContext(context.Background()); err != nil {
		w.Close()
		r.Close()
		return nil, fmt.Errorf("open sqlite database: %w", err)
	}
	os.Chmod(path, 0o600)
	return sqlstore.New(w, r, dialect, master), nil
}
