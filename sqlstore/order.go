package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/vault"
)

var _ yuncang.OrderService = (*DB)(nil)

// sealedOrder is a prepared order with its personal data encrypted.
type sealedOrder struct {
	p                                       *yuncang.PreparedOrder
	phoneIndex                              []byte
	name, phone, address, remarks, mRemarks []byte
	bucket                                  int64          // retention key of the ciphertexts
	key                                     vault.OrderKey // the order's own key, stored with it
}

const insertOrderSQL = `INSERT INTO orders (tenant_id, merchant_order_id, status, fingerprint,
	name_ct, phone_ct, address_ct, remarks_ct, masked_remarks_ct, phone_index,
	masked_name, masked_phone, masked_address,
	province, province_code, city, city_code, district, district_code, street, street_code,
	created_at, updated_at, retention_key_id)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const insertLineSQL = `INSERT INTO order_lines (order_id, line_no, sku_code, quantity) VALUES (?, ?, ?, ?)`

// args returns the insertOrderSQL arguments.
func (s *sealedOrder) args(tenantID, now int64) []any {
	p, d := s.p, s.p.Destination
	var bucket any // NULL: no retention bucket (benchmark rows)
	if s.bucket != 0 {
		bucket = s.bucket
	}
	// The fingerprint column is left empty: nothing may compare a
	// resubmitted order's content with a stored one (see IntakeExists).
	return []any{tenantID, p.MerchantOrderID, yuncang.OrderCreated, []byte{},
		s.name, s.phone, s.address, s.remarks, s.mRemarks, s.phoneIndex,
		p.Masked.Name, p.Masked.Phone, p.Masked.Address,
		d.Province, d.ProvinceCode, d.City, d.CityCode, d.District, d.DistrictCode, d.Street, d.StreetCode,
		now, now, bucket}
}

// fieldAAD binds a ciphertext to its table, record and field.
func fieldAAD(merchantOrderID, field string) []byte {
	return []byte("orders|" + merchantOrderID + "|" + field)
}

func (db *DB) seal(ctx context.Context, tenantID int64, p *yuncang.PreparedOrder) (*sealedOrder, error) {
	v := db.vault
	s := &sealedOrder{p: p}
	var err error
	if s.phoneIndex, err = v.BlindIndex(ctx, tenantID, "phone", p.Recipient.Phone); err != nil {
		return nil, err
	}
	// Sealed with a key of the order's own (destroyed by a deletion
	// request), wrapped by the key of today's retention bucket (destroyed
	// when the bucket's last order is past its period; sqlstore/retention.go).
	ks, err := v.NewOrderKey(ctx, tenantID, vault.Day(db.now()))
	if err != nil {
		return nil, err
	}
	s.key = ks.Key()
	s.bucket = s.key.BucketID
	for _, f := range []struct {
		dst   *[]byte
		field string
		val   string
	}{
		{&s.name, "name", p.Recipient.Name},
		{&s.phone, "phone", p.Recipient.Phone},
		{&s.address, "address", p.Recipient.Address},
		{&s.remarks, "remarks", p.Remarks},
		{&s.mRemarks, "masked_remarks", p.MaskedRemarks},
	} {
		if *f.dst, err = ks.Seal(fieldAAD(p.MerchantOrderID, f.field), []byte(f.val)); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// CreateOrders stores a batch of one tenant's prepared orders in one transaction.
func (db *DB) CreateOrders(ctx context.Context, tenantID int64, orders []*yuncang.PreparedOrder, allOrNothing bool, ev *yuncang.Event) ([]yuncang.IntakeResult, bool, error) {
	// Encrypt before the transaction so the write lock is held only for inserts.
	sealed := make([]*sealedOrder, len(orders))
	for i, p := range orders {
		if p.TenantID != tenantID {
			return nil, false, yuncang.Errorf(yuncang.EINTERNAL, "order of another tenant in batch")
		}
		s, err := db.seal(ctx, tenantID, p)
		if err != nil {
			return nil, false, wrapf(err, "seal order")
		}
		sealed[i] = s
	}
	results := make([]yuncang.IntakeResult, len(orders))
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var keys []vault.OrderKey // of the orders created
		known, err := db.knownSKUs(ctx, tx, tenantID, orders)
		if err != nil {
			return err
		}
		now := micros(db.now())
		insOrder, err := tx.PrepareContext(ctx, db.q(insertOrderSQL+` ON CONFLICT (tenant_id, merchant_order_id) DO NOTHING RETURNING id`))
		if err != nil {
			return wrapf(err, "prepare order insert")
		}
		defer insOrder.Close()
		insLine, err := tx.PrepareContext(ctx, db.q(insertLineSQL))
		if err != nil {
			return wrapf(err, "prepare line insert")
		}
		defer insLine.Close()
		for i, s := range sealed {
			p := s.p
			if bad := unknownSKU(p, known); bad >= 0 {
				results[i] = yuncang.IntakeResult{Outcome: yuncang.IntakeInvalid,
					Err: yuncang.Invalid(fmt.Sprintf("lines[%d].sku", bad), "no such SKU for this merchant")}
				continue
			}
			var id int64
			err := insOrder.QueryRowContext(ctx, s.args(tenantID, now)...).Scan(&id)
			if p.Decoy && isNoRows(err) {
				continue // its id is taken: no decoy this time
			}
			if isNoRows(err) {
				// The merchant order id exists. Its content is not compared:
				// the answer must not depend on whether a guessed recipient
				// matches the stored one.
				if err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM orders WHERE tenant_id = ? AND merchant_order_id = ?`),
					tenantID, p.MerchantOrderID).Scan(&id); err != nil {
					return wrapf(err, "read existing order")
				}
				results[i] = yuncang.IntakeResult{Outcome: yuncang.IntakeExists,
					Order: &yuncang.Order{ID: id, TenantID: tenantID, MerchantOrderID: p.MerchantOrderID},
					Err: &yuncang.Error{Code: yuncang.ECONFLICT, Field: "merchant_order_id",
						Message: fmt.Sprintf("order %d has this merchant order id already; nothing was stored (content is not compared)", id)}}
				continue
			} else if err != nil {
				return wrapf(err, "insert order")
			}
			if s.key.Handle != nil {
				keys = append(keys, s.key)
			}
			for n, l := range p.Lines {
				if _, err := insLine.ExecContext(ctx, id, n+1, l.SKUCode, l.Quantity); err != nil {
					return wrapf(err, "insert order line")
				}
			}
			if p.Decoy {
				// Flagged in the transaction that creates it: a decoy is
				// never stored unflagged, so it can never be fulfilled.
				if err := db.flagDecoy(ctx, tx, tenantID, id, now); err != nil {
					return err
				}
			}
			results[i] = yuncang.IntakeResult{Outcome: yuncang.IntakeCreated, Order: &yuncang.Order{
				ID: id, TenantID: tenantID, MerchantOrderID: p.MerchantOrderID, Status: yuncang.OrderCreated,
				Lines: p.Lines, Recipient: p.Masked, Destination: p.Destination, Remarks: p.MaskedRemarks,
				CreatedAt: fromMicros(now), UpdatedAt: fromMicros(now)}}
		}
		if allOrNothing {
			for i, r := range results {
				if r.IsBad() && !orders[i].Decoy {
					return errRollback
				}
			}
		}
		if err := db.insertOrderKeys(ctx, tx, keys); err != nil {
			return err
		}
		if ev != nil {
			ev.Targets, ev.Detail = orderTargets(results, ev.Detail)
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
	if err == errRollback {
		return results, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return results, true, nil
}

// orderTargets names the orders of an intake in its audit event: the
// created ones, each id while they fit, else the range; then every existing
// order a merchant order id of the batch named (a re-submission: many of them
// are someone probing which orders exist), each id while they fit in the
// record (maxIntakeTargets), else in runs. The detail has the counts.
func orderTargets(results []yuncang.IntakeResult, detail string) ([]string, string) {
	var ids, existing []int64
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Outcome]++
		switch r.Outcome {
		case yuncang.IntakeCreated:
			ids = append(ids, r.Order.ID)
		case yuncang.IntakeExists:
			existing = append(existing, r.Order.ID)
		}
	}
	var t []string
	if len(ids) <= 100 {
		for _, id := range ids {
			t = append(t, fmt.Sprintf("order:%d", id))
		}
	} else {
		t = []string{fmt.Sprintf("orders:%d-%d", ids[0], ids[len(ids)-1])}
	}
	named, widened := idRuns(existing, maxIntakeTargets-len(t))
	t = append(t, named...)
	summary := fmt.Sprintf("created %d, exists %d (nothing stored; named after the created", counts[yuncang.IntakeCreated], counts[yuncang.IntakeExists])
	if widened {
		summary += ", some in ranges that also span ids not re-submitted"
	}
	summary += fmt.Sprintf("), invalid %d", counts[yuncang.IntakeInvalid])
	if detail != "" {
		summary = detail + "; " + summary
	}
	return t, summary
}

