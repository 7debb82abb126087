package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/vault"
)

// errBucketGone aborts a rekey transaction whose bucket was erased after
// its orders were sealed: they stay legacy (the legacy rule covers them).
var errBucketGone = errors.New("bucket erased meanwhile")

type legacyOrder struct {
	id, tenant       int64
	moid, status     string
	created, updated int64
	cts              [5][]byte
}

var legacyFields = [5]string{"name", "phone", "address", "remarks", "masked_remarks"}

// RekeyLegacy moves orders sealed with the tenant key before bucket keys
// existed (retention_key_id NULL) into the bucket of their intake day: each
// order's five ciphertexts (and its carrier bindings' copy of the phone) are
// opened and sealed again with an order key of its own wrapped by that
// bucket key, and the bucket's counters take the order in, so retention
// then erases it by key like any other order (and a deletion request
// shreds it). It works in batches of at most batch orders, one transaction
// and one audit record (ids, counts, a hash of the id list; no personal
// data) per merchant and intake day in a batch. Orders whose day's bucket
// key was erased already stay legacy and are counted as skipped; orders
// already overwritten are left alone. A dry run counts what would move.
// After each transaction it pauses rest times as long as the transaction
// took (as the sweep does), so intake keeps its rate while a large backlog
// moves.
func (db *DB) RekeyLegacy(ctx context.Context, dryRun bool, batch int, rest float64, ev yuncang.Event) (yuncang.RekeyReport, error) {
	var rep yuncang.RekeyReport
	if batch <= 0 {
		batch = 100
	}
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, tenant_id, merchant_order_id, status, created_at, updated_at,
			name_ct, phone_ct, address_ct, remarks_ct, masked_remarks_ct FROM orders
			WHERE retention_key_id IS NULL AND id > ? ORDER BY id LIMIT ?`), after, batch)
		if err != nil {
			return rep, wrapf(err, "list legacy orders")
		}
		type group struct{ tenant, day int64 }
		groups := map[group][]*legacyOrder{}
		var order []group
		n := 0
		for rows.Next() {
			o := &legacyOrder{}
			if err := rows.Scan(&o.id, &o.tenant, &o.moid, &o.status, &o.created, &o.updated,
				&o.cts[0], &o.cts[1], &o.cts[2], &o.cts[3], &o.cts[4]); err != nil {
				rows.Close()
				return rep, wrapf(err, "scan legacy order")
			}
			n++
			after = o.id
			if len(o.cts[0]) == 0 {
				continue // overwritten already (legacy rule or a deletion request)
			}
			g := group{o.tenant, int64(vault.Day(fromMicros(o.created)))}
			if groups[g] == nil {
				order = append(order, g)
			}
			groups[g] = append(groups[g], o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return rep, wrapf(err, "legacy order rows")
		}
		for _, g := range order {
			os := groups[g]
			if dryRun {
				rep.Orders += len(os)
				continue
			}
			start := time.Now()
			moved, err := db.rekeyGroup(ctx, g.tenant, int(g.day), os, ev)
			time.Sleep(time.Duration(rest * float64(time.Since(start))))
			if errors.Is(err, vault.ErrErased) || errors.Is(err, errBucketGone) {
				rep.Skipped += len(os)
				continue
			} else if err != nil {
				return rep, err
			}
			if moved > 0 {
				rep.Orders += moved
				rep.Batches++
			}
		}
		if n < batch {
			return rep, nil
		}
	}
}

type rekeyed struct {
	o        *legacyOrder
	key      vault.OrderKey
	cts      [5][]byte
	bindings map[int64][]byte // virtual binding id -> phone sealed again
}

// rekeyGroup re-seals one merchant's legacy orders of one intake day and
// moves them into that day's bucket in one transaction.
func (db *DB) rekeyGroup(ctx context.Context, tenant int64, day int, os []*legacyOrder, ev yuncang.Event) (int, error) {
	// Seal outside the transaction, as intake does.
	var rs []*rekeyed
	for _, o := range os {
		s, err := db.vault.NewOrderKey(ctx, tenant, day)
		if err != nil {
			return 0, err
		}
		r := &rekeyed{o: o, key: s.Key()}
		for i, f := range legacyFields {
			if len(o.cts[i]) == 0 {
				continue
			}
			pt, err := db.vault.Open(ctx, tenant, fieldAAD(o.moid, f), o.cts[i])
			if err != nil {
				return 0, wrapf(err, "open legacy order %d", o.id)
			}
			r.cts[i], err = s.Seal(fieldAAD(o.moid, f), pt)
			clear(pt)
			if err != nil {
				return 0, err
			}
		}
		if r.bindings, err = db.resealBindings(ctx, tenant, o.id, s); err != nil {
			return 0, err
		}
		rs = append(rs, r)
	}
	bucket := rs[0].key.BucketID
	closed := vault.Day(db.now().Add(-countGrace))
	var moved int
	var ids []any
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if day < closed {
			// Count the bucket now if no run has (it may have been created
			// just now for this old day): the orders moved below are then
			// added to a counted bucket, never lost to a concurrent count.
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE retention_keys SET orders = (SELECT COUNT(*) FROM orders WHERE retention_key_id = ?),
				counted_at = ? WHERE id = ? AND counted_at = 0`), bucket, micros(db.now()), bucket); err != nil {
				return wrapf(err, "count bucket")
			}
		}
		var keys []vault.OrderKey
		settled := 0
		var lastD, lastC int64
		for _, r := range rs {
			o := r.o
			res, err := tx.ExecContext(ctx, db.q(`UPDATE orders SET name_ct = ?, phone_ct = ?, address_ct = ?, remarks_ct = ?, masked_remarks_ct = ?,
				retention_key_id = ? WHERE id = ? AND retention_key_id IS NULL AND name_ct = ?`),
				r.cts[0], r.cts[1], r.cts[2], r.cts[3], r.cts[4], bucket, o.id, o.cts[0])
			if err != nil {
				return wrapf(err, "re-seal legacy order")
			}
			if k, _ := res.RowsAffected(); k != 1 {
				continue // changed meanwhile (erased, corrected, moved by another run)
			}
			for bid, ct := range r.bindings {
				if _, err := tx.ExecContext(ctx, db.q(`UPDATE virtual_bindings SET phone_ct = ? WHERE id = ?`), ct, bid); err != nil {
					return wrapf(err, "re-seal bound phone")
				}
			}
			keys = append(keys, r.key)
			ids = append(ids, o.id)
			switch o.status {
			case yuncang.OrderDelivered:
				settled++
				lastD = max(lastD, o.updated)
			case yuncang.OrderCancelled:
				settled++
				lastC = max(lastC, o.updated)
			}
		}
		if len(keys) == 0 {
			return nil
		}
		if err := db.insertOrderKeys(ctx, tx, keys); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.q(`UPDATE retention_keys SET
			orders = orders + CASE WHEN counted_at <> 0 THEN ? ELSE 0 END,
			settled = settled + ?,
			last_delivered_at = CASE WHEN last_delivered_at < ? THEN ? ELSE last_delivered_at END,
			last_cancelled_at = CASE WHEN last_cancelled_at < ? THEN ? ELSE last_cancelled_at END
			WHERE id = ? AND erased_at = 0 AND wrapped IS NOT NULL`), len(keys), settled, lastD, lastD, lastC, lastC, bucket)
		if err != nil {
			return wrapf(err, "count moved orders")
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errBucketGone
		}
		moved = len(keys)
		lo, hi := ids[0].(int64), ids[len(ids)-1].(int64)
		e := ev
		e.TenantID = tenant
		e.Targets = []string{fmt.Sprintf("retention_key:%d", bucket), fmt.Sprintf("orders:%d-%d", lo, hi)}
		e.Detail = fmt.Sprintf("%s; legacy orders (tenant key) re-sealed under bucket day %s with order keys; %d orders, ids %d-%d, id list %s",
			ev.Detail, vault.DayStart(day).Format("2006-01-02"), moved, lo, hi, idListHash(ids))
		return db.appendAudit(ctx, tx, &e)
	})
	if err != nil {
		return 0, err
	}
	return moved, nil
}

