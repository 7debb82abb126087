package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/yuncang/yuncang"
)

// Planning storage: the planning configuration's rows, the orders and free
// stock the allocate service plans with, and the transaction it commits one
// order's plan in. The rules (what is allocated, where, why not) are the
// allocate package's.

// StorePlanningConfig stores a tenant's planning configuration (the
// allocate service validated it).
func (db *DB) StorePlanningConfig(ctx context.Context, tenantID int64, body []byte) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO planning_configs (tenant_id, body, user_id, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET body = excluded.body, user_id = excluded.user_id, updated_at = excluded.updated_at`),
		tenantID, string(body), userID(ctx), micros(db.now()))
	if err != nil {
		return wrapf(err, "store planning config")
	}
	return nil
}

// PlanningConfig returns the tenant's stored configuration; Default and no
// body when it has none.
func (db *DB) PlanningConfig(ctx context.Context, tenantID int64) (*yuncang.PlanningConfig, error) {
	c := &yuncang.PlanningConfig{TenantID: tenantID}
	var body string
	var at int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT body, user_id, updated_at FROM planning_configs WHERE tenant_id = ?`), tenantID).Scan(&body, &c.UpdatedBy, &at)
	if isNoRows(err) {
		c.Default = true
		return c, nil
	} else if err != nil {
		return nil, wrapf(err, "read planning config")
	}
	c.Body, c.UpdatedAt = []byte(body), fromMicros(at)
	return c, nil
}

// beijing is UTC+8, the clock carriers' cut-offs and reports' days are given in.
var beijing = time.FixedZone("CST", 8*3600)

// AllocationCandidates loads the orders to allocate, oldest first: the ids
// given (any status: the caller checks), or every paid and back-ordered
// order (at most 500). Decoy orders come too, marked: asked for by id or
// swept up with the others, they must answer as real orders do, and the
// allocate service sees that they never take stock.
func (db *DB) AllocationCandidates(ctx context.Context, tenantID int64, ids []int64) ([]*yuncang.AllocationCandidate, error) {
	q := `SELECT o.id, o.status, o.province_code, o.city_code, CASE WHEN c.order_id IS NULL THEN 0 ELSE 1 END
		FROM orders o LEFT JOIN canaries c ON c.order_id = o.id WHERE o.tenant_id = ?`
	args := []any{tenantID}
	if len(ids) > 0 {
		q += ` AND o.id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	} else {
		q += ` AND o.status IN ('paid', 'backorder')`
	}
	q += ` ORDER BY o.id LIMIT 500`
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, wrapf(err, "list orders to allocate")
	}
	list, err := collect(rows, func(row interface{ Scan(...any) error }) (*yuncang.AllocationCandidate, error) {
		var o yuncang.AllocationCandidate
		var decoy int
		err := row.Scan(&o.ID, &o.Status, &o.ProvinceCode, &o.CityCode, &decoy)
		o.Decoy = decoy == 1
		return &o, err
	})
	if err != nil || len(list) == 0 {
		return nil, err
	}
	byID := map[int64]*yuncang.AllocationCandidate{}
	args2 := make([]any, len(list))
	for i, o := range list {
		byID[o.ID] = o
		args2[i] = o.ID
	}
	lrows, err := db.r.QueryContext(ctx, db.q(`SELECT order_id, sku_code, quantity FROM order_lines WHERE order_id IN (`+placeholders(len(args2))+`) ORDER BY order_id, line_no`), args2...)
	if err != nil {
		return nil, wrapf(err, "read order lines")
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
	return list, lrows.Err()
}

// FreeStock lists the tenant's unreserved stock per warehouse and SKU.
func (db *DB) FreeStock(ctx context.Context, tenantID int64) ([]yuncang.FreeStock, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT w.code, s.code, st.on_hand - st.reserved FROM stock st
		JOIN warehouses w ON w.id = st.warehouse_id JOIN skus s ON s.id = st.sku_id
		WHERE st.tenant_id = ? AND st.on_hand > st.reserved ORDER BY w.code, s.code`), tenantID)
	if err != nil {
		return nil, wrapf(err, "read free stock")
	}
	defer rows.Close()
	var out []yuncang.FreeStock
	for rows.Next() {
		var s yuncang.FreeStock
		if err := rows.Scan(&s.WarehouseCode, &s.SKUCode, &s.Qty); err != nil {
			return nil, wrapf(err, "scan stock")
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// InAllocationTx runs fn in one write transaction.
func (db *DB) InAllocationTx(ctx context.Context, fn func(tx yuncang.AllocationTx) error) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return fn(allocTx{db, tx}) })
}

// allocTx is yuncang.AllocationTx over one SQL transaction.
type allocTx struct {
	db *DB
	tx *sql.Tx
}

func (a allocTx) OrderStatus(ctx context.Context, tenantID, orderID int64) (string, error) {
	var st string
	if err := a.tx.QueryRowContext(ctx, a.db.q(`SELECT status FROM orders WHERE id = ? AND tenant_id = ?`), orderID, tenantID).Scan(&st); err != nil {
		return "", notFound(err, "order")
	}
	return st, nil
}

