package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/yuncang/yuncang"
)

// Wave storage: the rows a wave's release reads and writes, in one
// transaction. Which carrier, which parcels and which shelves are the
// fulfil service's decisions.

// InWaveTx runs fn in one write transaction.
func (db *DB) InWaveTx(ctx context.Context, fn func(tx yuncang.WaveTx) error) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return fn(waveTx{db, tx}) })
}

// waveTx is yuncang.WaveTx over one SQL transaction.
type waveTx struct {
	db *DB
	tx *sql.Tx
}

func (w waveTx) AllocatedParcels(ctx context.Context, tenantID, warehouseID int64) ([]*yuncang.Parcel, error) {
	return w.db.parcelsWhere(ctx, w.tx, `p.tenant_id = ? AND p.warehouse_id = ? AND p.status = 'allocated'`, tenantID, warehouseID)
}

func (w waveTx) PickableStock(ctx context.Context, tenantID, warehouseID int64) ([]*yuncang.PickableStock, error) {
	rows, err := w.tx.QueryContext(ctx, w.db.q(`SELECT l.id, l.code, l.zone, l.aisle, l.bin, l.kind, l.seq, ls.sku_id, s.code, s.lot_tracked, ls.lot, ls.expiry, ls.qty - ls.allocated
		FROM location_stock ls JOIN locations l ON l.id = ls.location_id JOIN skus s ON s.id = ls.sku_id
		WHERE ls.tenant_id = ? AND ls.warehouse_id = ? AND l.kind <> 'packing' AND ls.qty - ls.allocated > 0`), tenantID, warehouseID)
	if err != nil {
		return nil, wrapf(err, "read pickable stock")
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (*yuncang.PickableStock, error) {
		var pk yuncang.PickableStock
		var tracked int
		l := &pk.Location
		err := row.Scan(&l.ID, &l.Code, &l.Zone, &l.Aisle, &l.Bin, &l.Kind, &l.Seq, &pk.SKUID, &pk.SKUCode, &tracked, &pk.Lot, &pk.Expiry, &pk.Free)
		pk.LotTracked = tracked != 0
		return &pk, err
	})
}

