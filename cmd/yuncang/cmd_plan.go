package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/yuncang/yuncang/plan"
)

func init() {
	register("plan", "plan orders: warehouse split and carriers, from JSON", runPlan)
}

func runPlan(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("plan", "plan [--in FILE] [--greedy] [--strategy S] [--pretty]\n\n"+
		"Reads a planning problem (warehouses, SKUs, stock, carriers, penalties, orders) as\n"+
		"JSON from FILE or stdin and prints the plan as JSON: for each order its parcels,\n"+
		"warehouses, carriers, costs in fen and an explanation, or the reason it cannot be\n"+
		"fulfilled. The format is documented in docs/plan.md.", s)
	in := fs.String("in", "", "read the problem from `FILE` instead of stdin")
	greedy := fs.Bool("greedy", false, "use the greedy baseline: nearest warehouse, one carrier per province, first-fit parcels")
	strategy := fs.String("strategy", "auto", "auto (exact search within a budget, heuristic beyond), exact, or heuristic")
	budget := fs.Int("budget", plan.DefaultNodeBudget, "search nodes per order for --strategy auto")
	pretty := fs.Bool("pretty", false, "indent the JSON output")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	opts := plan.Options{Strategy: plan.Strategy(*strategy), NodeBudget: *budget}
	if *greedy {
		if *strategy != "auto" {
			return fmt.Errorf("--greedy and --strategy %s contradict each other", *strategy)
		}
		opts.Strategy = plan.GreedyBaseline
	}
	var r io.Reader = s.in
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	p, err := plan.Decode(r)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	result, err := plan.Solve(p, opts)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(s.out)
	enc.SetEscapeHTML(false)
	if *pretty {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(result); err != nil {
		return err
	}
	if n := result.Summary.Unfulfilled; n > 0 {
		// Not a failure: the plan is complete and says why for each order.
		fmt.Fprintf(s.err, "%d of %d orders cannot be fulfilled; see their reason and message\n", n, result.Summary.Orders)
	}
	return nil
}
