package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one embedded schema change, named NNNN_description.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// LoadMigrations reads the *.sql files of a directory in an embedded FS.
func LoadMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and '_'", name)
		}
		b, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := range ms {
		if ms[i].Version != i+1 {
			return nil, fmt.Errorf("migrations must be numbered 1..n without gaps; found %s at position %d", ms[i].Name, i+1)
		}
	}
	return ms, nil
}

const createSchemaTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at BIGINT NOT NULL
)`

// SchemaVersion returns the highest applied migration (0 if none).
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	if _, err := db.w.ExecContext(ctx, createSchemaTable); err != nil {
		return 0, fmt.Errorf("create schema table: %w", err)
	}
	var v sql.NullInt64
	if err := db.w.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Migrate applies pending migrations, each in its own transaction together
// with its schema_migrations row. It returns the names applied.
func (db *DB) Migrate(ctx context.Context, ms []Migration) ([]string, error) {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if db.dialect.LockMigrations != nil {
		unlock, err := db.dialect.LockMigrations(ctx, conn)
		if err != nil {
			return nil, fmt.Errorf("lock migrations: %w", err)
		}
		defer unlock()
	}
	if _, err := conn.ExecContext(ctx, createSchemaTable); err != nil {
		return nil, fmt.Errorf("create schema table: %w", err)
	}
	var cur sql.NullInt64
	if err := conn.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&cur); err != nil {
		return nil, err
	}
	if int(cur.Int64) > len(ms) {
		return nil, fmt.Errorf("database schema version %d is newer than this binary knows (%d); upgrade yuncang", cur.Int64, len(ms))
	}
	var applied []string
	for _, m := range ms[cur.Int64:] {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migration %s: %w", m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
			m.Version, m.Name, micros(db.now())); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("record migration %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("commit migration %s: %w", m.Name, err)
		}
		applied = append(applied, m.Name)
	}
	return applied, nil
}

// CheckSchema fails unless every known migration has been applied.
func (db *DB) CheckSchema(ctx context.Context, ms []Migration) error {
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case v < len(ms):
		return fmt.Errorf("database schema is at version %d but this binary needs %d: run 'yuncang migrate'", v, len(ms))
	case v > len(ms):
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d); upgrade yuncang", v, len(ms))
	}
	return nil
}