func (w waveTx) AddWave(ctx context.Context, wv *yuncang.Wave) (int64, error) {
	var id int64
	if err := w.tx.QueryRowContext(ctx, w.db.q(`INSERT INTO waves (tenant_id, warehouse_id, carrier, zone, cutoff, status, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), wv.TenantID, wv.WarehouseID, wv.Carrier, wv.Zone, wv.Cutoff, wv.Status, userID(ctx), micros(w.db.now())).Scan(&id); err != nil {
		return 0, wrapf(err, "insert wave")
	}
	return id, nil
}

func (w waveTx) TakeLocationStock(ctx context.Context, waveID, parcelID int64, src *yuncang.PickableStock, qty int) (bool, error) {
	res, err := w.tx.ExecContext(ctx, w.db.q(`UPDATE location_stock SET allocated = allocated + ?, updated_at = ?
		WHERE location_id = ? AND sku_id = ? AND lot = ? AND qty - allocated >= ?`), qty, micros(w.db.now()), src.Location.ID, src.SKUID, src.Lot, qty)
	if err != nil {
		return false, wrapf(err, "allocate location stock")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	if _, err := w.tx.ExecContext(ctx, w.db.q(`INSERT INTO pick_tasks (wave_id, parcel_id, location_id, sku_id, lot, qty) VALUES (?, ?, ?, ?, ?, ?)`),
		waveID, parcelID, src.Location.ID, src.SKUID, src.Lot, qty); err != nil {
		return false, wrapf(err, "insert pick task")
	}
	return true, nil
}

func (w waveTx) WaveParcel(ctx context.Context, waveID int64, p *yuncang.Parcel) error {
	note := yuncang.RefOf("wave", waveID)
	if _, err := w.tx.ExecContext(ctx, w.db.q(`UPDATE parcels SET wave_id = ? WHERE id = ?`), waveID, p.ID); err != nil {
		return wrapf(err, "assign parcel to wave")
	}
	if err := w.db.setParcelStatus(ctx, w.tx, p, yuncang.ParcelWaved, note); err != nil {
		return err
	}
	return w.db.syncOrder(ctx, w.tx, p.TenantID, p.OrderID, note)
}

// Wave returns a wave with its pick list in walking order.
func (db *DB) Wave(ctx context.Context, tenantID, warehouseID, id int64) (*yuncang.Wave, error) {
	return db.readWave(ctx, db.r, tenantID, warehouseID, id)
}

func (db *DB) readWave(ctx context.Context, q rowQuerier, tenantID, warehouseID, id int64) (*yuncang.Wave, error) {
	w := &yuncang.Wave{}
	var created int64
	err := q.QueryRowContext(ctx, db.q(`SELECT id, tenant_id, warehouse_id, carrier, zone, cutoff, status, created_at FROM waves
		WHERE id = ? AND tenant_id = ? AND warehouse_id = ?`), id, tenantID, warehouseID).
		Scan(&w.ID, &w.TenantID, &w.WarehouseID, &w.Carrier, &w.Zone, &w.Cutoff, &w.Status, &created)
	if err != nil {
		return nil, notFound(err, "wave")
	}
	w.CreatedAt = fromMicros(created)
	rows, err := q.QueryContext(ctx, db.q(`SELECT t.parcel_id, l.id, l.code, l.zone, l.aisle, l.bin, l.kind, l.seq, s.code, s.barcode, t.lot, COALESCE(ls.expiry, ''), t.qty, t.picked
		FROM pick_tasks t JOIN locations l ON l.id = t.location_id JOIN skus s ON s.id = t.sku_id
		LEFT JOIN location_stock ls ON ls.location_id = t.location_id AND ls.sku_id = t.sku_id AND ls.lot = t.lot
		WHERE t.wave_id = ? ORDER BY t.id`), id)
	if err != nil {
		return nil, wrapf(err, "read pick tasks")
	}
	defer rows.Close()
	type key struct {
		loc      int64
		sku, lot string
	}
	lines := map[key]*yuncang.PickLine{}
	locs := map[int64]*yuncang.Location{}
	var keys []key
	seenParcel := map[int64]bool{}
	for rows.Next() {
		var pid int64
		var l yuncang.Location
		var pl yuncang.PickLine
		var qty, picked int
		if err := rows.Scan(&pid, &l.ID, &l.Code, &l.Zone, &l.Aisle, &l.Bin, &l.Kind, &l.Seq, &pl.SKUCode, &pl.Barcode, &pl.Lot, &pl.Expiry, &qty, &picked); err != nil {
			return nil, wrapf(err, "scan pick task")
		}
		if !seenParcel[pid] {
			seenParcel[pid] = true
			w.ParcelIDs = append(w.ParcelIDs, pid)
		}
		k := key{l.ID, pl.SKUCode, pl.Lot}
		x := lines[k]
		if x == nil {
			pl.Location, pl.Zone = l.Code, l.Zone
			x = &pl
			lines[k] = x
			keys = append(keys, k)
			locs[l.ID] = &l
		}
		x.Qty += qty
		x.Picked += picked
		x.Parcels = append(x.Parcels, pid)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "pick tasks")
	}
	var ls []*yuncang.Location
	for _, l := range locs {
		ls = append(ls, l)
	}
	yuncang.SortWalk(ls)
	pos := map[int64]int{}
	for i, l := range ls {
		pos[l.ID] = i
	}
	sort.SliceStable(keys, func(i, j int) bool {
		if pos[keys[i].loc] != pos[keys[j].loc] {
			return pos[keys[i].loc] < pos[keys[j].loc]
		}
		if keys[i].sku != keys[j].sku {
			return keys[i].sku < keys[j].sku
		}
		return keys[i].lot < keys[j].lot
	})
	for _, k := range keys {
		w.Picks = append(w.Picks, *lines[k])
	}
	return w, nil
}

// Waves lists a warehouse's waves of the tenant, newest first.
func (db *DB) Waves(ctx context.Context, tenantID, warehouseID int64) ([]*yuncang.Wave, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, tenant_id, warehouse_id, carrier, zone, cutoff, status, created_at FROM waves
		WHERE tenant_id = ? AND warehouse_id = ? ORDER BY id DESC LIMIT 200`), tenantID, warehouseID)
	if err != nil {
		return nil, wrapf(err, "list waves")
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (*yuncang.Wave, error) {
		var w yuncang.Wave
		var created int64
		err := row.Scan(&w.ID, &w.TenantID, &w.WarehouseID, &w.Carrier, &w.Zone, &w.Cutoff, &w.Status, &created)
		w.CreatedAt = fromMicros(created)
		return &w, err
	})
}

