package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"github.com/yuncang/yuncang"
)

// move is one ledger row to book: it changes the warehouse balance
// (dOnHand, dReserved) and/or one location's quantity (dQty) and the units
// allocated there to picks (dAlloc, not a ledger column: a promise, not a
// movement).
type move struct {
	tenant, wh, sku, loc int64
	lot, expiry          string
	kind, ref            string
	dOnHand, dReserved   int
	dQty, dAlloc         int
	// applied: the location's quantity was already changed (by takeFrom);
	// record the row and the warehouse balance only.
	applied bool
}

// userID is the acting user recorded with movements and transitions.
func userID(ctx context.Context) int64 {
	if a := yuncang.ActorFromContext(ctx); a != nil {
		return a.UserID
	}
	return 0
}

// book appends a ledger row and applies it to the balances in the same
// transaction. Balances never go negative: the schema's checks and the
// conditional updates of the callers see to it.
func (db *DB) book(ctx context.Context, tx *sql.Tx, m move) error {
	now := micros(db.now())
	var loc any
	if m.loc != 0 {
		loc = m.loc
	}
	if m.dOnHand != 0 || m.dReserved != 0 || m.dQty != 0 {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO stock_moves (tenant_id, warehouse_id, sku_id, location_id, lot, kind, d_on_hand, d_reserved, d_qty, ref, user_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			m.tenant, m.wh, m.sku, loc, m.lot, m.kind, m.dOnHand, m.dReserved, m.dQty, m.ref, userID(ctx), now); err != nil {
			return wrapf(err, "append stock move")
		}
	}
	if m.dOnHand != 0 || m.dReserved != 0 {
		// booked moves with on_hand, so the SetStock trigger stays quiet.
		// Update first: a candidate row with a negative delta would fail the
		// table's checks before an upsert could resolve the conflict.
		res, err := tx.ExecContext(ctx, db.q(`UPDATE stock SET on_hand = on_hand + ?, reserved = reserved + ?, booked = booked + ?, updated_at = ?
			WHERE warehouse_id = ? AND sku_id = ? AND tenant_id = ?`), m.dOnHand, m.dReserved, m.dOnHand, now, m.wh, m.sku, m.tenant)
		if err != nil {
			return wrapf(err, "update stock balance")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO stock (tenant_id, warehouse_id, sku_id, on_hand, reserved, booked, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
				m.tenant, m.wh, m.sku, m.dOnHand, m.dReserved, m.dOnHand, now); err != nil {
				return wrapf(err, "insert stock balance")
			}
		}
	}
	if m.loc != 0 && !m.applied && (m.dQty != 0 || m.dAlloc != 0) {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE location_stock SET qty = qty + ?, allocated = allocated + ?, updated_at = ?
			WHERE location_id = ? AND sku_id = ? AND lot = ?`), m.dQty, m.dAlloc, now, m.loc, m.sku, m.lot)
		if err != nil {
			return wrapf(err, "update location stock")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO location_stock (tenant_id, warehouse_id, location_id, sku_id, lot, expiry, qty, allocated, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), m.tenant, m.wh, m.loc, m.sku, m.lot, m.expiry, m.dQty, m.dAlloc, now); err != nil {
				return wrapf(err, "insert location stock")
			}
		}
	}
	return nil
}

// takeFrom removes units from a location only if that many are there and
// not promised to a pick (or, with fromAllocated, only if that many are
// promised), so two transactions cannot take the same units.
func (db *DB) takeFrom(ctx context.Context, tx *sql.Tx, loc, sku int64, lot string, qty int, fromAllocated bool) (bool, error) {
	cond, dAlloc := `qty - allocated >= ?`, 0
	if fromAllocated {
		cond, dAlloc = `allocated >= ? AND qty >= allocated`, qty
	}
	res, err := tx.ExecContext(ctx, db.q(`UPDATE location_stock SET qty = qty - ?, allocated = allocated - ?, updated_at = ?
		WHERE location_id = ? AND sku_id = ? AND lot = ? AND `+cond),
		qty, dAlloc, micros(db.now()), loc, sku, lot, qty)
	if err != nil {
		return false, wrapf(err, "take from location")
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Move transfers units between two locations of one warehouse.
func (db *DB) Move(ctx context.Context, tenantID, warehouseID int64, t yuncang.Transfer) error {
	if t.Qty <= 0 {
		return yuncang.Invalid("qty", "must be positive")
	}
	if t.From == "" {
		t.From = yuncang.LocRecv
	}
	if t.To == "" {
		return yuncang.Invalid("to", "is required")
	}
	if t.From == t.To {
		return yuncang.Invalid("to", "is the same location as from")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		sk, err := db.skuByCode(ctx, tx, tenantID, t.SKUCode, "sku")
		if err != nil {
			return err
		}
		if sk.lotTracked && t.Lot == "" {
			return yuncang.Invalid("lot", "is required: this SKU is lot-tracked")
		}
		from, err := db.locationByCode(ctx, tx, warehouseID, t.From, "from")
		if err != nil {
			return err
		}
		to, err := db.locationByCode(ctx, tx, warehouseID, t.To, "to")
		if err != nil {
			return err
		}
		if from.Kind == yuncang.LocationPacking {
			return yuncang.Invalid("from", "goods at the pack station leave by shipping")
		}
		if to.Kind != yuncang.LocationStorage {
			return yuncang.Invalid("to", "must be a storage location")
		}
		var expiry string
		err = tx.QueryRowContext(ctx, db.q(`SELECT expiry FROM location_stock WHERE location_id = ? AND sku_id = ? AND lot = ? AND tenant_id = ?`),
			from.ID, sk.id, t.Lot, tenantID).Scan(&expiry)
		if isNoRows(err) {
			return yuncang.Invalid("sku", "none of this SKU (lot) at %s", t.From)
		} else if err != nil {
			return wrapf(err, "read location stock")
		}
		ok, err := db.takeFrom(ctx, tx, from.ID, sk.id, t.Lot, t.Qty, false)
		if err != nil {
			return err
		}
		if !ok {
			return yuncang.Invalid("qty", "fewer than %d free units of this SKU at %s", t.Qty, t.From)
		}
		ref := "move:" + t.From + ">" + t.To
		// takeFrom changed the balance; the ledger row records it.
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO stock_moves (tenant_id, warehouse_id, sku_id, location_id, lot, kind, d_on_hand, d_reserved, d_qty, ref, user_id, at)
			VALUES (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)`),
			tenantID, warehouseID, sk.id, from.ID, t.Lot, yuncang.MovePutaway, -t.Qty, ref, userID(ctx), micros(db.now())); err != nil {
			return wrapf(err, "append stock move")
		}
		return db.book(ctx, tx, move{tenant: tenantID, wh: warehouseID, sku: sk.id, loc: to.ID, lot: t.Lot, expiry: expiry,
			kind: yuncang.MovePutaway, ref: ref, dQty: t.Qty})
	})
}

