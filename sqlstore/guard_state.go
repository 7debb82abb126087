package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
)

var _ guard.Store = (*DB)(nil)

// UpdateGuardWindows loads, locks and saves the guard's windows for keys in
// a transaction of their own, for the accesses whose own work is not in a
// transaction of this store (a reveal's windows commit with the reveal:
// see RevealRecipient).
//
// A guard window is a counter, not a record: this transaction does not wait
// for the disk (PostgreSQL synchronous_commit off; SQLite synchronous
// NORMAL in WAL mode). It survives any server process crash or restart;
// only a crash of the database host itself can lose the last moments of
// counts, and the next fully synced commit (every reveal's) flushes them.
func (db *DB) UpdateGuardWindows(ctx context.Context, keys []guard.Key, at time.Time, fn func([][]byte) ([][]byte, error)) error {
	st, err := db.guardWindowStmts(ctx, len(keys))
	if err != nil {
		return err
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return yuncang.Internal(err, "guard windows connection")
	}
	defer conn.Close()
	sqlite := db.dialect.Name == "sqlite"
	if sqlite {
		if _, err := conn.ExecContext(ctx, "PRAGMA synchronous = NORMAL"); err != nil {
			return wrapf(err, "guard windows")
		}
		// Back to full durability for every other transaction on this
		// connection, even if ctx is cancelled meanwhile; a connection that
		// cannot be set back is discarded, never reused at NORMAL.
		defer func() {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA synchronous = FULL"); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return yuncang.Internal(err, "begin transaction")
	}
	defer tx.Rollback()
	if !sqlite {
		if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return wrapf(err, "guard windows")
		}
	}
	if err := db.updateGuardWindows(ctx, tx, st, keys, at, fn); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return yuncang.Internal(err, "commit guard windows")
	}
	return nil
}

// txWindows offers the guard the windows inside an open transaction, so
// they commit (or not) with the access they judge. Its statements are
// prepared before the transaction (for one key, an account's window): the
// SQLite writer has one connection, which the transaction holds.
type txWindows struct {
	db *DB
	tx *sql.Tx
	st guardWindowSQL
}

// windowsIn returns the windows of a transaction about to begin.
func (db *DB) windowsIn(ctx context.Context) (*txWindows, error) {
	st, err := db.guardWindowStmts(ctx, 1)
	if err != nil {
		return nil, err
	}
	return &txWindows{db: db, st: st}, nil
}

func (w *txWindows) UpdateGuardWindows(ctx context.Context, keys []guard.Key, at time.Time, fn func([][]byte) ([][]byte, error)) error {
	st := w.st
	if len(keys) != st.nkeys {
		st = guardWindowSQL{nkeys: len(keys)} // run unprepared in the transaction
	}
	return w.db.updateGuardWindows(ctx, w.tx, st, keys, at, fn)
}

// guardWindowSQL are the statements of a window update for nkeys keys,
// prepared once (or nil: run unprepared).
type guardWindowSQL struct {
	nkeys           int
	load, save, cas *sql.Stmt
}

const (
	saveGuardWindowSQL = `UPDATE guard_windows SET state = ?, updated_at = ? WHERE tenant_id = ? AND subject = ?`
	// casGuardWindowSQL saves a window only if it still holds the state
	// this process last saved (compare and swap).
	casGuardWindowSQL = `UPDATE guard_windows SET state = ?, updated_at = ? WHERE tenant_id = ? AND subject = ? AND state = ?`
)

// windowCache remembers the state this process last saved for each
// account's window, so that the next update of it can skip the load: it
// decides on the remembered state and saves with a compare and swap, which
// fails (and the update loads the window under lock and decides again)
// whenever anything else changed the window meanwhile: another server, a
// forgotten window, a transaction that rolled back. The database stays the
// only truth; this is a guess of it that is checked on every use.
type windowCache struct {
	mu sync.Mutex
	m  map[guard.Key][]byte
}

func (c *windowCache) get(k guard.Key) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.m[k]
	return b, ok
}

func (c *windowCache) put(k guard.Key, state []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= 10000 {
		c.m = map[guard.Key][]byte{}
	}
	c.m[k] = state
}

// loadGuardWindowsSQL is the load of nkeys windows (built once for one and two).
func loadGuardWindowsSQL(nkeys int) string {
	if nkeys < len(loadGuardWindowsSQLs) {
		return loadGuardWindowsSQLs[nkeys]
	}
	return buildLoadGuardWindowsSQL(nkeys)
}

var loadGuardWindowsSQLs = [...]string{1: buildLoadGuardWindowsSQL(1), 2: buildLoadGuardWindowsSQL(2)}