// ConfirmPick confirms one pick-list line picked in full: its units move
// from the bin to the pack station.
func (db *DB) ConfirmPick(ctx context.Context, tenantID, warehouseID, waveID int64, pc yuncang.PickConfirm) (*yuncang.Wave, error) {
	if pc.Qty <= 0 {
		return nil, yuncang.Invalid("qty", "must be positive")
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		w, err := db.readWave(ctx, tx, tenantID, warehouseID, waveID)
		if err != nil {
			return err
		}
		if w.Status != yuncang.WaveOpen {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "wave", Message: "the wave is " + w.Status}
		}
		loc, err := db.locationByCode(ctx, tx, warehouseID, pc.Location, "location")
		if err != nil {
			return err
		}
		sk, err := db.skuByCode(ctx, tx, tenantID, pc.SKUCode, "sku")
		if err != nil {
			return err
		}
		var pack int64
		if err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM locations WHERE warehouse_id = ? AND code = ?`), warehouseID, yuncang.LocPack).Scan(&pack); err != nil {
			return wrapf(err, "find pack station")
		}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT id, parcel_id, qty - picked FROM pick_tasks
			WHERE wave_id = ? AND location_id = ? AND sku_id = ? AND lot = ? AND picked < qty ORDER BY id`), waveID, loc.ID, sk.id, pc.Lot)
		if err != nil {
			return wrapf(err, "read pick tasks")
		}
		type task struct {
			id, parcel int64
			left       int
		}
		var ts []task
		total := 0
		for rows.Next() {
			var t task
			if err := rows.Scan(&t.id, &t.parcel, &t.left); err != nil {
				rows.Close()
				return wrapf(err, "scan pick task")
			}
			ts = append(ts, t)
			total += t.left
		}
		rows.Close()
		if total == 0 {
			return yuncang.Invalid("sku", "nothing of this SKU (lot) is left to pick at this location in this wave")
		}
		if pc.Qty != total {
			return yuncang.Invalid("qty", "this line has %d units to pick, not %d: pick them all, or count the bin if they are not there", total, pc.Qty)
		}
		var expiry string
		tx.QueryRowContext(ctx, db.q(`SELECT expiry FROM location_stock WHERE location_id = ? AND sku_id = ? AND lot = ?`), loc.ID, sk.id, pc.Lot).Scan(&expiry)
		ok, err := db.takeFrom(ctx, tx, loc.ID, sk.id, pc.Lot, total, true)
		if err != nil {
			return err
		}
		if !ok {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "location", Message: "the location no longer holds the units allocated to this wave"}
		}
		ref := yuncang.RefOf("wave", waveID)
		if err := db.book(ctx, tx, move{tenant: tenantID, wh: warehouseID, sku: sk.id, loc: loc.ID, lot: pc.Lot, kind: yuncang.MovePick, ref: ref, dQty: -total, applied: true}); err != nil {
			return err
		}
		if err := db.book(ctx, tx, move{tenant: tenantID, wh: warehouseID, sku: sk.id, loc: pack, lot: pc.Lot, expiry: expiry, kind: yuncang.MovePick, ref: ref, dQty: total, dAlloc: total}); err != nil {
			return err
		}
		parcels := map[int64]bool{}
		for _, t := range ts {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE pick_tasks SET picked = qty WHERE id = ?`), t.id); err != nil {
				return wrapf(err, "confirm pick task")
			}
			parcels[t.parcel] = true
		}
		for pid := range parcels {
			var left int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM pick_tasks WHERE parcel_id = ? AND picked < qty`), pid).Scan(&left); err != nil {
				return wrapf(err, "count open picks")
			}
			if left == 0 {
				p, err := db.parcelByID(ctx, tx, tenantID, pid)
				if err != nil {
					return err
				}
				if err := db.setParcelStatus(ctx, tx, p, yuncang.ParcelPicked, ref); err != nil {
					return err
				}
			}
		}
		var left int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM pick_tasks WHERE wave_id = ? AND picked < qty`), waveID).Scan(&left); err != nil {
			return wrapf(err, "count open picks")
		}
		if left == 0 {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE waves SET status = ? WHERE id = ?`), yuncang.WavePicked, waveID); err != nil {
				return wrapf(err, "close wave picking")
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.Wave(ctx, tenantID, warehouseID, waveID)
}