// LocationStock lists what lies where in one warehouse, for one tenant.
func (db *DB) LocationStock(ctx context.Context, tenantID, warehouseID int64) ([]*yuncang.LocationStock, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT ls.tenant_id, ls.warehouse_id, l.code, l.zone, s.code, ls.lot, ls.expiry, ls.qty, ls.allocated
		FROM location_stock ls JOIN locations l ON l.id = ls.location_id JOIN skus s ON s.id = ls.sku_id
		WHERE ls.tenant_id = ? AND ls.warehouse_id = ? AND (ls.qty <> 0 OR ls.allocated <> 0) ORDER BY l.code, s.code, ls.lot`), tenantID, warehouseID)
	if err != nil {
		return nil, wrapf(err, "list location stock")
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (*yuncang.LocationStock, error) {
		var x yuncang.LocationStock
		err := row.Scan(&x.TenantID, &x.WarehouseID, &x.Location, &x.Zone, &x.SKUCode, &x.Lot, &x.Expiry, &x.Qty, &x.Allocated)
		return &x, err
	})
}

// Ledger lists a tenant's stock movements, newest first.
func (db *DB) Ledger(ctx context.Context, f yuncang.LedgerFilter) ([]*yuncang.StockMove, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	q := `SELECT m.id, m.tenant_id, m.warehouse_id, w.code, s.code, COALESCE(l.code, ''), m.lot, m.kind, m.d_on_hand, m.d_reserved, m.d_qty, m.ref, m.user_id, m.at
		FROM stock_moves m JOIN warehouses w ON w.id = m.warehouse_id JOIN skus s ON s.id = m.sku_id LEFT JOIN locations l ON l.id = m.location_id
		WHERE m.tenant_id = ?`
	args := []any{f.TenantID}
	if f.WarehouseID != 0 {
		q += ` AND m.warehouse_id = ?`
		args = append(args, f.WarehouseID)
	}
	if f.SKUCode != "" {
		q += ` AND s.code = ?`
		args = append(args, f.SKUCode)
	}
	if f.Ref != "" {
		q += ` AND m.ref = ?`
		args = append(args, f.Ref)
	}
	if f.AfterID > 0 {
		q += ` AND m.id < ?`
		args = append(args, f.AfterID)
	}
	q += ` ORDER BY m.id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, wrapf(err, "list ledger")
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (*yuncang.StockMove, error) {
		var m yuncang.StockMove
		var at int64
		err := row.Scan(&m.ID, &m.TenantID, &m.WarehouseID, &m.Warehouse, &m.SKUCode, &m.Location, &m.Lot, &m.Kind, &m.DOnHand, &m.DReserved, &m.DQty, &m.Ref, &m.UserID, &at)
		m.At = fromMicros(at)
		return &m, err
	})
}

