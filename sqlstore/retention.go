package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/vault"
)

// Retention by crypto-shredding (docs/compliance/retention.md): bucket keys
// in retention_keys, their counters, erasure and the sweep of what each
// erased order leaves outside its ciphertexts.

const bucketCols = `id, tenant_id, day, wrap_version, wrapped, created_at`

func scanBucketKey(row interface{ Scan(...any) error }) (vault.BucketKey, error) {
	var k vault.BucketKey
	var created int64
	err := row.Scan(&k.ID, &k.TenantID, &k.Day, &k.WrapVersion, &k.Wrapped, &created)
	k.CreatedAt = fromMicros(created)
	return k, err
}

func (k keyStore) BucketKeyByID(ctx context.Context, id int64) (vault.BucketKey, error) {
	return scanBucketKey(k.db.r.QueryRowContext(ctx, k.db.q(`SELECT `+bucketCols+` FROM retention_keys WHERE id = ?`), id))
}

func (k keyStore) EnsureBucketKey(ctx context.Context, bk vault.BucketKey) (vault.BucketKey, error) {
	if _, err := k.db.w.ExecContext(ctx, k.db.q(`INSERT INTO retention_keys (tenant_id, day, wrap_version, wrapped, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, day) DO NOTHING`),
		bk.TenantID, bk.Day, bk.WrapVersion, bk.Wrapped, micros(bk.CreatedAt)); err != nil {
		return bk, err
	}
	// Read from the writer: the reader pool may not see the row yet.
	return scanBucketKey(k.db.w.QueryRowContext(ctx, k.db.q(`SELECT `+bucketCols+` FROM retention_keys WHERE tenant_id = ? AND day = ?`),
		bk.TenantID, bk.Day))
}

func (k keyStore) LiveBucketKeys(ctx context.Context) ([]vault.BucketKey, error) {
	rows, err := k.db.r.QueryContext(ctx, `SELECT `+bucketCols+` FROM retention_keys WHERE wrapped IS NOT NULL ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vault.BucketKey
	for rows.Next() {
		bk, err := scanBucketKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, bk)
	}
	return out, rows.Err()
}

// settleRetention counts an order that reached delivered or cancelled
// against its bucket, in the transaction that moves it. Legacy orders have
// no bucket and change nothing.
func (db *DB) settleRetention(ctx context.Context, tx *sql.Tx, tenantID, orderID int64, to string) error {
	if to != yuncang.OrderDelivered && to != yuncang.OrderCancelled {
		return nil
	}
	col := "last_delivered_at"
	if to == yuncang.OrderCancelled {
		col = "last_cancelled_at"
	}
	_, err := tx.ExecContext(ctx, db.q(`UPDATE retention_keys SET settled = settled + 1, `+col+` = ?
		WHERE id = (SELECT retention_key_id FROM orders WHERE id = ? AND tenant_id = ?)`), micros(db.now()), orderID, tenantID)
	if err != nil {
		return wrapf(err, "settle order for retention")
	}
	return nil
}

// RetentionPolicy returns a merchant's retention periods (the defaults if
// it set none).
func (db *DB) RetentionPolicy(ctx context.Context, tenantID int64) (yuncang.RetentionPolicy, error) {
	p := yuncang.DefaultRetention
	p.TenantID = tenantID
	err := db.r.QueryRowContext(ctx, db.q(`SELECT after_delivery_days, after_cancel_days, max_age_days FROM retention_policies WHERE tenant_id = ?`),
		tenantID).Scan(&p.AfterDeliveryDays, &p.AfterCancelDays, &p.MaxAgeDays)
	if isNoRows(err) {
		return p, nil
	}
	if err != nil {
		return p, wrapf(err, "read retention policy")
	}
	p.Default = false
	return p, nil
}

// SetRetentionPolicy stores a merchant's retention periods with its audit
// record.
func (db *DB) SetRetentionPolicy(ctx context.Context, p yuncang.RetentionPolicy, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO retention_policies (tenant_id, after_delivery_days, after_cancel_days, max_age_days, updated_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET after_delivery_days = excluded.after_delivery_days,
			after_cancel_days = excluded.after_cancel_days, max_age_days = excluded.max_age_days, updated_at = excluded.updated_at`),
			p.TenantID, p.AfterDeliveryDays, p.AfterCancelDays, p.MaxAgeDays, micros(db.now()))
		if err != nil {
			return wrapf(err, "store retention policy")
		}
		if ev == nil {
			return nil
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// countGrace is how long after a bucket's day ends its orders are counted:
// intake seals before its transaction, so a commit can trail the seal.
const countGrace = time.Hour

// RetentionBuckets returns every live bucket key with its counters. Buckets
// whose day is over are counted first (once each, through the
// orders_retention index); the rest of a run reads retention_keys only.
func (db *DB) RetentionBuckets(ctx context.Context) ([]*yuncang.RetentionBucket, error) {
	now := db.now()
	closed := vault.Day(now.Add(-countGrace))
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id FROM retention_keys WHERE erased_at = 0 AND counted_at = 0 AND day < ?`), closed)
	if err != nil {
		return nil, wrapf(err, "list uncounted buckets")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, wrapf(err, "scan bucket")
		}
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		var n int
		if err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM orders WHERE retention_key_id = ?`), id).Scan(&n); err != nil {
			return nil, wrapf(err, "count bucket orders")
		}
		if _, err := db.w.ExecContext(ctx, db.q(`UPDATE retention_keys SET orders = ?, counted_at = ? WHERE id = ? AND counted_at = 0`),
			n, micros(now), id); err != nil {
			return nil, wrapf(err, "store bucket count")
		}
	}
	rows, err = db.r.QueryContext(ctx, `SELECT id, tenant_id, day, orders, counted_at, settled, last_delivered_at, last_cancelled_at
		FROM retention_keys WHERE erased_at = 0 ORDER BY tenant_id, day`)
	if err != nil {
		return nil, wrapf(err, "list buckets")
	}
	defer rows.Close()
	var out []*yuncang.RetentionBucket
	for rows.Next() {
		b := &yuncang.RetentionBucket{}
		var counted, lastD, lastC int64
		if err := rows.Scan(&b.ID, &b.TenantID, &b.Day, &b.Orders, &counted, &b.Settled, &lastD, &lastC); err != nil {
			return nil, wrapf(err, "scan bucket")
		}
		b.Counted = counted != 0
		if lastD != 0 {
			b.LastDelivered = fromMicros(lastD)
		}
		if lastC != 0 {
			b.LastCancelled = fromMicros(lastC)
		}
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "bucket rows")
	}
	return out, nil
}