// parcelIn loads a parcel for an action in a warehouse: a parcel of
// another warehouse is not found, whatever the actor's other rights.
func (db *DB) parcelIn(ctx context.Context, tx *sql.Tx, tenantID, warehouseID, parcelID int64) (*yuncang.Parcel, error) {
	p, err := db.parcelByID(ctx, tx, tenantID, parcelID)
	if err != nil {
		return nil, err
	}
	if warehouseID != 0 && p.WarehouseID != warehouseID {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "parcel not found")
	}
	return p, nil
}

// PackParcel checks the barcodes scanned at the pack station against the
// parcel's contents.
func (db *DB) PackParcel(ctx context.Context, tenantID, warehouseID, parcelID int64, barcodes []string) (*yuncang.Parcel, error) {
	if len(barcodes) == 0 {
		return nil, yuncang.Invalid("barcodes", "scan every item")
	}
	if len(barcodes) > 100_000 {
		return nil, yuncang.Invalid("barcodes", "too many scans")
	}
	var out *yuncang.Parcel
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.parcelIn(ctx, tx, tenantID, warehouseID, parcelID)
		if err != nil {
			return err
		}
		if p.Status != yuncang.ParcelPicked {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("the parcel is %s: only picked parcels are packed", p.Status)}
		}
		skus, err := db.skusOf(ctx, tx, tenantID)
		if err != nil {
			return err
		}
		byCode := map[string]*skuInfo{}
		for _, s := range skus {
			byCode[s.code] = s
		}
		want := map[string]int{}
		codeOf := map[string]string{}
		for _, l := range p.Lines {
			s := byCode[l.SKUCode]
			want[s.barcode] += l.Quantity
			codeOf[s.barcode] = l.SKUCode
		}
		got := map[string]int{}
		for i, b := range barcodes {
			if _, ok := want[b]; !ok {
				return yuncang.Invalid(fmt.Sprintf("barcodes[%d]", i), "wrong item: this barcode is not in the parcel")
			}
			got[b]++
			if got[b] > want[b] {
				return yuncang.Invalid(fmt.Sprintf("barcodes[%d]", i), "one too many of %s: the parcel holds %d", codeOf[b], want[b])
			}
		}
		var missing []string
		for b, n := range want {
			if got[b] < n {
				missing = append(missing, fmt.Sprintf("%s %d of %d", codeOf[b], got[b], n))
			}
		}
		if len(missing) > 0 {
			sort.Strings(missing)
			return yuncang.Invalid("barcodes", "items missing: scanned %v", missing)
		}
		if err := db.setParcelStatus(ctx, tx, p, yuncang.ParcelPacked, "scanned"); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// weighTolerance is how far a parcel's net weight may be from its goods':
