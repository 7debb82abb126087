package allocate

import (
	"context"
	"errors"
	"sort"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/plan"
)

// errStale means the stock a plan counted on is gone: nothing was changed
// and the order is planned again.
var errStale = errors.New("stock changed since planning")

// errMoved means someone else allocated or cancelled the order meanwhile:
// nothing was changed and there is nothing to do.
var errMoved = errors.New("order moved meanwhile")

// reservation is a quantity of one SKU to take from one warehouse.
type reservation struct {
	warehouse, sku int64
	qty            int
}

// reservations sums an order plan's parcels per warehouse and SKU, in one
// lock order for every transaction (warehouse, then SKU): no deadlocks on
// PostgreSQL.
func reservations(op *plan.OrderPlan, ix index) []reservation {
	type k struct{ wh, sku int64 }
	need := map[k]int{}
	for _, pc := range op.Parcels {
		for _, l := range pc.Lines {
			need[k{ix.warehouse[pc.Warehouse], ix.sku[l.SKU]}] += l.Qty
		}
	}
	out := make([]reservation, 0, len(need))
	for x, q := range need {
		out = append(out, reservation{x.wh, x.sku, q})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].warehouse < out[j].warehouse || out[i].warehouse == out[j].warehouse && out[i].sku < out[j].sku
	})
	return out
}

// target is the status an order moves to with its plan.
func target(op *plan.OrderPlan) string {
	if op.Status == plan.StatusPlanned {
		return yuncang.OrderAllocated
	}
	return yuncang.OrderBackorder
}

// orderPlan is the plan as the order book keeps it.
func orderPlan(op *plan.OrderPlan) *yuncang.OrderPlan {
	out := &yuncang.OrderPlan{Method: op.Method, FreightFen: op.FreightFen, PenaltyFen: op.PenaltyFen, CostFen: op.CostFen,
		Explanation: op.Explanation, Reason: op.Reason, Message: op.Message}
	for _, a := range op.Alternatives {
		out.Alternatives = append(out.Alternatives, yuncang.PlanAlternative{Description: a.Description, CostFen: a.CostFen})
	}
	return out
}

// parcel is one planned box as storage records it.
func parcel(pc *plan.Parcel, o *yuncang.AllocationCandidate, ix index) *yuncang.PlannedParcel {
	out := &yuncang.PlannedParcel{WarehouseID: ix.warehouse[pc.Warehouse], Carrier: pc.Carrier, Temp: pc.Temp,
		WeightG: pc.WeightG, VolumeCM3: pc.VolumeCM3, ChargeableG: pc.ChargeableG, CostFen: pc.CostFen, Days: pc.Days,
		Explanation: pc.Explanation, ProvinceCode: o.ProvinceCode, CityCode: o.CityCode}
	for _, l := range pc.Lines {
		out.Lines = append(out.Lines, yuncang.PlannedLine{SKUID: ix.sku[l.SKU], Qty: l.Qty})
	}
	return out
}

// commit stores one order's plan and reserves its stock, or records why it
// cannot be fulfilled, in one transaction. errStale means the stock the
// plan counted on is gone: nothing was changed.
func (s *Service) commit(ctx context.Context, tenantID int64, o *yuncang.AllocationCandidate, op *plan.OrderPlan, ix index) error {
	err := s.Store.InAllocationTx(ctx, func(tx yuncang.AllocationTx) error {
		from, err := tx.OrderStatus(ctx, tenantID, o.ID)
		if err != nil {
			return err
		}
		to := target(op)
		if !yuncang.OrderCanMove(from, to) {
			return errMoved
		}
		if ok, err := tx.MoveOrder(ctx, tenantID, o.ID, from, to); err != nil {
			return err
		} else if !ok {
			return errMoved
		}
		if to == yuncang.OrderAllocated {
			ref := yuncang.RefOf("order", o.ID)
			for _, r := range reservations(op, ix) {
				ok, err := tx.Reserve(ctx, tenantID, r.warehouse, r.sku, r.qty, ref)
				if err != nil {
					return err
				}
				if !ok {
					return errStale
				}
			}
			for i := range op.Parcels {
				pid, err := tx.AddParcel(ctx, tenantID, o.ID, parcel(&op.Parcels[i], o, ix))
				if err != nil {
					return err
				}
				if err := tx.RecordChange(ctx, tenantID, o.ID, pid, "", yuncang.ParcelAllocated, "planned"); err != nil {
					return err
				}
			}
		}
		if err := tx.StorePlan(ctx, tenantID, o.ID, orderPlan(op)); err != nil {
			return err
		}
		note := "allocated"
		if to == yuncang.OrderBackorder {
			note = "unfulfilled:" + op.Reason
		}
		return tx.RecordChange(ctx, tenantID, o.ID, 0, from, to, note)
	})
	if errors.Is(err, errMoved) {
		return nil
	}
	return err
}