// BucketOrderRange fills in a bucket's order count and id range (for a dry
// run's report), through the orders_retention index.
func (db *DB) BucketOrderRange(ctx context.Context, b *yuncang.RetentionBucket) error {
	var lo, hi sql.NullInt64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*), MIN(id), MAX(id) FROM orders WHERE retention_key_id = ?`), b.ID).Scan(&b.Orders, &lo, &hi)
	if err != nil {
		return wrapf(err, "bucket order range")
	}
	b.MinOrderID, b.MaxOrderID = lo.Int64, hi.Int64
	return nil
}

// EraseBucket destroys a bucket key (its wrapped bytes are deleted; the row
// stays as the tombstone) and appends ev, completed with the key id and the
// orders' count and id range, in the same transaction. Every ciphertext
// sealed with the key, here, in backups and on replicas, is then noise.
// It reports false if the key was already erased.
func (db *DB) EraseBucket(ctx context.Context, b *yuncang.RetentionBucket, ev *yuncang.Event) (bool, error) {
	var erased bool
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE retention_keys SET wrapped = NULL, erased_at = ? WHERE id = ? AND erased_at = 0`),
			micros(db.now()), b.ID)
		if err != nil {
			return wrapf(err, "erase bucket key")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		erased = true
		var lo, hi sql.NullInt64
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*), MIN(id), MAX(id) FROM orders WHERE retention_key_id = ?`), b.ID).
			Scan(&b.Orders, &lo, &hi); err != nil {
			return wrapf(err, "bucket order range")
		}
		b.MinOrderID, b.MaxOrderID = lo.Int64, hi.Int64
		ev.Targets = []string{fmt.Sprintf("retention_key:%d", b.ID)}
		if b.Orders > 0 {
			ev.Targets = append(ev.Targets, fmt.Sprintf("orders:%d-%d", b.MinOrderID, b.MaxOrderID))
		}
		ev.Detail = fmt.Sprintf("%s; bucket day %s; %d orders, ids %d-%d; key destroyed", ev.Detail,
			vault.DayStart(b.Day).Format("2006-01-02"), b.Orders, b.MinOrderID, b.MaxOrderID)
		return db.appendAudit(ctx, tx, ev)
	})
	if erased {
		db.vault.ForgetBucket(b.ID)
	}
	return erased, err
}

// SweepErased clears, in short transactions of at most batch orders, what
// erased buckets' orders keep outside their ciphertexts: the blind phone
// index (so an erased phone can no longer be found), the content
// fingerprint, the masked views (they become yuncang.Erased), carrier
// bindings' phones and the carrier's manifest entries (forgetRecipients).
// This is O(erased orders), not O(keys), so it must not starve intake of
// SQLite's single writer: each transaction is sized to hold the writer for
// about sweepHold (the batch shrinks when a transaction takes longer,
// grows back to batch when it is quick) and is followed by a pause of rest
// times its duration. The data itself was already unreadable when the key
// went. It returns the orders swept.
func (db *DB) SweepErased(ctx context.Context, batch int, rest float64) (int, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, swept_to FROM retention_keys WHERE erased_at <> 0 AND swept_at = 0 ORDER BY id`)
	if err != nil {
		return 0, wrapf(err, "list unswept buckets")
	}
	type pending struct{ id, from int64 }
	var ps []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.from); err != nil {
			rows.Close()
			return 0, wrapf(err, "scan bucket")
		}
		ps = append(ps, p)
	}
	rows.Close()
	total := 0
	pace := sweepPace{max: max(batch, 1), size: max(batch, 1), rest: rest}
	for _, p := range ps {
		for {
			if err := ctx.Err(); err != nil {
				return total, err
			}
			size := pace.size
			n, last, held, err := db.sweepBatch(ctx, p.id, p.from, size)
			if err != nil {
				return total, err
			}
			total += n
			if err := pace.after(ctx, held); err != nil {
				return total, err
			}
			if n < size {
				break
			}
			p.from = last
		}
	}
	return total, nil
}