// maxIntakeTargets is how many targets an intake's audit record names (the
// audit log takes at most 200 a record).
const maxIntakeTargets = 200

// idRuns names the orders ids as targets, at most room of them: each id
// ("order:12") while they fit, else runs of consecutive ids ("orders:12-15");
// if even the runs do not fit, the runs closest together are joined, and
// widened says that a range then spans ids not among ids.
func idRuns(ids []int64, room int) (targets []string, widened bool) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 || room <= 0 {
		return nil, false
	}
	type run struct{ lo, hi int64 }
	var runs []run
	for _, id := range ids {
		if n := len(runs); n > 0 && runs[n-1].hi+1 == id {
			runs[n-1].hi = id
			continue
		}
		runs = append(runs, run{id, id})
	}
	if len(ids) > room {
		for len(runs) > room {
			best := 1
			for i := 2; i < len(runs); i++ {
				if runs[i].lo-runs[i-1].hi < runs[best].lo-runs[best-1].hi {
					best = i
				}
			}
			runs[best-1].hi = runs[best].hi
			runs = slices.Delete(runs, best, best+1)
			widened = true
		}
	} else {
		runs = runs[:0]
		for _, id := range ids {
			runs = append(runs, run{id, id})
		}
	}
	for _, r := range runs {
		if r.lo == r.hi {
			targets = append(targets, fmt.Sprintf("order:%d", r.lo))
		} else {
			targets = append(targets, fmt.Sprintf("orders:%d-%d", r.lo, r.hi))
		}
	}
	return targets, widened
}

