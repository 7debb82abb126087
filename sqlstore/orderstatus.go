package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/yuncang/yuncang"
)

// setOrderStatus moves an order from one status to another if it is still
// in the first: concurrent writers cannot both make the same move.
func (db *DB) setOrderStatus(ctx context.Context, tx *sql.Tx, tenantID, orderID int64, from, to string) (bool, error) {
	res, err := tx.ExecContext(ctx, db.q(`UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND tenant_id = ? AND status = ?`),
		to, micros(db.now()), orderID, tenantID, from)
	if err != nil {
		return false, wrapf(err, "update order status")
	}
	n, err := res.RowsAffected()
	if err == nil && n == 1 {
		err = db.settleRetention(ctx, tx, tenantID, orderID, to)
	}
	return n == 1, err
}

// recordChange appends one transition to the order's history. Notes are
// made by the system or are reason codes: never free text a person typed.
func (db *DB) recordChange(ctx context.Context, tx *sql.Tx, tenantID, orderID, parcelID int64, from, to, note string) error {
	_, err := tx.ExecContext(ctx, db.q(`INSERT INTO order_status_history (tenant_id, order_id, parcel_id, from_status, to_status, user_id, note, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), tenantID, orderID, parcelID, from, to, userID(ctx), note, micros(db.now()))
	if err != nil {
		return wrapf(err, "record status change")
	}
	return nil
}

// setParcelStatus moves a parcel if it is still in from, and records it.
func (db *DB) setParcelStatus(ctx context.Context, tx *sql.Tx, p *yuncang.Parcel, to, note string) error {
	if !yuncang.ParcelCanMove(p.Status, to) {
		return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("a %s parcel cannot become %s", p.Status, to)}
	}
	res, err := tx.ExecContext(ctx, db.q(`UPDATE parcels SET status = ?, updated_at = ? WHERE id = ? AND status = ?`), to, micros(db.now()), p.ID, p.Status)
	if err != nil {
		return wrapf(err, "update parcel status")
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the parcel changed meanwhile; reload it"}
	}
	from := p.Status
	p.Status = to
	return db.recordChange(ctx, tx, p.TenantID, p.OrderID, p.ID, from, to, note)
}

var parcelStage = map[string]int{yuncang.ParcelAllocated: 0, yuncang.ParcelWaved: 1, yuncang.ParcelPicked: 2, yuncang.ParcelPacked: 3,
	yuncang.ParcelWeighed: 4, yuncang.ParcelShipped: 5, yuncang.ParcelDelivered: 6}

// syncOrder derives the order's status from its parcels after one of them
// moved: picking once any is in a wave, packed when all are weighed,
// shipped when all have left, delivered when all have arrived.
func (db *DB) syncOrder(ctx context.Context, tx *sql.Tx, tenantID, orderID int64, note string) error {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT status FROM parcels WHERE order_id = ? AND tenant_id = ? AND status <> 'cancelled'`), orderID, tenantID)
	if err != nil {
		return wrapf(err, "read parcels")
	}
	lo, hi, n := 99, -1, 0
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return wrapf(err, "scan parcel")
		}
		st := parcelStage[s]
		lo, hi, n = min(lo, st), max(hi, st), n+1
	}
	rows.Close()
	if n == 0 {
		return nil
	}
	var want string
	switch {
	case lo >= 6:
		want = yuncang.OrderDelivered
	case lo >= 5:
		want = yuncang.OrderShipped
	case lo >= 4:
		want = yuncang.OrderPacked
	case hi >= 1:
		want = yuncang.OrderPicking
	default:
		want = yuncang.OrderAllocated
	}
	var cur string
	if err := tx.QueryRowContext(ctx, db.q(`SELECT status FROM orders WHERE id = ? AND tenant_id = ?`), orderID, tenantID).Scan(&cur); err != nil {
		return wrapf(err, "read order")
	}
	if cur == want {
		return nil
	}
	if !yuncang.OrderCanMove(cur, want) {
		return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("the order is %s and cannot become %s", cur, want)}
	}
	if ok, err := db.setOrderStatus(ctx, tx, tenantID, orderID, cur, want); err != nil {
		return err
	} else if !ok {
		return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the order changed meanwhile; try again"}
	}
	return db.recordChange(ctx, tx, tenantID, orderID, 0, cur, want, note)
}

// validReason accepts short reason codes only: a note typed by a person
// could hold personal data, and these tables must never.
func validReason(s string) error {
	if len(s) > 40 {
		return yuncang.Invalid("reason", "is longer than 40 characters")
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r == '_') {
			return yuncang.Invalid("reason", "must be a reason code of lower-case letters and '_', e.g. customer_request")
		}
	}
	return nil
}