// sweepHold is how long one sweep transaction should hold the writer at
// most: intake's transactions queue behind it.
const sweepHold = 25 * time.Millisecond

// sweepPace sizes sweep transactions to hold the writer about sweepHold at
// most (never below a tenth of the largest batch: a commit's fsync costs
// the same for one order as for ten) and leaves the writer (and the CPU)
// free rest times as long as each one held it, so the sweep takes at most
// 1/(1+rest) of the writer's time whatever the disk.
type sweepPace struct {
	max, size int
	rest      float64
}

func (p *sweepPace) after(ctx context.Context, held time.Duration) error {
	floor := max(1, p.max/10)
	switch {
	case held > sweepHold && p.size > floor:
		p.size = max(floor, int(int64(p.size)*int64(sweepHold)/int64(held)))
	case held < sweepHold/2 && p.size < p.max:
		p.size = min(p.max, p.size*2)
	}
	t := time.NewTimer(time.Duration(p.rest * float64(held)))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// sweepBatch sweeps up to batch orders of a bucket after the given id in
// one transaction; held is how long it held the writer (from the moment it
// had it to its commit: time queued behind intake does not count).
func (db *DB) sweepBatch(ctx context.Context, bucket, after int64, batch int) (n int, last int64, held time.Duration, err error) {
	var began time.Time
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		began = time.Now()
		ids, err := orderIDs(ctx, tx, db.q(sweepOrdersSQL), bucket, after, batch)
		if err != nil {
			return err
		}
		n = len(ids)
		if n > 0 {
			last = ids[n-1].(int64)
		}
		if n > 0 {
			if err := db.forgetRecipients(ctx, tx, ids); err != nil {
				return err
			}
		}
		// The bucket's order keys open nothing any more: drop as many as
		// orders were swept, and the rest with the last batch.
		var sweptAt int64
		limit := batch
		if n < batch {
			sweptAt, limit = micros(db.now()), 0
		}
		if _, err := db.dropOrderKeys(ctx, tx, bucket, limit); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE retention_keys SET swept_to = ?, swept_at = ? WHERE id = ?`), max(last, after), sweptAt, bucket)
		if err != nil {
			return wrapf(err, "record sweep")
		}
		return nil
	})
	if !began.IsZero() {
		held = time.Since(began)
	}
	return n, last, held, err
}

// forgetRecipients removes every lookup of erased orders' recipients: the
// blind phone index and the content fingerprint of orders stored when
// intake still wrote one (both keyed hashes the system could still compute
// for a guessed phone or recipient), the masked
// views, the carrier bindings' copy of the phone and the other copies
// (forgetCopies: manifests, tracking notes, print payloads). Kept in one function:
// the intake index layout may change under it.
func (db *DB) forgetRecipients(ctx context.Context, tx *sql.Tx, ids []any) error {
	in := placeholders(len(ids))
	args := append([]any{[]byte{}, []byte{}, yuncang.Erased, yuncang.Erased, yuncang.Erased}, ids...)
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE orders SET phone_index = ?, fingerprint = ?, masked_name = ?, masked_phone = ?, masked_address = ?
		WHERE id IN (`+in+`)`), args...); err != nil {
		return wrapf(err, "forget erased recipients")
	}
	if _, err := tx.ExecContext(ctx, db.q(sweepBindingsSQL(len(ids))), ids...); err != nil {
		return wrapf(err, "forget bound phones")
	}
	return db.forgetCopies(ctx, tx, ids)
}

