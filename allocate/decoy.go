package allocate

import (
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/plan"
)

// decoyPlan is what allocation answers for a decoy order: the plan the
// planner gives a real order with the decoy's lines and destination when
// none of its goods are free — back-ordered, with the planner's own reason
// and message. Asked for by id or swept up with every paid order, a decoy
// so answers as a real back-ordered order does (status, plan, history),
// while it never takes stock, a parcel, a wave or a label. It is planned
// alone, so it changes no real order's plan.
func decoyPlan(base *plan.Problem, now time.Time, whs []*yuncang.Warehouse, skus []*yuncang.SKU, o *yuncang.AllocationCandidate, opts plan.Options) (*plan.OrderPlan, error) {
	p, plannable := problem(base, now, whs, skus, nil, []*yuncang.AllocationCandidate{o})
	if !plannable[o.ID] {
		return unplaceable(), nil
	}
	result, err := plan.Solve(p, opts)
	if err != nil {
		return nil, yuncang.Internal(err, "plan orders")
	}
	op := &result.Orders[0]
	if op.Status == plan.StatusPlanned || op.Reason == "" {
		// Without stock the planner cannot plan it; should it ever, the
		// decoy still takes nothing.
		op = &plan.OrderPlan{Status: plan.StatusUnfulfilled, Reason: plan.ReasonNoStock, Message: "not enough units left in all warehouses"}
	}
	return op, nil
}

// unplaceable is the plan of an order the planner cannot take: its
// destination is not one the carriers serve.
func unplaceable() *plan.OrderPlan {
	return &plan.OrderPlan{Status: plan.StatusUnfulfilled, Reason: "no_destination",
		Message: "the destination province is not one the carriers serve (or the address could not be placed)"}
}