func buildLoadGuardWindowsSQL(nkeys int) string {
	return `INSERT INTO guard_windows (tenant_id, subject, state, updated_at) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", nkeys), ", ") + `
		ON CONFLICT (tenant_id, subject) DO UPDATE SET updated_at = guard_windows.updated_at
		RETURNING tenant_id, subject, state`
}

func (db *DB) guardWindowStmts(ctx context.Context, nkeys int) (guardWindowSQL, error) {
	load, err := db.prepared(ctx, loadGuardWindowsSQL(nkeys))
	if err != nil {
		return guardWindowSQL{}, wrapf(err, "prepare guard windows")
	}
	save, err := db.prepared(ctx, saveGuardWindowSQL)
	if err != nil {
		return guardWindowSQL{}, wrapf(err, "prepare guard windows")
	}
	cas, err := db.prepared(ctx, casGuardWindowSQL)
	if err != nil {
		return guardWindowSQL{}, wrapf(err, "prepare guard windows")
	}
	return guardWindowSQL{nkeys, load, save, cas}, nil
}

// updateGuardWindows loads, locks and saves keys' windows in tx. The upsert
// that loads a row also locks it (PostgreSQL row lock; SQLite's single
// writer), in key order, so concurrent servers see one another's counts and
// never deadlock on two windows.
//
// One window this process saved last is not loaded: fn decides on the
// state remembered, and the save is a compare and swap that takes the row
// lock and succeeds only if the row still holds that state (under
// PostgreSQL's READ COMMITTED an UPDATE that waited for a concurrent one
// checks its condition against the row that one committed). If it fails,
// the window is loaded under lock and fn runs again on what was loaded;
// only what the last run of fn returns is saved.
func (db *DB) updateGuardWindows(ctx context.Context, tx *sql.Tx, st guardWindowSQL, keys []guard.Key, at time.Time, fn func([][]byte) ([][]byte, error)) error {
	if len(keys) == 1 {
		if old, ok := db.windows.get(keys[0]); ok {
			out, err := fn([][]byte{old})
			if err != nil {
				return err
			}
			k := keys[0]
			var res sql.Result
			if st.cas != nil {
				res, err = tx.StmtContext(ctx, st.cas).ExecContext(ctx, out[0], micros(at), k.TenantID, k.Subject, old)
			} else {
				res, err = tx.ExecContext(ctx, db.q(casGuardWindowSQL), out[0], micros(at), k.TenantID, k.Subject, old)
			}
			if err != nil {
				return wrapf(err, "save guard window")
			}
			if n, err := res.RowsAffected(); err != nil {
				return wrapf(err, "save guard window")
			} else if n == 1 {
				db.windows.put(k, out[0])
				return nil
			}
		}
	}
	sorted := append(make([]guard.Key, 0, 2), keys...)
	guard.SortKeys(sorted)
	args := make([]any, 0, 4*len(sorted))
	for _, k := range sorted {
		args = append(args, k.TenantID, k.Subject, []byte{}, micros(at))
	}
	var rows *sql.Rows
	var err error
	if st.load != nil {
		rows, err = tx.StmtContext(ctx, st.load).QueryContext(ctx, args...)
	} else {
		rows, err = tx.QueryContext(ctx, db.q(loadGuardWindowsSQL(len(keys))), args...)
	}
	if err != nil {
		return wrapf(err, "load guard windows")
	}
	in := make([][]byte, len(keys))
	for rows.Next() {
		var k guard.Key
		var state []byte
		if err := rows.Scan(&k.TenantID, &k.Subject, &state); err != nil {
			rows.Close()
			return wrapf(err, "load guard windows")
		}
		for i := range keys {
			if keys[i] == k {
				in[i] = state
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrapf(err, "load guard windows")
	}
	out, err := fn(in)
	if err != nil {
		return err
	}
	for i, k := range keys {
		var err error
		if st.save != nil {
			_, err = tx.StmtContext(ctx, st.save).ExecContext(ctx, out[i], micros(at), k.TenantID, k.Subject)
		} else {
			_, err = tx.ExecContext(ctx, db.q(saveGuardWindowSQL), out[i], micros(at), k.TenantID, k.Subject)
		}
		if err != nil {
			return wrapf(err, "save guard window")
		}
		db.windows.put(k, out[i])
	}
	return nil
}

// ForgetGuardWindow deletes an account's windows.
func (db *DB) ForgetGuardWindow(ctx context.Context, k guard.Key) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM guard_windows WHERE tenant_id = ? AND subject = ?`), k.TenantID, k.Subject); err != nil {
			return wrapf(err, "forget guard window")
		}
		return nil
	})
}

// LoginFailures returns the times of key's newest n failures after since,
// newest first: every committed failure, of any server, counts.
func (db *DB) LoginFailures(ctx context.Context, key string, since time.Time, n int) ([]time.Time, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT at FROM login_failures WHERE lock_key = ? AND at > ? ORDER BY at DESC LIMIT ?`), key, micros(since), n)
	if err != nil {
		return nil, wrapf(err, "login failures")
	}
	defer rows.Close()
	var ts []time.Time
	for rows.Next() {
		var us int64
		if err := rows.Scan(&us); err != nil {
			return nil, wrapf(err, "login failures")
		}
		ts = append(ts, fromMicros(us))
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "login failures")
	}
	return ts, nil
}

// AddLoginFailure records one failure under each key and deletes failures
// older than pruneBefore (of any key), so the table holds only live windows.
func (db *DB) AddLoginFailure(ctx context.Context, keys []string, at, pruneBefore time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE at < ?`), micros(pruneBefore)); err != nil {
			return wrapf(err, "prune login failures")
		}
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO login_failures (lock_key, at) VALUES (?, ?)`), k, micros(at)); err != nil {
				return wrapf(err, "record login failure")
			}
		}
		return nil
	})
}

// ClearLoginFailures forgets key's failures, after a successful login.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM login_failures WHERE lock_key = ?`), key); err != nil {
			return wrapf(err, "clear login failures")
		}
		return nil
	})
}
