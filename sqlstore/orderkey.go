package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/yuncang/yuncang/vault"
)

// Order keys (migration 0019, docs/compliance/retention.md): each order's
// recipient data is sealed with a key of its own, wrapped by its bucket key
// and stored in order_keys, a live-only table. Destroying a row shreds one
// order (a deletion request); destroying the bucket key shreds the day
// (retention), after which the sweep drops the day's rows.

// insertOrderKeys stores the order keys of the orders a transaction
// creates, in multi-row statements (one per 300 keys).
func (db *DB) insertOrderKeys(ctx context.Context, tx *sql.Tx, keys []vault.OrderKey) error {
	const chunk = 300
	for len(keys) > 0 {
		n := min(chunk, len(keys))
		var b strings.Builder
		b.WriteString(`INSERT INTO order_keys (retention_key_id, handle, wrapped) VALUES `)
		args := make([]any, 0, 3*n)
		for i, k := range keys[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?)")
			args = append(args, k.BucketID, k.Handle, k.Wrapped)
		}
		if _, err := tx.ExecContext(ctx, db.q(b.String()), args...); err != nil {
			return wrapf(err, "store order keys")
		}
		keys = keys[n:]
	}
	return nil
}

// shredOrders destroys the order keys that the given orders' recipient
// ciphertexts (and their carrier bindings' copies of the phone) name, in
// tx: after it commits, no key the system holds opens them, here or in a
// backup taken before. Orders sealed before order keys existed name none
// (their data is overwritten by the caller, which does not reach backups).
// It returns how many keys it destroyed; the process forgets them after
// the commit.
func (db *DB) shredOrders(ctx context.Context, tx *sql.Tx, ids []any) (int, error) {
	in := placeholders(len(ids))
	type ref struct {
		bucket int64
		handle string
	}
	seen := map[ref]bool{}
	var refs []ref
	collect := func(query string) error {
		rows, err := tx.QueryContext(ctx, db.q(query), ids...)
		if err != nil {
			return wrapf(err, "read order ciphertexts")
		}
		defer rows.Close()
		for rows.Next() {
			cts := make([][]byte, len(mustCols(rows)))
			ptrs := make([]any, len(cts))
			for i := range cts {
				ptrs[i] = &cts[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return wrapf(err, "scan order ciphertexts")
			}
			for _, ct := range cts {
				if b, h, ok := vault.OrderKeyOf(ct); ok {
					r := ref{b, string(h)}
					if !seen[r] {
						seen[r] = true
						refs = append(refs, r)
					}
				}
			}
		}
		return rows.Err()
	}
	if err := collect(`SELECT name_ct, phone_ct, address_ct, remarks_ct, masked_remarks_ct FROM orders WHERE id IN (` + in + `)`); err != nil {
		return 0, err
	}
	if err := collect(`SELECT phone_ct FROM virtual_bindings WHERE shipment_id IN (SELECT id FROM shipments WHERE order_id IN (` + in + `))`); err != nil {
		return 0, err
	}
	n := 0
	for _, r := range refs {
		res, err := tx.ExecContext(ctx, db.q(`DELETE FROM order_keys WHERE retention_key_id = ? AND handle = ?`), r.bucket, []byte(r.handle))
		if err != nil {
			return n, wrapf(err, "destroy order key")
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	db.commits.add(tx, func() {
		for _, r := range refs {
			db.vault.ForgetOrderKey(r.bucket, []byte(r.handle))
		}
	})
	return n, nil
}

func mustCols(rows *sql.Rows) []string {
	cols, _ := rows.Columns()
	return cols
}

// dropOrderKeys deletes up to limit order keys of an erased bucket (all of
// them if limit is 0). They open nothing once the bucket key is gone; this
// only frees their space. It returns how many it deleted.
func (db *DB) dropOrderKeys(ctx context.Context, tx *sql.Tx, bucket int64, limit int) (int, error) {
	var res sql.Result
	var err error
	if limit <= 0 {
		res, err = tx.ExecContext(ctx, db.q(`DELETE FROM order_keys WHERE retention_key_id = ?`), bucket)
	} else {
		res, err = tx.ExecContext(ctx, db.q(sweepOrderKeysSQL), bucket, bucket, limit)
	}
	if err != nil {
		return 0, wrapf(err, "drop erased bucket's order keys")
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// OrderKeyCount returns how many order keys are stored (live ones, and
// those of erased buckets the sweep has not dropped yet).
func (db *DB) OrderKeyCount(ctx context.Context) (int, error) {
	var n int
	if err := db.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM order_keys`).Scan(&n); err != nil {
		return 0, wrapf(err, "count order keys")
	}
	return n, nil
}