// CheckBooks recomputes the tenant's balances from the ledger and the open
// parcels and reports every difference:
//   - stock.on_hand and stock.reserved are the sums of the ledger's deltas,
//   - each location's quantity is the sum of the ledger rows at it,
//   - the locations of a warehouse together hold its on-hand stock,
//   - reserved stock is exactly what open parcels hold,
//   - units promised to picks are exactly the open pick tasks.
func (db *DB) CheckBooks(ctx context.Context, tenantID int64) ([]string, error) {
	type key struct {
		a, b int64
		lot  string
	}
	sums := func(query string, n int) (map[key][]int64, error) {
		rows, err := db.r.QueryContext(ctx, db.q(query), tenantID)
		if err != nil {
			return nil, wrapf(err, "check books")
		}
		defer rows.Close()
		out := map[key][]int64{}
		for rows.Next() {
			var k key
			v := make([]int64, n)
			dst := []any{&k.a, &k.b, &k.lot}
			for i := range v {
				dst = append(dst, &v[i])
			}
			if err := rows.Scan(dst...); err != nil {
				return nil, wrapf(err, "scan books")
			}
			out[k] = v
		}
		return out, rows.Err()
	}
	var diffs []string
	compare := func(what string, a, b map[key][]int64, ai, bi int) {
		keys := map[key]bool{}
		for k := range a {
			keys[k] = true
		}
		for k := range b {
			keys[k] = true
		}
		var ks []key
		for k := range keys {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool {
			if ks[i].a != ks[j].a {
				return ks[i].a < ks[j].a
			}
			if ks[i].b != ks[j].b {
				return ks[i].b < ks[j].b
			}
			return ks[i].lot < ks[j].lot
		})
		for _, k := range ks {
			var x, y int64
			if v, ok := a[k]; ok {
				x = v[ai]
			}
			if v, ok := b[k]; ok {
				y = v[bi]
			}
			if x != y {
				diffs = append(diffs, fmt.Sprintf("%s: (%d, %d, %q): %d vs %d", what, k.a, k.b, k.lot, x, y))
			}
		}
	}
	stock, err := sums(`SELECT warehouse_id, sku_id, '', on_hand, reserved, booked FROM stock WHERE tenant_id = ?`, 3)
	if err != nil {
		return nil, err
	}
	ledger, err := sums(`SELECT warehouse_id, sku_id, '', SUM(d_on_hand), SUM(d_reserved) FROM stock_moves WHERE tenant_id = ? GROUP BY warehouse_id, sku_id`, 2)
	if err != nil {
		return nil, err
	}
	compare("on_hand vs ledger", stock, ledger, 0, 0)
	compare("reserved vs ledger", stock, ledger, 1, 1)
	compare("on_hand vs booked", stock, stock, 0, 2)
	locs, err := sums(`SELECT location_id, sku_id, lot, qty, allocated FROM location_stock WHERE tenant_id = ?`, 2)
	if err != nil {
		return nil, err
	}
	locLedger, err := sums(`SELECT location_id, sku_id, lot, SUM(d_qty) FROM stock_moves WHERE tenant_id = ? AND location_id IS NOT NULL GROUP BY location_id, sku_id, lot`, 1)
	if err != nil {
		return nil, err
	}
	compare("location qty vs ledger", locs, locLedger, 0, 0)
	whLocs, err := sums(`SELECT warehouse_id, sku_id, '', SUM(qty), SUM(allocated) FROM location_stock WHERE tenant_id = ? GROUP BY warehouse_id, sku_id`, 2)
	if err != nil {
		return nil, err
	}
	compare("on_hand vs locations", stock, whLocs, 0, 0)
	open, err := sums(`SELECT p.warehouse_id, pl.sku_id, '', SUM(pl.qty) FROM parcels p JOIN parcel_lines pl ON pl.parcel_id = p.id
		WHERE p.tenant_id = ? AND p.status IN ('allocated', 'waved', 'picked', 'packed', 'weighed') GROUP BY p.warehouse_id, pl.sku_id`, 1)
	if err != nil {
		return nil, err
	}
	compare("reserved vs open parcels", stock, open, 1, 0)
	picks, err := sums(`SELECT p.warehouse_id, t.sku_id, '', SUM(t.qty) FROM parcels p JOIN pick_tasks t ON t.parcel_id = p.id
		WHERE p.tenant_id = ? AND p.status IN ('waved', 'picked', 'packed', 'weighed') GROUP BY p.warehouse_id, t.sku_id`, 1)
	if err != nil {
		return nil, err
	}
	compare("allocated at locations vs open picks", whLocs, picks, 1, 0)
	return diffs, nil
}