func (a allocTx) MoveOrder(ctx context.Context, tenantID, orderID int64, from, to string) (bool, error) {
	return a.db.setOrderStatus(ctx, a.tx, tenantID, orderID, from, to)
}

func (a allocTx) Reserve(ctx context.Context, tenantID, warehouseID, skuID int64, qty int, ref string) (bool, error) {
	return a.db.reserve(ctx, a.tx, tenantID, warehouseID, skuID, qty, ref)
}

func (a allocTx) AddParcel(ctx context.Context, tenantID, orderID int64, p *yuncang.PlannedParcel) (int64, error) {
	// A decoy never gets a parcel, so it never reaches a wave, a label or a
	// carrier, whatever a caller decided.
	if c, err := a.db.isCanaryTx(ctx, a.tx, orderID); err != nil {
		return 0, err
	} else if c {
		return 0, yuncang.Internal(nil, "refused a parcel for a decoy order")
	}
	now := micros(a.db.now())
	var pid int64
	err := a.tx.QueryRowContext(ctx, a.db.q(`INSERT INTO parcels (tenant_id, order_id, warehouse_id, carrier, temp, status, weight_g, volume_cm3, chargeable_g,
		cost_fen, days, explanation, province_code, city_code, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		tenantID, orderID, p.WarehouseID, p.Carrier, p.Temp, yuncang.ParcelAllocated, p.WeightG, p.VolumeCM3, p.ChargeableG,
		p.CostFen, p.Days, p.Explanation, p.ProvinceCode, p.CityCode, now, now).Scan(&pid)
	if err != nil {
		return 0, wrapf(err, "insert parcel")
	}
	for _, l := range p.Lines {
		if _, err := a.tx.ExecContext(ctx, a.db.q(`INSERT INTO parcel_lines (parcel_id, sku_id, qty) VALUES (?, ?, ?)`), pid, l.SKUID, l.Qty); err != nil {
			return 0, wrapf(err, "insert parcel line")
		}
	}
	return pid, nil
}

// planAlternative is an alternative as order_plans.alternatives holds it.
type planAlternative struct {
	Description string `json:"description"`
	CostFen     int64  `json:"cost_fen"`
}

func (a allocTx) StorePlan(ctx context.Context, tenantID, orderID int64, op *yuncang.OrderPlan) error {
	var as []planAlternative
	for _, x := range op.Alternatives {
		as = append(as, planAlternative{x.Description, x.CostFen})
	}
	alts, _ := json.Marshal(as)
	if _, err := a.tx.ExecContext(ctx, a.db.q(`INSERT INTO order_plans (order_id, tenant_id, method, freight_fen, penalty_fen, cost_fen, explanation, alternatives, reason, message, planned_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (order_id) DO UPDATE SET method = excluded.method, freight_fen = excluded.freight_fen, penalty_fen = excluded.penalty_fen,
			cost_fen = excluded.cost_fen, explanation = excluded.explanation, alternatives = excluded.alternatives, reason = excluded.reason,
			message = excluded.message, planned_at = excluded.planned_at`),
		orderID, tenantID, op.Method, op.FreightFen, op.PenaltyFen, op.CostFen, op.Explanation, string(alts), op.Reason, op.Message, micros(a.db.now())); err != nil {
		return wrapf(err, "store plan")
	}
	return nil
}

func (a allocTx) RecordChange(ctx context.Context, tenantID, orderID, parcelID int64, from, to, note string) error {
	return a.db.recordChange(ctx, a.tx, tenantID, orderID, parcelID, from, to, note)
}

// reserve promises qty units of a warehouse's stock to an order, only if
// that many are free: the one place that guards against overselling. The
// conditional update is atomic on both engines (PostgreSQL re-checks the
// condition on the locked row), so concurrent allocations cannot both
// take the last units.
func (db *DB) reserve(ctx context.Context, tx *sql.Tx, tenantID, wh, sku int64, qty int, ref string) (bool, error) {
	res, err := tx.ExecContext(ctx, db.q(`UPDATE stock SET reserved = reserved + ?, updated_at = ?
		WHERE warehouse_id = ? AND sku_id = ? AND tenant_id = ? AND on_hand - reserved >= ?`),
		qty, micros(db.now()), wh, sku, tenantID, qty)
	if err != nil {
		return false, wrapf(err, "reserve stock")
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return false, err
	}
	_, err = tx.ExecContext(ctx, db.q(`INSERT INTO stock_moves (tenant_id, warehouse_id, sku_id, location_id, lot, kind, d_on_hand, d_reserved, d_qty, ref, user_id, at)
		VALUES (?, ?, ?, NULL, '', ?, 0, ?, 0, ?, ?, ?)`), tenantID, wh, sku, yuncang.MoveReserve, qty, ref, userID(ctx), micros(db.now()))
	if err != nil {
		return false, wrapf(err, "append reservation")
	}
	return true, nil
}