// TransitionOrder pays or cancels an order. Cancelling releases the stock
// its parcels reserved.
func (db *DB) TransitionOrder(ctx context.Context, tenantID, orderID int64, to, reason string) (*yuncang.OrderState, error) {
	if to != yuncang.OrderPaid && to != yuncang.OrderCancelled {
		return nil, yuncang.Invalid("status", "can be set to paid or cancelled; the warehouse moves orders through the other statuses")
	}
	if err := validReason(reason); err != nil {
		return nil, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRowContext(ctx, db.q(`SELECT status FROM orders WHERE id = ? AND tenant_id = ?`), orderID, tenantID).Scan(&from); err != nil {
			return notFound(err, "order")
		}
		if from == to {
			return nil // a repeat
		}
		if !yuncang.OrderCanMove(from, to) {
			msg := fmt.Sprintf("an order that is %s cannot become %s", from, to)
			if to == yuncang.OrderCancelled {
				msg += ": its goods are off the shelf, handle it as a return"
			}
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: msg}
		}
		if ok, err := db.setOrderStatus(ctx, tx, tenantID, orderID, from, to); err != nil {
			return err
		} else if !ok {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the order changed meanwhile; try again"}
		}
		if to == yuncang.OrderCancelled {
			parcels, err := db.parcelsOf(ctx, tx, tenantID, orderID)
			if err != nil {
				return err
			}
			for _, p := range parcels {
				if p.Status == yuncang.ParcelCancelled {
					continue
				}
				if err := db.releaseParcel(ctx, tx, p); err != nil {
					return err
				}
				if err := db.setParcelStatus(ctx, tx, p, yuncang.ParcelCancelled, "order_cancelled"); err != nil {
					return err
				}
			}
		}
		return db.recordChange(ctx, tx, tenantID, orderID, 0, from, to, reason)
	})
	if err != nil {
		return nil, err
	}
	return db.OrderState(ctx, tenantID, orderID)
}

