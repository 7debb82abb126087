package main

import (
	"context"
	"fmt"
	"time"

	"github.com/yuncang/yuncang/plan"
)

func init() { registerBench("plan", 30, benchPlan) }

// benchPlan measures the planner on generated instances (real provinces,
// five warehouses, five carriers; see plan.Generate):
//   - cost against the exact optimum on small orders (≤ 4 lines, ≤ 3 units a
//     line, ample stock so every order sees the same choices), for the
//     default planner and for its heuristic alone;
//   - cost against the greedy baseline on realistic orders (1–5 lines);
//   - planning speed, orders/s, against the greedy baseline's speed.
//
// Costs are compared over the orders both plans fulfil, as average yuan per
// order. Speeds start from the decoded Problem and include validation, which
// plan.Solve always does.
func benchPlan(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	const smallOrders, realOrders = 4000, 20000
	small := plan.Generate(plan.GenConfig{Seed: 7, Orders: smallOrders, MaxLines: 4, MaxQty: 3, StockFactor: 5})
	exact, err := plan.Solve(small, plan.Options{Strategy: plan.Exact})
	if err != nil {
		return nil, err
	}
	auto, err := plan.Solve(small, plan.Options{})
	if err != nil {
		return nil, err
	}
	heur, err := plan.Solve(small, plan.Options{Strategy: plan.Heuristic})
	if err != nil {
		return nil, err
	}
	var out []BenchResult
	a, e, n := compareCost(auto, exact)
	out = append(out, BenchResult{Name: "plan_cost_vs_optimum", Value: a, Unit: "yuan/order", Baseline: e, Ratio: a / e, Target: "<= 1.01",
		Note: fmt.Sprintf("default planner vs exhaustive search on %d small orders (%d fulfilled by both); %d of the planner's were proven exact", smallOrders, n, auto.Summary.Exact)})
	h, e, n := compareCost(heur, exact)
	out = append(out, BenchResult{Name: "plan_heuristic_vs_optimum", Value: h, Unit: "yuan/order", Baseline: e, Ratio: h / e, Target: "<= 1.01",
		Note: fmt.Sprintf("the fallback heuristic alone (no search) vs exhaustive search, %d orders", n)})

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	real := plan.Generate(plan.GenConfig{Seed: 11, Orders: realOrders})
	var bestAuto, bestGreedy float64
	var autoPlan, greedyPlan *plan.Plan
	for range o.rounds {
		start := time.Now()
		autoPlan, err = plan.Solve(real, plan.Options{})
		if err != nil {
			return nil, err
		}
		bestAuto = max(bestAuto, realOrders/time.Since(start).Seconds())
		start = time.Now()
		greedyPlan, err = plan.Greedy(real)
		if err != nil {
			return nil, err
		}
		bestGreedy = max(bestGreedy, realOrders/time.Since(start).Seconds())
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	a, g, n := compareCost(autoPlan, greedyPlan)
	out = append(out, BenchResult{Name: "plan_cost_vs_greedy", Value: a, Unit: "yuan/order", Baseline: g, Ratio: a / g, Target: "< 1",
		Note: fmt.Sprintf("%d realistic orders of 1–5 lines (%d fulfilled by both; %d unfulfillable for lack of stock, carrier or time): saving %.1f%% against nearest warehouse + fixed carrier + first-fit",
			realOrders, n, autoPlan.Summary.Unfulfilled, 100*(1-a/g))})
	out = append(out, BenchResult{Name: "plan_orders_per_s", Value: bestAuto, Unit: "orders/s", Baseline: bestGreedy, Ratio: bestAuto / bestGreedy, Target: ">= 10000 orders/s",
		Note: fmt.Sprintf("%d orders in one batch, one goroutine, validation included, best of %d rounds; baseline: the greedy planner in the same run", realOrders, o.rounds)})
	return out, nil
}

// compareCost returns the average cost per order, in yuan, of two plans of
// the same problem, over the orders both fulfil, and how many those are.
func compareCost(x, base *plan.Plan) (xYuan, baseYuan float64, n int) {
	var xs, bs int64
	for i := range x.Orders {
		if x.Orders[i].Status == plan.StatusPlanned && base.Orders[i].Status == plan.StatusPlanned {
			xs += x.Orders[i].CostFen
			bs += base.Orders[i].CostFen
			n++
		}
	}
	if n == 0 {
		return 0, 0, 0
	}
	return float64(xs) / 100 / float64(n), float64(bs) / 100 / float64(n), n
}