// 5%, and at least 50 g (scales, labels, tape).
func weighTolerance(expected int) int { return max(50, expected*5/100) }

// WeighParcel checks a packed parcel's net weight (gross minus the box).
func (db *DB) WeighParcel(ctx context.Context, tenantID, warehouseID, parcelID int64, grossG, tareG int) (*yuncang.Parcel, error) {
	if grossG <= 0 || grossG > 1_000_000_000 {
		return nil, yuncang.Invalid("gross_g", "must be a positive weight in grams")
	}
	if tareG < 0 || tareG >= grossG {
		return nil, yuncang.Invalid("tare_g", "must be at least 0 and less than the gross weight")
	}
	var out *yuncang.Parcel
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.parcelIn(ctx, tx, tenantID, warehouseID, parcelID)
		if err != nil {
			return err
		}
		if p.Status != yuncang.ParcelPacked && p.Status != yuncang.ParcelWeighed {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("the parcel is %s: weigh it after packing", p.Status)}
		}
		net, tol := grossG-tareG, weighTolerance(p.WeightG)
		if net < p.WeightG-tol || net > p.WeightG+tol {
			return yuncang.Invalid("gross_g", "net %d g is outside %d ± %d g: check the contents", net, p.WeightG, tol)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE parcels SET weighed_g = ? WHERE id = ?`), net, p.ID); err != nil {
			return wrapf(err, "record weight")
		}
		p.WeighedG = net
		if err := db.setParcelStatus(ctx, tx, p, yuncang.ParcelWeighed, "weighed"); err != nil {
			return err
		}
		if err := db.syncOrder(ctx, tx, tenantID, p.OrderID, yuncang.RefOf("parcel", p.ID)); err != nil {
			return err
		}
		out = p
		return nil
	})
	return out, err
}

// ShippableParcel returns a parcel ready for its label: weighed (or already
// shipped, for a reprint decision), with carrier, weight, origin and the
// destination province and city. It holds no recipient data.
func (db *DB) ShippableParcel(ctx context.Context, tenantID, parcelID int64) (*yuncang.Parcel, error) {
	p, err := db.parcelByID(ctx, db.r, tenantID, parcelID)
	if err != nil {
		return nil, err
	}
	if p.Status != yuncang.ParcelWeighed && p.Status != yuncang.ParcelShipped {
		return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("the parcel is %s: only weighed parcels ship", p.Status)}
	}
	return p, nil
}

// ShipParcel books a weighed parcel out of the warehouse.
func (db *DB) ShipParcel(ctx context.Context, tenantID, parcelID int64, s yuncang.ShipInput) (*yuncang.Parcel, error) {
	if s.WaybillNo == "" {
		return nil, yuncang.Invalid("waybill_no", "is required")
	}
	if err := validCodeField("waybill_no", s.WaybillNo); err != nil {
		return nil, err
	}
	var out *yuncang.Parcel
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.parcelByID(ctx, tx, tenantID, parcelID)
		if err != nil {
			return err
		}
		if p.Status == yuncang.ParcelShipped && p.WaybillNo == s.WaybillNo {
			out = p
			return nil // a repeat
		}
		if p.Status != yuncang.ParcelWeighed {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("the parcel is %s: only packed and weighed parcels ship", p.Status)}
		}
		var orderStatus string
		if err := tx.QueryRowContext(ctx, db.q(`SELECT status FROM orders WHERE id = ? AND tenant_id = ?`), p.OrderID, tenantID).Scan(&orderStatus); err != nil {
			return wrapf(err, "read order")
		}
		if orderStatus != yuncang.OrderPicking && orderStatus != yuncang.OrderPacked {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the order is " + orderStatus + ": it does not ship"}
		}
		var pack int64
		if err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM locations WHERE warehouse_id = ? AND code = ?`), p.WarehouseID, yuncang.LocPack).Scan(&pack); err != nil {
			return wrapf(err, "find pack station")
		}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT sku_id, lot, SUM(qty) FROM pick_tasks WHERE parcel_id = ? GROUP BY sku_id, lot ORDER BY sku_id, lot`), p.ID)
		if err != nil {
			return wrapf(err, "read picks")
		}
		type shipLine struct {
			sku int64
			lot string
			qty int
		}
		var outs []shipLine
		for rows.Next() {
			var o shipLine
			if err := rows.Scan(&o.sku, &o.lot, &o.qty); err != nil {
				rows.Close()
				return wrapf(err, "scan pick")
			}
			outs = append(outs, o)
		}
		rows.Close()
		ref := yuncang.RefOf("parcel", p.ID)
		for _, o := range outs {
			ok, err := db.takeFrom(ctx, tx, pack, o.sku, o.lot, o.qty, true)
			if err != nil {
				return err
			}
			if !ok {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the pack station does not hold this parcel's goods"}
			}
			if err := db.book(ctx, tx, move{tenant: tenantID, wh: p.WarehouseID, sku: o.sku, loc: pack, lot: o.lot, kind: yuncang.MoveShip, ref: ref,
				dOnHand: -o.qty, dReserved: -o.qty, dQty: -o.qty, applied: true}); err != nil {
				return err
			}
		}
		now := db.now()
		due := dueAt(now, p.Days)
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE parcels SET waybill_no = ?, shipped_at = ?, due_at = ? WHERE id = ?`),
			s.WaybillNo, micros(now), micros(due), p.ID); err != nil {
			return wrapf(err, "record shipment")
		}
		p.WaybillNo, p.ShippedAt, p.DueAt = s.WaybillNo, now.UTC(), due.UTC()
		if err := db.setParcelStatus(ctx, tx, p, yuncang.ParcelShipped, "shipped"); err != nil {
			return err
		}
		if err := db.syncOrder(ctx, tx, tenantID, p.OrderID, ref); err != nil {
			return err
		}
		if p.WaveID != 0 {
			var left int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM parcels WHERE wave_id = ? AND status NOT IN ('shipped', 'delivered')`), p.WaveID).Scan(&left); err != nil {
				return wrapf(err, "count wave parcels")
			}
			if left == 0 {
				if _, err := tx.ExecContext(ctx, db.q(`UPDATE waves SET status = ? WHERE id = ?`), yuncang.WaveDone, p.WaveID); err != nil {
					return wrapf(err, "close wave")
				}
			}
		}
		out = p
		return nil
	})
	return out, err
}

// dueAt is the end of the Beijing day the carrier promised to deliver by.
func dueAt(shipped time.Time, days int) time.Time {
	t := shipped.In(beijing)
	return time.Date(t.Year(), t.Month(), t.Day()+days, 23, 59, 59, 0, beijing)
}

// DeliverParcel records a parcel's delivery (a carrier's tracking event).
func (db *DB) DeliverParcel(ctx context.Context, tenantID, parcelID int64, at time.Time) (*yuncang.Parcel, error) {
	var out *yuncang.Parcel
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.parcelByID(ctx, tx, tenantID, parcelID)
		if err != nil {
			return err
		}
		if p.Status == yuncang.ParcelDelivered {
			out = p
			return nil
		}
		if p.Status != yuncang.ParcelShipped {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("the parcel is %s: only shipped parcels are delivered", p.Status)}
		}
		if at.IsZero() {
			at = db.now()
		}
		if at.Before(p.ShippedAt) {
			return yuncang.Invalid("at", "is before the parcel shipped")
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE parcels SET delivered_at = ? WHERE id = ?`), micros(at), p.ID); err != nil {
			return wrapf(err, "record delivery")
		}
		p.DeliveredAt = at.UTC()
		if err := db.setParcelStatus(ctx, tx, p, yuncang.ParcelDelivered, "delivered"); err != nil {
			return err
		}
		out = p
		return db.syncOrder(ctx, tx, tenantID, p.OrderID, yuncang.RefOf("parcel", p.ID))
	})
	return out, err
}
