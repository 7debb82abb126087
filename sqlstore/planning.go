package sqlstore

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/plan"
)

// The planning configuration is a plan.Problem document holding only the
// network a tenant buys: zones, carriers (coverage, limits, rate tables,
// cut-offs) and penalties. Warehouses, SKUs, stock and orders come from the
// database when orders are allocated.

var (
	defaultConfigOnce sync.Once
	defaultConfig     []byte
)

// DefaultPlanningConfig is the configuration a tenant without its own gets:
// the zones, five carriers and penalties of the plan package's generator
// (made-up but typical contract rates).
func DefaultPlanningConfig() []byte {
	defaultConfigOnce.Do(func() {
		g := plan.Generate(plan.GenConfig{Orders: 1, SKUs: 1})
		b, err := json.MarshalIndent(plan.Problem{Zones: g.Zones, Carriers: g.Carriers, Penalties: g.Penalties, Warehouses: []plan.Warehouse{}, SKUs: []plan.SKU{}, Stock: []plan.Stock{}, Orders: []plan.Order{}}, "", "  ")
		if err != nil {
			panic(err)
		}
		defaultConfig = b
	})
	return defaultConfig
}

// configCache keeps decoded configurations: strict decoding costs more
// than planning an order. Entries are keyed by the body's hash and the
// warehouses, and never modified (buildProblem copies before filling in).
var configCache struct {
	sync.Mutex
	m map[string]*plan.Problem
}

// decodeConfig parses a configuration strictly (unknown fields are errors
// naming their JSON path) and checks it against the warehouses.
func decodeConfig(body []byte, whs []*yuncang.Warehouse) (*plan.Problem, error) {
	h := sha256.New()
	h.Write(body)
	for _, w := range whs {
		fmt.Fprintf(h, "|%s:%s:%s", w.Code, w.ProvinceCode, w.CityCode)
	}
	key := string(h.Sum(nil))
	configCache.Lock()
	p := configCache.m[key]
	configCache.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := decodeConfigUncached(body, whs)
	if err != nil {
		return nil, err
	}
	configCache.Lock()
	if configCache.m == nil || len(configCache.m) > 256 {
		configCache.m = map[string]*plan.Problem{}
	}
	configCache.m[key] = p
	configCache.Unlock()
	return p, nil
}

