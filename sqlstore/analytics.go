package sqlstore

import (
	"context"
	"sort"

	"github.com/yuncang/yuncang"
)

// LogisticsStats aggregates shipped parcels by Beijing day and one
// dimension. It reads parcels, merchants, warehouses and the destination
// province only: nothing here can carry recipient data.
func (db *DB) LogisticsStats(ctx context.Context, f yuncang.StatsFilter) ([]*yuncang.StatsRow, error) {
	switch f.GroupBy {
	case "", yuncang.DimMerchant, yuncang.DimWarehouse, yuncang.DimCarrier, yuncang.DimProvince:
	default:
		return nil, yuncang.Invalid("group_by", "must be merchant, warehouse, carrier or province")
	}
	if f.To.IsZero() {
		f.To = db.now()
	}
	if f.From.IsZero() {
		f.From = f.To.AddDate(0, 0, -30)
	}
	if !f.From.Before(f.To) {
		return nil, yuncang.Invalid("from", "must be before to")
	}
	if f.To.Sub(f.From).Hours() > 24*400 {
		return nil, yuncang.Invalid("from", "the range is at most 400 days")
	}
	q := `SELECT p.order_id, t.code, w.code, p.carrier, p.province_code, o.province, p.cost_fen, p.weight_g, p.shipped_at, p.due_at, p.delivered_at,
		(SELECT COUNT(*) FROM parcels p2 WHERE p2.order_id = p.order_id AND p2.status <> 'cancelled')
		FROM parcels p JOIN tenants t ON t.id = p.tenant_id JOIN warehouses w ON w.id = p.warehouse_id JOIN orders o ON o.id = p.order_id
		WHERE p.shipped_at >= ? AND p.shipped_at < ? AND p.status IN ('shipped', 'delivered')`
	args := []any{micros(f.From), micros(f.To)}
	if f.TenantID != 0 {
		q += ` AND p.tenant_id = ?`
		args = append(args, f.TenantID)
	}
	if f.WarehouseID != 0 {
		q += ` AND p.warehouse_id = ?`
		args = append(args, f.WarehouseID)
	}
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, wrapf(err, "query logistics")
	}
	defer rows.Close()
	type key struct{ day, k string }
	acc := map[key]*yuncang.StatsRow{}
	orders := map[key]map[int64]bool{}
	for rows.Next() {
		var orderID int64
		var tenant, wh, carrier, prov, provName string
		var cost, weight, shipped, due, delivered int64
		var nParcels int
		if err := rows.Scan(&orderID, &tenant, &wh, &carrier, &prov, &provName, &cost, &weight, &shipped, &due, &delivered, &nParcels); err != nil {
			return nil, wrapf(err, "scan logistics")
		}
		day := fromMicros(shipped).In(beijing).Format("2006-01-02")
		k, name := "", ""
		switch f.GroupBy {
		case yuncang.DimMerchant:
			k = tenant
		case yuncang.DimWarehouse:
			k = wh
		case yuncang.DimCarrier:
			k = carrier
		case yuncang.DimProvince:
			k, name = prov, provName
		}
		r := acc[key{day, k}]
		if r == nil {
			r = &yuncang.StatsRow{Day: day, Key: k, Name: name}
			acc[key{day, k}] = r
			orders[key{day, k}] = map[int64]bool{}
		}
		r.Parcels++
		r.CostFen += cost
		r.WeightG += weight
		if delivered != 0 {
			r.Delivered++
			if delivered <= due {
				r.OnTime++
			}
		}
		if !orders[key{day, k}][orderID] {
			orders[key{day, k}][orderID] = true
			r.Orders++
			if nParcels > 1 {
				r.SplitOrders++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "logistics rows")
	}
	out := make([]*yuncang.StatsRow, 0, len(acc))
	for _, r := range acc {
		r.AvgCostFen = r.CostFen / int64(r.Parcels)
		if r.Orders > 0 {
			r.SplitRate = float64(r.SplitOrders) / float64(r.Orders)
		}
		if r.Delivered > 0 {
			r.OnTimeRate = float64(r.OnTime) / float64(r.Delivered)
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Day != out[j].Day {
			return out[i].Day < out[j].Day
		}
		return out[i].Key < out[j].Key
	})
	return out, nil
}