// EraseLegacy overwrites, in batches, the recipient data of orders sealed
// before bucket keys existed (retention_key_id NULL) once they are past
// their merchant's policy, with one audit record per batch and merchant.
// Their ciphertexts used the tenant key, which lives on: a backup taken
// before this still holds them readable (docs/compliance/retention.md says
// so). It walks the NULL part of the orders_retention index once per run,
// so it is O(legacy orders). With exitTenant set, every legacy order of that
// merchant goes, whatever its age, and no other merchant's.
func (db *DB) EraseLegacy(ctx context.Context, policy func(tenantID int64) (yuncang.RetentionPolicy, error), exitTenant int64,
	dryRun bool, batch int, ev yuncang.Event) (int, error) {
	now := db.now()
	due := func(tenant int64, status string, updated, created int64) (bool, error) {
		if exitTenant != 0 {
			return tenant == exitTenant, nil
		}
		p, err := policy(tenant)
		if err != nil {
			return false, err
		}
		switch {
		case created <= micros(now.AddDate(0, 0, -p.MaxAgeDays)):
			return true, nil
		case status == yuncang.OrderDelivered:
			return updated <= micros(now.AddDate(0, 0, -p.AfterDeliveryDays)), nil
		case status == yuncang.OrderCancelled:
			return updated <= micros(now.AddDate(0, 0, -p.AfterCancelDays)), nil
		}
		return false, nil
	}
	var after int64
	total := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, tenant_id, status, updated_at, created_at, masked_name FROM orders
			WHERE retention_key_id IS NULL AND id > ? ORDER BY id LIMIT ?`), after, batch)
		if err != nil {
			return total, wrapf(err, "list legacy orders")
		}
		byTenant := map[int64][]any{}
		var tenants []int64
		n := 0
		for rows.Next() {
			var id, tenant, updated, created int64
			var status, masked string
			if err := rows.Scan(&id, &tenant, &status, &updated, &created, &masked); err != nil {
				rows.Close()
				return total, wrapf(err, "scan order")
			}
			n++
			after = id
			if masked == yuncang.Erased {
				continue
			}
			ok, err := due(tenant, status, updated, created)
			if err != nil {
				rows.Close()
				return total, err
			}
			if ok {
				if byTenant[tenant] == nil {
					tenants = append(tenants, tenant)
				}
				byTenant[tenant] = append(byTenant[tenant], id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return total, wrapf(err, "legacy order rows")
		}
		for _, tenant := range tenants {
			ids := byTenant[tenant]
			total += len(ids)
			if dryRun {
				continue
			}
			lo, hi := ids[0].(int64), ids[len(ids)-1].(int64)
			e := ev
			e.TenantID = tenant
			e.Targets = []string{fmt.Sprintf("orders:%d-%d", lo, hi)}
			e.Detail = fmt.Sprintf("%s; legacy orders (tenant key) overwritten; %d orders, ids %d-%d, id list %s", ev.Detail, len(ids), lo, hi, idListHash(ids))
			err := db.inTx(ctx, func(tx *sql.Tx) error {
				if err := db.overwriteRecipients(ctx, tx, ids); err != nil {
					return err
				}
				return db.appendAudit(ctx, tx, &e)
			})
			if err != nil {
				return total, err
			}
		}
		if n < batch {
			return total, nil
		}
	}
}

// orderIDs runs a query of order ids and returns them as arguments.
func orderIDs(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]any, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrapf(err, "list orders")
	}
	defer rows.Close()
	var ids []any
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, wrapf(err, "scan order")
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "order rows")
	}
	return ids, nil
}

// overwriteRecipients erases orders' recipient data in place: the
// ciphertexts are emptied (for orders whose key lives on: legacy orders,
// one order of a data-subject request) and every lookup is forgotten.
func (db *DB) overwriteRecipients(ctx context.Context, tx *sql.Tx, ids []any) error {
	empty := []byte{}
	args := append([]any{empty, empty, empty, empty, empty}, ids...)
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE orders SET name_ct = ?, phone_ct = ?, address_ct = ?, remarks_ct = ?, masked_remarks_ct = ?
		WHERE id IN (`+placeholders(len(ids))+`)`), args...); err != nil {
		return wrapf(err, "overwrite recipients")
	}
	return db.forgetRecipients(ctx, tx, ids)
}

