package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
)

var _ guard.Store = (*DB)(nil)

// UpdateGuardWindows loads, locks and saves the guard's windows for keys in
// one transaction. The upsert that loads a row also locks it (PostgreSQL
// row lock; SQLite's single writer), in key order, so concurrent servers
// see one another's counts and never deadlock on two windows.
//
// A guard window is a counter, not a record: its transaction does not wait
// for the disk (PostgreSQL synchronous_commit off; SQLite synchronous
// NORMAL in WAL mode). It survives any server process crash or restart;
// only a crash of the database host itself can lose the last moments of
// counts, and the next fully synced commit (every reveal's) flushes them.
func (db *DB) UpdateGuardWindows(ctx context.Context, keys []guard.Key, at time.Time, fn func([][]byte) ([][]byte, error)) error {
	sorted := append([]guard.Key(nil), keys...)
	guard.SortKeys(sorted)
	vals := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", len(sorted)), ", ")
	load, err := db.prepared(ctx, `INSERT INTO guard_windows (tenant_id, subject, state, updated_at) VALUES `+vals+`
		ON CONFLICT (tenant_id, subject) DO UPDATE SET updated_at = guard_windows.updated_at
		RETURNING tenant_id, subject, state`)
	if err != nil {
		return wrapf(err, "prepare guard windows")
	}
	save, err := db.prepared(ctx, `UPDATE guard_windows SET state = ?, updated_at = ? WHERE tenant_id = ? AND subject = ?`)
	if err != nil {
		return wrapf(err, "prepare guard windows")
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
	args := make([]any, 0, 4*len(sorted))
	for _, k := range sorted {
		args = append(args, k.TenantID, k.Subject, []byte{}, micros(at))
	}
	rows, err := tx.StmtContext(ctx, load).QueryContext(ctx, args...)
	if err != nil {
		return wrapf(err, "load guard windows")
	}
	loaded := make(map[guard.Key][]byte, len(keys))
	for rows.Next() {
		var k guard.Key
		var state []byte
		if err := rows.Scan(&k.TenantID, &k.Subject, &state); err != nil {
			rows.Close()
			return wrapf(err, "load guard windows")
		}
		loaded[k] = state
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrapf(err, "load guard windows")
	}
	in := make([][]byte, len(keys))
	for i, k := range keys {
		in[i] = loaded[k]
	}
	out, err := fn(in)
	if err != nil {
		return err
	}
	st := tx.StmtContext(ctx, save)
	for i, k := range keys {
		if _, err := st.ExecContext(ctx, out[i], micros(at), k.TenantID, k.Subject); err != nil {
			return wrapf(err, "save guard window")
		}
	}
	if err := tx.Commit(); err != nil {
		return yuncang.Internal(err, "commit guard windows")
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