// resealBindings opens the phone copies of an order's carrier bindings and
// seals them again with the order's new key.
func (db *DB) resealBindings(ctx context.Context, tenant, orderID int64, s *vault.OrderSealer) (map[int64][]byte, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT vb.id, s.carrier_id, s.waybill, vb.phone_ct FROM virtual_bindings vb
		JOIN shipments s ON s.id = vb.shipment_id WHERE s.order_id = ? AND vb.phone_ct IS NOT NULL`), orderID)
	if err != nil {
		return nil, wrapf(err, "read bindings")
	}
	defer rows.Close()
	out := map[int64][]byte{}
	for rows.Next() {
		var id, carrier int64
		var waybill string
		var ct []byte
		if err := rows.Scan(&id, &carrier, &waybill, &ct); err != nil {
			return nil, wrapf(err, "scan binding")
		}
		if len(ct) == 0 {
			continue
		}
		aad := shipmentAAD(carrier, waybill, "phone")
		pt, err := db.vault.Open(ctx, tenant, aad, ct)
		if err != nil {
			return nil, wrapf(err, "open bound phone of order %d", orderID)
		}
		out[id], err = s.Seal(aad, pt)
		clear(pt)
		if err != nil {
			return nil, err
		}
	}
	return out, rows.Err()
}