// errRollback makes inTx roll back without it being a failure.
var errRollback = fmt.Errorf("rollback requested")

// knownSKUs returns which of the batch's SKU codes exist for the tenant.
func (db *DB) knownSKUs(ctx context.Context, tx *sql.Tx, tenantID int64, orders []*yuncang.PreparedOrder) (map[string]bool, error) {
	want := map[string]bool{}
	var codes []any
	for _, p := range orders {
		for _, l := range p.Lines {
			if !want[l.SKUCode] {
				want[l.SKUCode] = true
				codes = append(codes, l.SKUCode)
			}
		}
	}
	known := map[string]bool{}
	const chunk = 500
	for len(codes) > 0 {
		n := min(chunk, len(codes))
		args := append([]any{tenantID}, codes[:n]...)
		rows, err := tx.QueryContext(ctx, db.q(`SELECT code FROM skus WHERE tenant_id = ? AND code IN (`+placeholders(n)+`)`), args...)
		if err != nil {
			return nil, wrapf(err, "look up skus")
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, wrapf(err, "scan sku")
			}
			known[c] = true
		}
		rows.Close()
		codes = codes[n:]
	}
	return known, nil
}

func unknownSKU(p *yuncang.PreparedOrder, known map[string]bool) int {
	for i, l := range p.Lines {
		if !known[l.SKUCode] {
			return i
		}
	}
	return -1
}

const orderCols = `id, tenant_id, merchant_order_id, status, masked_name, masked_phone, masked_address, masked_remarks_ct,
	province, province_code, city, city_code, district, district_code, street, street_code, created_at, updated_at`

