package main

import (
	"context"
	"database/sql"
	"fmt"
)

// Retention bucket keys never go into a backup (docs/compliance/retention.md):
// a backup holding them could be read with the tenant keys long after
// retention destroyed them in the live database, and crypto-shredding would
// not reach backups. A restore takes the keys from the live database it
// replaces instead, so what was erased since the backup stays erased.

// hasRetentionKeys reports whether a database has the retention_keys table
// (schema 14 and later).
func hasRetentionKeys(ctx context.Context, db *sql.DB) (bool, error) {
	return hasTable(ctx, db, "retention_keys")
}

func hasTable(ctx context.Context, db *sql.DB, name string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, name).Scan(&n)
	return n == 1, err
}

// stripBucketKeys deletes the wrapped bucket keys and every order key
// (schema 19 and later) from a backup file and rewrites it (VACUUM), so not
// even free pages keep their bytes.
func stripBucketKeys(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", sqliteDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	if ok, err := hasRetentionKeys(ctx, db); err != nil || !ok {
		return err
	}
	if _, err := db.ExecContext(ctx, `UPDATE retention_keys SET wrapped = NULL WHERE wrapped IS NOT NULL`); err != nil {
		return fmt.Errorf("strip retention keys: %w", err)
	}
	if ok, err := hasTable(ctx, db, "order_keys"); err != nil {
		return err
	} else if ok {
		if _, err := db.ExecContext(ctx, `DELETE FROM order_keys`); err != nil {
			return fmt.Errorf("strip order keys: %w", err)
		}
	}
	if _, err := db.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("strip retention keys: %w", err)
	}
	return nil
}

// carryBucketKeys copies the live database's bucket keys (those not erased)
// into a restored file, for the buckets the backup knows; it returns how
// many it carried.
func carryBucketKeys(ctx context.Context, live, restored string) (int, error) {
	src, err := sql.Open("sqlite", sqliteDSN(live)+"&_pragma=query_only(1)")
	if err != nil {
		return 0, err
	}
	defer src.Close()
	if ok, err := hasRetentionKeys(ctx, src); err != nil || !ok {
		return 0, err
	}
	dst, err := sql.Open("sqlite", sqliteDSN(restored))
	if err != nil {
		return 0, err
	}
	defer dst.Close()
	if ok, err := hasRetentionKeys(ctx, dst); err != nil || !ok {
		return 0, err
	}
	rows, err := src.QueryContext(ctx, `SELECT id, tenant_id, day, wrap_version, wrapped FROM retention_keys WHERE wrapped IS NOT NULL`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n := 0
	for rows.Next() {
		var id, tenant, day, ver int64
		var wrapped []byte
		if err := rows.Scan(&id, &tenant, &day, &ver, &wrapped); err != nil {
			return 0, err
		}
		res, err := tx.ExecContext(ctx, `UPDATE retention_keys SET wrapped = ?, wrap_version = ? WHERE id = ? AND tenant_id = ? AND day = ?`,
			wrapped, ver, id, tenant, day)
		if err != nil {
			return 0, err
		}
		if k, _ := res.RowsAffected(); k == 1 {
			n++
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// carryOrderKeys replaces the restored file's order keys (none: backups
// hold none) with the live database's: an order whose key a deletion
// request destroyed since the backup stays unreadable, every other order
// of a live bucket opens again. Only keys of buckets the restored file
// holds live (after carryBucketKeys) come along: the others open nothing.
// Keys of orders the backup does not have come along unused; the sweep
// drops them with their bucket. It returns how many it carried.
func carryOrderKeys(ctx context.Context, live, restored string) (int, error) {
	src, err := sql.Open("sqlite", sqliteDSN(live)+"&_pragma=query_only(1)")
	if err != nil {
		return 0, err
	}
	defer src.Close()
	if ok, err := hasTable(ctx, src, "order_keys"); err != nil || !ok {
		return 0, err
	}
	dst, err := sql.Open("sqlite", sqliteDSN(restored))
	if err != nil {
		return 0, err
	}
	defer dst.Close()
	if ok, err := hasTable(ctx, dst, "order_keys"); err != nil || !ok {
		return 0, err
	}
	held := map[int64]bool{}
	brows, err := dst.QueryContext(ctx, `SELECT id FROM retention_keys WHERE wrapped IS NOT NULL`)
	if err != nil {
		return 0, err
	}
	for brows.Next() {
		var id int64
		if err := brows.Scan(&id); err != nil {
			brows.Close()
			return 0, err
		}
		held[id] = true
	}
	brows.Close()
	if err := brows.Err(); err != nil {
		return 0, err
	}
	rows, err := src.QueryContext(ctx, `SELECT retention_key_id, handle, wrapped FROM order_keys ORDER BY retention_key_id, handle`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	tx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM order_keys`); err != nil {
		return 0, err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO order_keys (retention_key_id, handle, wrapped) VALUES (?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	for rows.Next() {
		var bucket int64
		var handle, wrapped []byte
		if err := rows.Scan(&bucket, &handle, &wrapped); err != nil {
			return 0, err
		}
		if !held[bucket] {
			continue
		}
		if _, err := ins.ExecContext(ctx, bucket, handle, wrapped); err != nil {
			return 0, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}
