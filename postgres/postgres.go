// Package postgres is yuncang's production storage engine: PostgreSQL
// through pgx. Queries live in sqlstore; this package opens the pool and owns
// the PostgreSQL dialect of the migrations.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migrations returns the PostgreSQL migrations.
func Migrations() []sqlstore.Migration {
	ms, err := sqlstore.LoadMigrations(migrationFS, "migrations")
	if err != nil {
		panic(err) // embedded at build time; a bad name is a build bug
	}
	return ms
}

// migrationLock is an arbitrary advisory-lock key for schema changes.
const migrationLock = 0x79756e63616e67 // "yuncang"

var dialect = sqlstore.Dialect{
	Name:         "postgres",
	DollarParams: true,
	ForUpdate:    " FOR UPDATE",
	IsUnique: func(err error) bool {
		var e *pgconn.PgError
		return errors.As(err, &e) && e.Code == "23505"
	},
	LockMigrations: func(ctx context.Context, conn *sql.Conn) (func(), error) {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return nil, err
		}
		return func() { conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock) }, nil
	},
}

// Open connects to PostgreSQL at url (postgres://...). It does not migrate.
func Open(url string, master *vault.MasterKeys) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	return sqlstore.New(db, db, dialect, master), nil
}