// idListHash names a list of order ids without listing them: SHA-256 over
// the ids as 8-byte big-endian numbers, base64url (no digit runs that could
// pass for a phone in the audit log).
func idListHash(ids []any) string {
	h := sha256.New()
	var b [8]byte
	for _, id := range ids {
		binary.BigEndian.PutUint64(b[:], uint64(id.(int64)))
		h.Write(b[:])
	}
	return "sha256:" + base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// errErased is what any use of erased recipient data answers (reveal,
// label, manifest, binding): retention or a deletion request destroyed it,
// for good.
var errErased = yuncang.ErrRecipientErased

// erased reports whether opening a ciphertext failed because retention
// erased it: its bucket key is destroyed, or (legacy) it was overwritten.
func erased(err error, ct []byte) bool {
	return errors.Is(err, vault.ErrErased) || (err != nil && len(ct) == 0)
}

// SealedRecipient is one order's recipient ciphertexts exactly as stored.
type SealedRecipient struct {
	OrderID, TenantID int64
	MerchantOrderID   string
	Fields            map[string][]byte // name, phone, address, remarks, masked_remarks
}

// SealedRecipients reads a tenant's stored recipient ciphertexts, for the
// erasure check: run over a backup's file, it shows what a thief holding
// that backup and every key the live system keeps could read.
func (db *DB) SealedRecipients(ctx context.Context, tenantID int64) ([]SealedRecipient, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, tenant_id, merchant_order_id, name_ct, phone_ct, address_ct, remarks_ct, masked_remarks_ct
		FROM orders WHERE tenant_id = ? ORDER BY id`), tenantID)
	if err != nil {
		return nil, wrapf(err, "read sealed recipients")
	}
	defer rows.Close()
	var out []SealedRecipient
	for rows.Next() {
		var r SealedRecipient
		var n, p, a, re, mr []byte
		if err := rows.Scan(&r.OrderID, &r.TenantID, &r.MerchantOrderID, &n, &p, &a, &re, &mr); err != nil {
			return nil, wrapf(err, "scan sealed recipient")
		}
		r.Fields = map[string][]byte{"name": n, "phone": p, "address": a, "remarks": re, "masked_remarks": mr}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "sealed recipient rows")
	}
	return out, nil
}

// Readable reports, field by field, whether any key this store still holds
// (every tenant key of every purpose and version, every bucket key not
// erased) opens a sealed recipient; see vault.AnyHeldKeyOpens.
func (db *DB) Readable(ctx context.Context, r SealedRecipient) (fields []string, err error) {
	for _, f := range []string{"name", "phone", "address", "remarks", "masked_remarks"} {
		ok, err := db.vault.AnyHeldKeyOpens(ctx, r.TenantID, fieldAAD(r.MerchantOrderID, f), r.Fields[f])
		if err != nil {
			return nil, err
		}
		if ok {
			fields = append(fields, f)
		}
	}
	return fields, nil
}

// OrderKeyWrapped returns an order key's wrapped bytes, nil if there is no
// such key (destroyed by a deletion request, or swept after its bucket).
func (k keyStore) OrderKeyWrapped(ctx context.Context, bucketID int64, handle []byte) ([]byte, error) {
	var w []byte
	err := k.db.r.QueryRowContext(ctx, k.db.q(`SELECT wrapped FROM order_keys WHERE retention_key_id = ? AND handle = ?`), bucketID, handle).Scan(&w)
	if isNoRows(err) {
		return nil, nil
	}
	return w, err
}

// LiveOrderKeys returns every stored order key, for the erasure check.
func (k keyStore) LiveOrderKeys(ctx context.Context) ([]vault.OrderKey, error) {
	rows, err := k.db.r.QueryContext(ctx, `SELECT retention_key_id, handle, wrapped FROM order_keys ORDER BY retention_key_id, handle`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vault.OrderKey
	for rows.Next() {
		var ok vault.OrderKey
		if err := rows.Scan(&ok.BucketID, &ok.Handle, &ok.Wrapped); err != nil {
			return nil, err
		}
		out = append(out, ok)
	}
	return out, rows.Err()
}