func decodeConfigUncached(body []byte, whs []*yuncang.Warehouse) (*plan.Problem, error) {
	p, err := plan.Decode(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	switch {
	case len(p.Warehouses) > 0:
		return nil, yuncang.Invalid("warehouses", "come from the warehouse catalogue, not the planning configuration")
	case len(p.SKUs) > 0:
		return nil, yuncang.Invalid("skus", "come from the SKU catalogue, not the planning configuration")
	case len(p.Stock) > 0:
		return nil, yuncang.Invalid("stock", "comes from the stock ledger, not the planning configuration")
	case len(p.Orders) > 0:
		return nil, yuncang.Invalid("orders", "come from the order book, not the planning configuration")
	case len(p.Carriers) == 0:
		return nil, yuncang.Invalid("carriers", "at least one carrier is required")
	}
	p.Now = ""
	p.Warehouses = planWarehouses(whs)
	if err := plan.Validate(p); err != nil {
		return nil, err
	}
	return p, nil
}

func planWarehouses(whs []*yuncang.Warehouse) []plan.Warehouse {
	out := make([]plan.Warehouse, 0, len(whs))
	for _, w := range whs {
		if !mainland(w.ProvinceCode) {
			continue
		}
		out = append(out, plan.Warehouse{Code: w.Code, Name: w.Name, Province: w.ProvinceCode, City: w.CityCode})
	}
	return out
}

// mainland reports whether a province code is one of the 31 the planner knows.
func mainland(code string) bool {
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 2 {
		return false
	}
	switch {
	case n >= 11 && n <= 15, n >= 21 && n <= 23, n >= 31 && n <= 37, n >= 41 && n <= 46, n >= 50 && n <= 54, n >= 61 && n <= 65:
		return true
	}
	return false
}

// SetPlanningConfig validates and stores a tenant's planning configuration.
func (db *DB) SetPlanningConfig(ctx context.Context, tenantID int64, body []byte) error {
	if len(body) > 1<<20 {
		return yuncang.Invalid("body", "is larger than 1 MiB")
	}
	whs, err := db.Warehouses(ctx)
	if err != nil {
		return err
	}
	if _, err := decodeConfig(body, whs); err != nil {
		return err
	}
	_, err = db.w.ExecContext(ctx, db.q(`INSERT INTO planning_configs (tenant_id, body, user_id, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET body = excluded.body, user_id = excluded.user_id, updated_at = excluded.updated_at`),
		tenantID, string(body), userID(ctx), micros(db.now()))
	if err != nil {
		return wrapf(err, "store planning config")
	}
	return nil
}

// PlanningConfig returns the tenant's configuration, or the default.
func (db *DB) PlanningConfig(ctx context.Context, tenantID int64) (*yuncang.PlanningConfig, error) {
	c := &yuncang.PlanningConfig{TenantID: tenantID}
	var body string
	var at int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT body, user_id, updated_at FROM planning_configs WHERE tenant_id = ?`), tenantID).Scan(&body, &c.UpdatedBy, &at)
	if isNoRows(err) {
		c.Body, c.Default = DefaultPlanningConfig(), true
		return c, nil
	} else if err != nil {
		return nil, wrapf(err, "read planning config")
	}
	c.Body, c.UpdatedAt = []byte(body), fromMicros(at)
	return c, nil
}

// pendingOrder is an order waiting for allocation, as the planner needs it.
type pendingOrder struct {
	id                 int64
	status             string
	province, cityCode string
	lines              []yuncang.OrderLine
}

var errStale = errors.New("stock changed since planning")

// maxAllocRounds bounds re-planning when other allocations take the stock
// a plan counted on. Each failed round means another order got the units,
// so rounds are bounded by the contention, not by luck.
const maxAllocRounds = 64

// beijing is UTC+8, the clock carriers' cut-offs are given in.
var beijing = time.FixedZone("CST", 8*3600)

// AllocateOrders plans and reserves, sharing scarce stock as the
// merchant's planning configuration says ("batch": arrival order unless it
// chooses joint or bounded).
func (db *DB) AllocateOrders(ctx context.Context, tenantID int64, ids []int64) ([]*yuncang.OrderState, error) {
	return db.AllocateBatch(ctx, tenantID, ids, nil)
}

// AllocateBatch is AllocateOrders with the batch policy of this one run (a
// wave of orders) instead of the merchant's: nil keeps the merchant's. The
// decision is plan.Solve's, in plain Go; storage only reads the orders and
// the free stock and reserves what the plan takes.
func (db *DB) AllocateBatch(ctx context.Context, tenantID int64, ids []int64, policy *plan.BatchPolicy) ([]*yuncang.OrderState, error) {
	var opts plan.Options
	if policy != nil {
		if err := policy.Validate(); err != nil {
			return nil, err
		}
		opts.Mode, opts.MaxPremiumPct = plan.Mode(policy.Mode), policy.MaxPremiumPct
	}
	if len(ids) > 500 {
		return nil, yuncang.Invalid("order_ids", "at most 500 orders per call")
	}
	cfg, err := db.PlanningConfig(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	whs, err := db.Warehouses(ctx)
	if err != nil {
		return nil, err
	}
	base, err := decodeConfig(cfg.Body, whs)
	if err != nil {
		// A stored configuration no longer fits the warehouses (one was added
		// in a province outside its zones): say so rather than plan wrongly.
		return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: "planning_config", Message: "the planning configuration does not fit the current warehouses: " + yuncang.ErrorMessage(err)}
	}
	whByCode := map[string]int64{}
	for _, w := range whs {
		whByCode[w.Code] = w.ID
	}
	pending, err := db.pendingOrders(ctx, tenantID, ids)
	if err != nil {
		return nil, err
	}
	skus, err := db.skusOf(ctx, db.r, tenantID)
	if err != nil {
		return nil, err
	}
	skuByCode := map[string]*skuInfo{}
	for _, s := range skus {
		skuByCode[s.code] = s
	}
	done := map[int64]bool{}
	for round := 0; len(pending) > 0 && round < maxAllocRounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, plannable, err := db.buildProblem(ctx, tenantID, base, whs, skus, pending)
		if err != nil {
			return nil, err
		}
		result, err := plan.Solve(p, opts)
		if err != nil {
			return nil, yuncang.Internal(err, "plan orders")
		}
		var retry []*pendingOrder
		stale := false
		pi := 0
		for _, o := range pending {
			var op *plan.OrderPlan
			if plannable[o.id] {
				op = &result.Orders[pi]
				pi++
			} else {
				op = &plan.OrderPlan{Status: plan.StatusUnfulfilled, Reason: "no_destination",
					Message: "the destination province is not one the carriers serve (or the address could not be placed)"}
			}
			if stale {
				// Later orders were planned against stock an earlier one failed
				// to take: plan them again.
				retry = append(retry, o)
				continue
			}
			err := db.commitPlan(ctx, tenantID, o, op, whByCode, skuByCode)
			switch {
			case errors.Is(err, errStale):
				stale = true
				retry = append(retry, o)
			case err != nil:
				return nil, err
			default:
				done[o.id] = true
			}
		}
		pending = retry
	}
	out := make([]*yuncang.OrderState, 0, len(ids))
	order, err := db.requestedOrder(ctx, tenantID, ids, done)
	if err != nil {
		return nil, err
	}
	for _, id := range order {
		st, err := db.OrderState(ctx, tenantID, id)
		if err != nil {
			return nil, err
		}
		if !done[id] && st.Plan == nil {
			st.Plan = &yuncang.OrderPlan{Reason: "contention", Message: "other allocations kept taking this stock; try again"}
		}
		out = append(out, st)
	}
	return out, nil
}

// requestedOrder lists the ids to report: those asked for, or those done.
func (db *DB) requestedOrder(ctx context.Context, tenantID int64, ids []int64, done map[int64]bool) ([]int64, error) {
	if len(ids) > 0 {
		return ids, nil
	}
	var out []int64
	for id := range done {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out, nil
}

// pendingOrders loads the orders to allocate, oldest first: the ids given
// (each must be the tenant's and waiting for stock), or every paid and
// back-ordered order (at most 500).
func (db *DB) pendingOrders(ctx context.Context, tenantID int64, ids []int64) ([]*pendingOrder, error) {
	q := `SELECT id, status, province_code, city_code FROM orders WHERE tenant_id = ?`
	args := []any{tenantID}
	// Decoy orders never enter fulfilment: asked for by id, they are not
	// found, as if they did not exist.
	q += ` AND id NOT IN (SELECT order_id FROM canaries)`
	if len(ids) > 0 {
		q += ` AND id IN (` + placeholders(len(ids)) + `)`
		for _, id := range ids {
			args = append(args, id)
		}
	} else {
		q += ` AND status IN ('paid', 'backorder')`
	}
	q += ` ORDER BY id LIMIT 500`
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, wrapf(err, "list orders to allocate")
	}
	list, err := collect(rows, func(row interface{ Scan(...any) error }) (*pendingOrder, error) {
		var o pendingOrder
		err := row.Scan(&o.id, &o.status, &o.province, &o.cityCode)
		return &o, err
	})
	if err != nil {
		return nil, err
	}
	if len(ids) > 0 {
		found := map[int64]*pendingOrder{}
		for _, o := range list {
			found[o.id] = o
		}
		for i, id := range ids {
			o := found[id]
			if o == nil {
				return nil, yuncang.Invalid(fmt.Sprintf("order_ids[%d]", i), "no such order")
			}
			if o.status != yuncang.OrderPaid && o.status != yuncang.OrderBackorder {
				return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: fmt.Sprintf("order_ids[%d]", i),
					Message: fmt.Sprintf("order %d is %s: only paid or back-ordered orders are allocated", id, o.status)}
			}
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	byID := map[int64]*pendingOrder{}
	args2 := make([]any, len(list))
	for i, o := range list {
		byID[o.id] = o
		args2[i] = o.id
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
		byID[id].lines = append(byID[id].lines, l)
	}
	return list, lrows.Err()
}

// buildProblem turns the configuration, the warehouses, the stock still
// free and the orders into a planning problem. Orders the planner cannot
// take (no mainland destination) are left out and reported by the caller.
func (db *DB) buildProblem(ctx context.Context, tenantID int64, base *plan.Problem, whs []*yuncang.Warehouse, skus map[int64]*skuInfo, orders []*pendingOrder) (*plan.Problem, map[int64]bool, error) {
	p := *base
	p.Now = db.now().In(beijing).Format("15:04")
	p.Warehouses = planWarehouses(whs)
	known := map[string]bool{}
	for _, w := range p.Warehouses {
		known[w.Code] = true
	}
	used := map[string]bool{}
	p.Orders = nil
	plannable := map[int64]bool{}
	for _, o := range orders {
		if !mainland(o.province) || len(o.lines) == 0 {
			continue
		}
		po := plan.Order{ID: strconv.FormatInt(o.id, 10), Province: o.province}
		if len(o.cityCode) == 4 && o.cityCode[:2] == o.province {
			po.City = o.cityCode
		}
		for _, l := range o.lines {
			po.Lines = append(po.Lines, plan.Line{SKU: l.SKUCode, Qty: l.Quantity})
			used[l.SKUCode] = true
		}
		p.Orders = append(p.Orders, po)
		plannable[o.id] = true
	}
	p.SKUs = nil
	for _, s := range skus {
		if used[s.code] {
			p.SKUs = append(p.SKUs, plan.SKU{Code: s.code, WeightG: s.weightG, VolumeCM3: s.volumeCM, Temp: s.temp})
		}
	}
	sort.Slice(p.SKUs, func(i, j int) bool { return p.SKUs[i].Code < p.SKUs[j].Code })
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT w.code, s.code, st.on_hand - st.reserved FROM stock st
		JOIN warehouses w ON w.id = st.warehouse_id JOIN skus s ON s.id = st.sku_id
		WHERE st.tenant_id = ? AND st.on_hand > st.reserved ORDER BY w.code, s.code`), tenantID)
	if err != nil {
		return nil, nil, wrapf(err, "read free stock")
	}
	defer rows.Close()
	p.Stock = nil
	for rows.Next() {
		var s plan.Stock
		if err := rows.Scan(&s.Warehouse, &s.SKU, &s.Qty); err != nil {
			return nil, nil, wrapf(err, "scan stock")
		}
		if known[s.Warehouse] && used[s.SKU] {
			p.Stock = append(p.Stock, s)
		}
	}
	return &p, plannable, rows.Err()
}