// CycleCount books the differences between counted and recorded stock in
// the counted locations.
func (db *DB) CycleCount(ctx context.Context, tenantID, warehouseID int64, c *yuncang.CycleCount) error {
	if len(c.Locations) == 0 {
		return yuncang.Invalid("locations", "name at least one location counted")
	}
	if len(c.Locations) > 200 || len(c.Lines) > 2000 {
		return yuncang.Invalid("lines", "at most 200 locations and 2000 lines per count")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(db.now())
		locs := map[string]*location{}
		for i, code := range c.Locations {
			l, err := db.locationByCode(ctx, tx, warehouseID, code, fmt.Sprintf("locations[%d]", i))
			if err != nil {
				return err
			}
			if l.Kind == yuncang.LocationPacking {
				return yuncang.Invalid(fmt.Sprintf("locations[%d]", i), "the pack station is not counted: its goods belong to open parcels")
			}
			locs[code] = l
		}
		type k struct {
			loc, sku int64
			lot      string
		}
		type cell struct {
			expected, counted, allocated int
			expiry                       string
			seen                         bool
		}
		cells := map[k]*cell{}
		var order []k
		loaded := map[int64]bool{}
		for _, code := range c.Locations {
			l := locs[code]
			if loaded[l.ID] {
				continue
			}
			loaded[l.ID] = true
			rows, err := tx.QueryContext(ctx, db.q(`SELECT sku_id, lot, expiry, qty, allocated FROM location_stock WHERE location_id = ? AND tenant_id = ? ORDER BY sku_id, lot`), l.ID, tenantID)
			if err != nil {
				return wrapf(err, "read location stock")
			}
			for rows.Next() {
				var key k
				var ce cell
				key.loc = l.ID
				if err := rows.Scan(&key.sku, &key.lot, &ce.expiry, &ce.expected, &ce.allocated); err != nil {
					rows.Close()
					return wrapf(err, "scan location stock")
				}
				cells[key] = &ce
				order = append(order, key)
			}
			rows.Close()
		}
		for i, ln := range c.Lines {
			f := func(s string) string { return fmt.Sprintf("lines[%d].%s", i, s) }
			l, ok := locs[ln.Location]
			if !ok {
				return yuncang.Invalid(f("location"), "is not one of the counted locations")
			}
			sk, err := db.skuByCode(ctx, tx, tenantID, ln.SKUCode, f("sku"))
			if err != nil {
				return err
			}
			if ln.Counted < 0 || ln.Counted > 10_000_000 {
				return yuncang.Invalid(f("counted"), "must be between 0 and 10000000")
			}
			if sk.lotTracked != (ln.Lot != "") && !(sk.lotTracked && l.Kind == yuncang.LocationUnlocated) {
				return yuncang.Invalid(f("lot"), "lot-tracked SKUs are counted by lot, others without")
			}
			key := k{l.ID, sk.id, ln.Lot}
			ce := cells[key]
			if ce == nil {
				ce = &cell{}
				cells[key] = ce
				order = append(order, key)
			}
			if ce.seen {
				return yuncang.Invalid(f("sku"), "is counted twice in this location")
			}
			ce.seen, ce.counted = true, ln.Counted
		}
		var id int64
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO cycle_counts (tenant_id, warehouse_id, user_id, created_at) VALUES (?, ?, ?, ?) RETURNING id`),
			tenantID, warehouseID, userID(ctx), now).Scan(&id); err != nil {
			return wrapf(err, "insert count")
		}
		c.ID, c.CreatedAt, c.Lines = id, fromMicros(now), nil
		codeOf := map[int64]string{}
		for code, l := range locs {
			codeOf[l.ID] = code
		}
		for _, key := range order {
			ce := cells[key]
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO cycle_count_lines (count_id, location_id, sku_id, lot, expected, counted) VALUES (?, ?, ?, ?, ?, ?)`),
				id, key.loc, key.sku, key.lot, ce.expected, ce.counted); err != nil {
				return wrapf(err, "insert count line")
			}
			skuCode, err := db.skuCodeByID(ctx, tx, key.sku)
			if err != nil {
				return err
			}
			c.Lines = append(c.Lines, yuncang.CountLine{Location: codeOf[key.loc], SKUCode: skuCode, Lot: key.lot, Counted: ce.counted, Expected: ce.expected})
			d := ce.counted - ce.expected
			if d == 0 {
				continue
			}
			if ce.counted < ce.allocated {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "lines", Message: fmt.Sprintf("%s at %s: counted %d, but %d are promised to open picks; finish those first", skuCode, codeOf[key.loc], ce.counted, ce.allocated)}
			}
			if d < 0 {
				var free int
				if err := tx.QueryRowContext(ctx, db.q(`SELECT on_hand - reserved FROM stock WHERE warehouse_id = ? AND sku_id = ?`), warehouseID, key.sku).Scan(&free); err != nil && !isNoRows(err) {
					return wrapf(err, "read stock")
				}
				if free+d < 0 {
					return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "lines", Message: fmt.Sprintf("%s: the count leaves fewer units than orders have reserved; resolve the reservations first", skuCode)}
				}
			}
			if err := db.book(ctx, tx, move{tenant: tenantID, wh: warehouseID, sku: key.sku, loc: key.loc, lot: key.lot, expiry: ce.expiry,
				kind: yuncang.MoveCount, ref: yuncang.RefOf("count", id), dOnHand: d, dQty: d}); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) skuCodeByID(ctx context.Context, q rowQuerier, id int64) (string, error) {
	var code string
	if err := q.QueryRowContext(ctx, db.q(`SELECT code FROM skus WHERE id = ?`), id).Scan(&code); err != nil {
		return "", wrapf(err, "look up sku")
	}
	return code, nil
}
