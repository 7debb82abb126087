// Package sqlstore implements yuncang's storage interfaces over database/sql.
// It holds the queries shared by both engines; the sqlite and postgres
// packages open connections, supply their dialect and embed their migrations.
//
// Queries are written with '?' placeholders and rebound for PostgreSQL.
// Times are stored as Unix microseconds (BIGINT) in both engines.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/vault"
)

// Dialect is what differs between engines.
type Dialect struct {
	Name string // "sqlite" or "postgres"
	// DollarParams rewrites '?' placeholders as $1, $2, ...
	DollarParams bool
	// IsUnique reports whether err is a unique-constraint violation.
	IsUnique func(error) bool
	// ForUpdate is appended to a SELECT that must lock its rows until the
	// transaction ends (the audit log head); empty where the engine already
	// serialises writers.
	ForUpdate string
	// LockMigrations serialises migrations across processes, if needed.
	LockMigrations func(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
}

// DB is a yuncang store. Writes go through w, reads through r; for SQLite w
// has a single connection (one writer) and r several, for PostgreSQL both are
// the same pool.
type DB struct {
	w, r    *sql.DB
	dialect Dialect
	vault   *vault.Vault
	now     func() time.Time

	rebindMu    sync.RWMutex
	rebindCache map[string]string

	hashes  hashCache   // committed audit tree hashes
	commits afterCommit // what open transactions do once they commit
	windows windowCache // guard windows this process saved last

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt // hot statements, prepared once on the writer pool
}

// prepared returns a hot write statement prepared once on the writer pool.
// It saves compiling the statement on every request (the pure-Go SQLite
// compiles on each call otherwise). Call it OUTSIDE a transaction: the
// SQLite writer pool has one connection, which an open transaction holds.
// Bind the result to a transaction with tx.StmtContext.
func (db *DB) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	db.stmtMu.Lock()
	st, ok := db.stmts[query]
	if !ok {
		var err error
		if st, err = db.w.PrepareContext(ctx, db.q(query)); err != nil {
			db.stmtMu.Unlock()
			return nil, err
		}
		if db.stmts == nil {
			db.stmts = map[string]*sql.Stmt{}
		}
		db.stmts[query] = st
	}
	db.stmtMu.Unlock()
	return st, nil
}

// New wraps opened connection pools. It builds the vault over the store's own
// key table, with the given master keys.
func New(w, r *sql.DB, d Dialect, master *vault.MasterKeys) *DB {
	db := &DB{w: w, r: r, dialect: d, now: time.Now, rebindCache: map[string]string{}}
	db.vault = vault.New(master, keyStore{db})
	return db
}

// Vault returns the store's vault.
func (db *DB) Vault() *vault.Vault { return db.vault }

// Dialect returns the engine's name.
func (db *DB) Dialect() string { return db.dialect.Name }

// Now returns the store's current time.
func (db *DB) Now() time.Time { return db.now() }

// SetNow replaces the clock, for tests.
func (db *DB) SetNow(now func() time.Time) { db.now = now }

// Close closes the connection pools.
func (db *DB) Close() error {
	db.stmtMu.Lock()
	for _, st := range db.stmts {
		st.Close()
	}
	db.stmts = nil
	db.stmtMu.Unlock()
	err := db.w.Close()
	if db.r != db.w {
		if e := db.r.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return err
	}
	return db.r.PingContext(ctx)
}

// q rewrites a query for the dialect.
func (db *DB) q(query string) string {
	if !db.dialect.DollarParams {
		return query
	}
	db.rebindMu.RLock()
	out, ok := db.rebindCache[query]
	db.rebindMu.RUnlock()
	if ok {
		return out
	}
	out = rebind(query)
	db.rebindMu.Lock()
	db.rebindCache[query] = out
	db.rebindMu.Unlock()
	return out
}

// inTx runs fn in a write transaction, committing if it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(tx *sqlTx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return yuncang.Internal(err, "begin transaction")
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		db.commits.end(tx, false)
		return err
	}
	if err := tx.Commit(); err != nil {
		db.commits.end(tx, false)
		return yuncang.Internal(err, "commit")
	}
	db.commits.end(tx, true)
	return nil
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// nullID maps 0 to NULL for optional foreign keys.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// sqlTx is the transaction type handed to inTx callbacks.
type sqlTx = sql.Tx

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// fieldNotFound reports a missing referenced row as invalid input naming the field.
func fieldNotFound(err error, field, what string) error {
	if isNoRows(err) {
		return yuncang.Invalid(field, "no such %s", what)
	}
	return yuncang.Internal(err, "look up "+what)
}

// notFound turns sql.ErrNoRows into ENOTFOUND; other errors become internal.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return yuncang.Errorf(yuncang.ENOTFOUND, "%s not found", what)
	}
	return yuncang.Internal(err, "query "+what)
}

// placeholders returns "?, ?, ?" with n marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

func wrapf(err error, format string, args ...any) error {
	if errors.Is(err, vault.ErrErased) {
		return errErased // a conflict the client can act on, not a failure
	}
	return yuncang.Internal(err, fmt.Sprintf(format, args...))
}

// rebind numbers the ? placeholders of a query as $1, $2, … for PostgreSQL.
// A ? inside a string literal ('…'), a quoted identifier ("…") or a comment
// is text, not a placeholder, and stays as it is.
func rebind(query string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'' || c == '"':
			// Copy through the closing quote; a doubled quote is an escaped one.
			j := i + 1
			for j < len(query) {
				if query[j] == c {
					if j+1 < len(query) && query[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			b.WriteString(query[i:min(j+1, len(query))])
			i = j
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			j := strings.IndexByte(query[i:], '\n')
			if j < 0 {
				j = len(query) - i
			}
			b.WriteString(query[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