// Order returns one of a tenant's orders, masked, recording ev.
func (db *DB) Order(ctx context.Context, tenantID, id int64, ev *yuncang.Event) (*yuncang.Order, error) {
	var os []*yuncang.Order
	err := db.auditedRead(ctx, ev, func(q querier) (err error) {
		os, err = db.ordersByID(ctx, q, tenantID, []int64{id})
		if err == nil && len(os) == 1 && ev != nil {
			ev.Targets = []string{fmt.Sprintf("order:%d", id)}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(os) == 0 {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "order not found")
	}
	return os[0], nil
}

// auditedRead runs a read; with an event, inside a write transaction that
// appends the event after the read (so its targets can name what was read)
// and commits both, or neither.
func (db *DB) auditedRead(ctx context.Context, ev *yuncang.Event, read func(q querier) error) error {
	if ev == nil {
		return read(db.r)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := read(tx); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

func (db *DB) ordersByID(ctx context.Context, q querier, tenantID int64, ids []int64) ([]*yuncang.Order, error) {
	args := []any{tenantID}
	for _, id := range ids {
		args = append(args, id)
	}
	return db.queryOrders(ctx, q, `SELECT `+orderCols+` FROM orders WHERE tenant_id = ? AND id IN (`+placeholders(len(ids))+`) ORDER BY id DESC`, args...)
}

// PhoneMatchSQL is the condition a phone search adds to a query of one
// tenant's orders: their ids among those whose blind phone index is the
// argument. Its arguments are tenantID, tenantID, index, tenantID, index.
// Through orders_tenant_bucket_phone (migration 0018) it seeks once per
// retention bucket of the tenant not yet swept and once for orders sealed
// before buckets existed (retention_key_id NULL); swept buckets are left
// out, as the sweep cleared their blind indexes (forgetRecipients). Two
// branches rather than "IS NULL OR IN": SQLite walks all of the tenant's
// orders for the OR. Exported for the plan tests (sqlite/plans_test.go).
const PhoneMatchSQL = `id IN (SELECT id FROM orders WHERE tenant_id = ? AND retention_key_id IN
		(SELECT id FROM retention_keys WHERE tenant_id = ? AND swept_at = 0) AND phone_index = ?
	UNION ALL SELECT id FROM orders WHERE tenant_id = ? AND retention_key_id IS NULL AND phone_index = ?)`

// Orders returns a page of a tenant's orders, newest first, masked,
// recording ev (with the orders shown as its targets).
func (db *DB) Orders(ctx context.Context, f yuncang.OrderFilter, ev *yuncang.Event) ([]*yuncang.Order, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	q := `SELECT ` + orderCols + ` FROM orders WHERE tenant_id = ?`
	args := []any{f.TenantID}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	if f.Phone != "" {
		idx, err := db.vault.BlindIndex(ctx, f.TenantID, "phone", f.Phone)
		if err != nil {
			return nil, wrapf(err, "blind index")
		}
		q += ` AND ` + PhoneMatchSQL
		args = append(args, f.TenantID, f.TenantID, idx, f.TenantID, idx)
	}
	if f.MerchantOrderID != "" {
		q += ` AND merchant_order_id = ?`
		args = append(args, f.MerchantOrderID)
	}
	if !f.CreatedFrom.IsZero() {
		q += ` AND created_at >= ?`
		args = append(args, f.CreatedFrom.UnixMicro())
	}
	if !f.CreatedTo.IsZero() {
		q += ` AND created_at < ?`
		args = append(args, f.CreatedTo.UnixMicro())
	}
	if f.AfterID > 0 {
		q += ` AND id < ?`
		args = append(args, f.AfterID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	var os []*yuncang.Order
	err := db.auditedRead(ctx, ev, func(qr querier) (err error) {
		os, err = db.queryOrders(ctx, qr, q, args...)
		if err == nil && ev != nil {
			ev.Targets = nil
			for _, o := range os {
				ev.Targets = append(ev.Targets, fmt.Sprintf("order:%d", o.ID))
			}
		}
		return err
	})
	return os, err
}

func (db *DB) queryOrders(ctx context.Context, q querier, query string, args ...any) ([]*yuncang.Order, error) {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return nil, wrapf(err, "query orders")
	}
	type row struct {
		o  *yuncang.Order
		mr []byte
	}
	var list []row
	for rows.Next() {
		var o yuncang.Order
		var mr []byte
		var created, updated int64
		d := &o.Destination
		if err := rows.Scan(&o.ID, &o.TenantID, &o.MerchantOrderID, &o.Status, &o.Recipient.Name, &o.Recipient.Phone, &o.Recipient.Address, &mr,
			&d.Province, &d.ProvinceCode, &d.City, &d.CityCode, &d.District, &d.DistrictCode, &d.Street, &d.StreetCode, &created, &updated); err != nil {
			rows.Close()
			return nil, wrapf(err, "scan order")
		}
		o.CreatedAt, o.UpdatedAt = fromMicros(created), fromMicros(updated)
		list = append(list, row{&o, mr})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "orders rows")
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]*yuncang.Order, len(list))
	byID := map[int64]*yuncang.Order{}
	args2 := make([]any, len(list))
	for i, r := range list {
		pt, err := db.vault.Open(ctx, r.o.TenantID, fieldAAD(r.o.MerchantOrderID, "masked_remarks"), r.mr)
		if erased(err, r.mr) {
			pt, err = []byte(yuncang.Erased), nil
		}
		if err != nil {
			return nil, wrapf(err, "open masked remarks of order %d", r.o.ID)
		}
		r.o.Remarks = string(pt)
		out[i] = r.o
		byID[r.o.ID] = r.o
		args2[i] = r.o.ID
	}
	lrows, err := q.QueryContext(ctx, db.q(`SELECT order_id, sku_code, quantity FROM order_lines WHERE order_id IN (`+placeholders(len(args2))+`) ORDER BY order_id, line_no`), args2...)
	if err != nil {
		return nil, wrapf(err, "query order lines")
	}
	defer lrows.Close()
	for lrows.Next() {
		var id int64
		var l yuncang.OrderLine
		if err := lrows.Scan(&id, &l.SKUCode, &l.Quantity); err != nil {
			return nil, wrapf(err, "scan order line")
		}
		byID[id].Lines = append(byID[id].Lines, l)
	}
	return out, lrows.Err()
}

// RevealRecipient appends the reveal event and reads the ciphertexts in one
// transaction, and decrypts only after it committed: no record, no plaintext.
func (db *DB) RevealRecipient(ctx context.Context, tenantID, id int64, ev *yuncang.Event, quota *yuncang.QuotaRequest) (*yuncang.Recipient, string, error) {
	if ev == nil {
		return nil, "", yuncang.Errorf(yuncang.EINTERNAL, "reveal without an audit event")
	}
	var moid string
	var name, phone, address, remarks []byte
	var qs quotaStmt
	var guardFn func(context.Context, yuncang.GuardWindows) error
	if quota != nil {
		var err error
		if qs, err = db.quotaStatement(ctx, *quota); err != nil {
			return nil, "", err
		}
		guardFn = quota.Guard
	}
	var windows *txWindows
	if guardFn != nil {
		var err error
		if windows, err = db.windowsIn(ctx); err != nil {
			return nil, "", err
		}
	}
	// The guard's windows, the quota and the audit record commit together:
	// one synced commit per reveal. A refusal by the guard commits the
	// windows alone, so the refused attempt counts.
	var refused error
	passed := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		passed = false
		if guardFn != nil {
			windows.tx = tx
			if err := guardFn(ctx, windows); err != nil {
				if yuncang.ErrorCode(err) == yuncang.EINTERNAL {
					return err // fail closed: nothing counted, nothing shown
				}
				refused = err
				return nil
			}
			passed = true
		}
		err := tx.QueryRowContext(ctx, db.q(`SELECT merchant_order_id, name_ct, phone_ct, address_ct, remarks_ct FROM orders WHERE tenant_id = ? AND id = ?`),
			tenantID, id).Scan(&moid, &name, &phone, &address, &remarks)
		if err != nil {
			return notFound(err, "order")
		}
		if quota != nil {
			if err := db.consumeQuota(ctx, tx, *quota, qs); err != nil {
				return err
			}
		}
		ev.Targets = []string{fmt.Sprintf("order:%d", id)}
		return db.appendAudit(ctx, tx, ev)
	})
	if err == nil && refused != nil {
		return nil, "", refused
	}
	if err != nil {
		if passed {
			// The guard let the attempt through, then it failed (no such
			// order, quota used up) and the rollback took the guard's count
			// with it: count it again on its own. The guard's refusal, if
			// this attempt now earns one, comes first.
			if gerr := guardFn(ctx, db); gerr != nil && yuncang.ErrorCode(gerr) != yuncang.EINTERNAL {
				return nil, "", gerr
			}
		}
		return nil, "", err
	}
	var out [4][]byte
	for i, f := range []struct {
		field string
		ct    []byte
	}{{"name", name}, {"phone", phone}, {"address", address}, {"remarks", remarks}} {
		if out[i], err = db.vault.Open(ctx, tenantID, fieldAAD(moid, f.field), f.ct); erased(err, f.ct) {
			return nil, "", errErased
		} else if err != nil {
			return nil, "", wrapf(err, "open %s of order %d", f.field, id)
		}
	}
	return &yuncang.Recipient{Name: string(out[0]), Phone: string(out[1]), Address: string(out[2])}, string(out[3]), nil
}

// flagDecoy marks a just-created order as a decoy and spends one of the
// tenant's pending decoys.
func (db *DB) flagDecoy(ctx context.Context, tx *sql.Tx, tenantID, orderID, now int64) error {
	if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO canaries (order_id, tenant_id, created_at) VALUES (?, ?, ?)`), orderID, tenantID, now); err != nil {
		return wrapf(err, "flag decoy")
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE decoys_pending SET remaining = CASE WHEN remaining > 0 THEN remaining - 1 ELSE 0 END WHERE tenant_id = ?`), tenantID); err != nil {
		return wrapf(err, "spend pending decoy")
	}
	return nil
}