// releaseParcel gives an allocated parcel's reservation back.
func (db *DB) releaseParcel(ctx context.Context, tx *sql.Tx, p *yuncang.Parcel) error {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT sku_id, qty FROM parcel_lines WHERE parcel_id = ? ORDER BY sku_id`), p.ID)
	if err != nil {
		return wrapf(err, "read parcel lines")
	}
	type line struct {
		sku int64
		qty int
	}
	var ls []line
	for rows.Next() {
		var l line
		if err := rows.Scan(&l.sku, &l.qty); err != nil {
			rows.Close()
			return wrapf(err, "scan parcel line")
		}
		ls = append(ls, l)
	}
	rows.Close()
	for _, l := range ls {
		if err := db.book(ctx, tx, move{tenant: p.TenantID, wh: p.WarehouseID, sku: l.sku, kind: yuncang.MoveRelease,
			ref: yuncang.RefOf("order", p.OrderID), dReserved: -l.qty}); err != nil {
			return err
		}
	}
	return nil
}

const parcelCols = `p.id, p.tenant_id, p.order_id, p.warehouse_id, w.code, p.carrier, p.temp, p.status, p.weight_g, p.volume_cm3, p.chargeable_g,
	p.cost_fen, p.days, p.explanation, COALESCE(p.wave_id, 0), p.weighed_g, p.waybill_no, p.province_code, p.city_code, p.shipped_at, p.due_at, p.delivered_at`

// parcelsWhere loads parcels with their lines.
func (db *DB) parcelsWhere(ctx context.Context, q rowQuerier, where string, args ...any) ([]*yuncang.Parcel, error) {
	rows, err := q.QueryContext(ctx, db.q(`SELECT `+parcelCols+` FROM parcels p JOIN warehouses w ON w.id = p.warehouse_id WHERE `+where+` ORDER BY p.id`), args...)
	if err != nil {
		return nil, wrapf(err, "read parcels")
	}
	ps, err := collect(rows, func(row interface{ Scan(...any) error }) (*yuncang.Parcel, error) {
		var p yuncang.Parcel
		var shipped, due, delivered int64
		err := row.Scan(&p.ID, &p.TenantID, &p.OrderID, &p.WarehouseID, &p.Warehouse, &p.Carrier, &p.Temp, &p.Status, &p.WeightG, &p.VolumeCM3, &p.ChargeableG,
			&p.CostFen, &p.Days, &p.Explanation, &p.WaveID, &p.WeighedG, &p.WaybillNo, &p.ProvinceCode, &p.CityCode, &shipped, &due, &delivered)
		p.ShippedAt, p.DueAt, p.DeliveredAt = fromMicros(shipped), fromMicros(due), fromMicros(delivered)
		return &p, err
	})
	if err != nil || len(ps) == 0 {
		return ps, err
	}
	byID := map[int64]*yuncang.Parcel{}
	ids := make([]any, len(ps))
	for i, p := range ps {
		byID[p.ID] = p
		ids[i] = p.ID
	}
	lrows, err := q.QueryContext(ctx, db.q(`SELECT pl.parcel_id, s.code, pl.qty FROM parcel_lines pl JOIN skus s ON s.id = pl.sku_id
		WHERE pl.parcel_id IN (`+placeholders(len(ids))+`) ORDER BY pl.parcel_id, s.code`), ids...)
	if err != nil {
		return nil, wrapf(err, "read parcel lines")
	}
	defer lrows.Close()
	for lrows.Next() {
		var id int64
		var l yuncang.OrderLine
		if err := lrows.Scan(&id, &l.SKUCode, &l.Quantity); err != nil {
			return nil, wrapf(err, "scan parcel line")
		}
		byID[id].Lines = append(byID[id].Lines, l)
	}
	return ps, lrows.Err()
}

func (db *DB) parcelsOf(ctx context.Context, q rowQuerier, tenantID, orderID int64) ([]*yuncang.Parcel, error) {
	return db.parcelsWhere(ctx, q, `p.tenant_id = ? AND p.order_id = ?`, tenantID, orderID)
}

func (db *DB) parcelByID(ctx context.Context, q rowQuerier, tenantID, id int64) (*yuncang.Parcel, error) {
	ps, err := db.parcelsWhere(ctx, q, `p.tenant_id = ? AND p.id = ?`, tenantID, id)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "parcel not found")
	}
	return ps[0], nil
}

// Parcel returns one of the tenant's parcels.
func (db *DB) Parcel(ctx context.Context, tenantID, id int64) (*yuncang.Parcel, error) {
	return db.parcelByID(ctx, db.r, tenantID, id)
}

// OrderState returns an order's fulfilment: status, plan, parcels, history.
func (db *DB) OrderState(ctx context.Context, tenantID, orderID int64) (*yuncang.OrderState, error) {
	st := &yuncang.OrderState{OrderID: orderID, TenantID: tenantID}
	d := &st.Destination
	err := db.r.QueryRowContext(ctx, db.q(`SELECT merchant_order_id, status, province, province_code, city, city_code, district, district_code, street, street_code
		FROM orders WHERE id = ? AND tenant_id = ?`), orderID, tenantID).
		Scan(&st.MerchantOrderID, &st.Status, &d.Province, &d.ProvinceCode, &d.City, &d.CityCode, &d.District, &d.DistrictCode, &d.Street, &d.StreetCode)
	if err != nil {
		return nil, notFound(err, "order")
	}
	var pl yuncang.OrderPlan
	var alts string
	var at int64
	err = db.r.QueryRowContext(ctx, db.q(`SELECT method, freight_fen, penalty_fen, cost_fen, explanation, alternatives, reason, message, planned_at
		FROM order_plans WHERE order_id = ? AND tenant_id = ?`), orderID, tenantID).
		Scan(&pl.Method, &pl.FreightFen, &pl.PenaltyFen, &pl.CostFen, &pl.Explanation, &alts, &pl.Reason, &pl.Message, &at)
	if err == nil {
		pl.PlannedAt = fromMicros(at)
		var as []struct {
			Description string `json:"description"`
			CostFen     int64  `json:"cost_fen"`
		}
		json.Unmarshal([]byte(alts), &as)
		for _, a := range as {
			pl.Alternatives = append(pl.Alternatives, yuncang.PlanAlternative{Description: a.Description, CostFen: a.CostFen})
		}
		st.Plan = &pl
	} else if !isNoRows(err) {
		return nil, wrapf(err, "read plan")
	}
	if st.Parcels, err = db.parcelsOf(ctx, db.r, tenantID, orderID); err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT parcel_id, from_status, to_status, at, user_id, note FROM order_status_history
		WHERE tenant_id = ? AND order_id = ? ORDER BY id`), tenantID, orderID)
	if err != nil {
		return nil, wrapf(err, "read history")
	}
	st.History, err = collect(rows, func(row interface{ Scan(...any) error }) (yuncang.StatusChange, error) {
		var c yuncang.StatusChange
		var at int64
		err := row.Scan(&c.ParcelID, &c.From, &c.To, &at, &c.UserID, &c.Note)
		c.At = fromMicros(at)
		return c, err
	})
	return st, err
}