// commitPlan stores one order's plan and reserves its stock, or records why
// it cannot be fulfilled, in one transaction. errStale means the stock the
// plan counted on is gone: nothing was changed.
func (db *DB) commitPlan(ctx context.Context, tenantID int64, o *pendingOrder, op *plan.OrderPlan, whByCode map[string]int64, skuByCode map[string]*skuInfo) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var from string
		if err := tx.QueryRowContext(ctx, db.q(`SELECT status FROM orders WHERE id = ? AND tenant_id = ?`), o.id, tenantID).Scan(&from); err != nil {
			return notFound(err, "order")
		}
		to := yuncang.OrderBackorder
		if op.Status == plan.StatusPlanned {
			to = yuncang.OrderAllocated
		}
		if !yuncang.OrderCanMove(from, to) {
			return errRollback // someone else allocated or cancelled it meanwhile
		}
		if ok, err := db.setOrderStatus(ctx, tx, tenantID, o.id, from, to); err != nil {
			return err
		} else if !ok {
			return errRollback
		}
		now := micros(db.now())
		if to == yuncang.OrderAllocated {
			type k struct{ wh, sku int64 }
			need := map[k]int{}
			for _, pc := range op.Parcels {
				for _, l := range pc.Lines {
					need[k{whByCode[pc.Warehouse], skuByCode[l.SKU].id}] += l.Qty
				}
			}
			keys := make([]k, 0, len(need))
			for x := range need {
				keys = append(keys, x)
			}
			// One lock order for every transaction: no deadlocks on PostgreSQL.
			sort.Slice(keys, func(i, j int) bool {
				return keys[i].wh < keys[j].wh || keys[i].wh == keys[j].wh && keys[i].sku < keys[j].sku
			})
			ref := yuncang.RefOf("order", o.id)
			for _, x := range keys {
				ok, err := db.reserve(ctx, tx, tenantID, x.wh, x.sku, need[x], ref)
				if err != nil {
					return err
				}
				if !ok {
					return errStale
				}
			}
			for _, pc := range op.Parcels {
				var pid int64
				err := tx.QueryRowContext(ctx, db.q(`INSERT INTO parcels (tenant_id, order_id, warehouse_id, carrier, temp, status, weight_g, volume_cm3, chargeable_g,
					cost_fen, days, explanation, province_code, city_code, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
					tenantID, o.id, whByCode[pc.Warehouse], pc.Carrier, pc.Temp, yuncang.ParcelAllocated, pc.WeightG, pc.VolumeCM3, pc.ChargeableG,
					pc.CostFen, pc.Days, pc.Explanation, o.province, o.cityCode, now, now).Scan(&pid)
				if err != nil {
					return wrapf(err, "insert parcel")
				}
				for _, l := range pc.Lines {
					if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO parcel_lines (parcel_id, sku_id, qty) VALUES (?, ?, ?)`), pid, skuByCode[l.SKU].id, l.Qty); err != nil {
						return wrapf(err, "insert parcel line")
					}
				}
				if err := db.recordChange(ctx, tx, tenantID, o.id, pid, "", yuncang.ParcelAllocated, "planned"); err != nil {
					return err
				}
			}
		}
		alts, _ := json.Marshal(op.Alternatives)
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO order_plans (order_id, tenant_id, method, freight_fen, penalty_fen, cost_fen, explanation, alternatives, reason, message, planned_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (order_id) DO UPDATE SET method = excluded.method, freight_fen = excluded.freight_fen, penalty_fen = excluded.penalty_fen,
				cost_fen = excluded.cost_fen, explanation = excluded.explanation, alternatives = excluded.alternatives, reason = excluded.reason,
				message = excluded.message, planned_at = excluded.planned_at`),
			o.id, tenantID, op.Method, op.FreightFen, op.PenaltyFen, op.CostFen, op.Explanation, string(alts), op.Reason, op.Message, now); err != nil {
			return wrapf(err, "store plan")
		}
		note := "allocated"
		if to == yuncang.OrderBackorder {
			note = "unfulfilled:" + op.Reason
		}
		return db.recordChange(ctx, tx, tenantID, o.id, 0, from, to, note)
	})
	if err == errRollback {
		return nil
	}
	return err
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
