package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang/plan"
)

func init() {
	register("plan", "plan orders: warehouse split and carriers, from JSON", runPlan)
}

func runPlan(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("plan", "plan [--in FILE] [--greedy] [--strategy S] [--joint | --mode M [--max-premium X%]] [--pretty]\n\n"+
		"Reads a planning problem (warehouses, SKUs, stock, carriers, penalties, orders) as\n"+
		"JSON from FILE or stdin and prints the plan as JSON: for each order its parcels,\n"+
		"warehouses, carriers, costs in fen and an explanation, or the reason it cannot be\n"+
		"fulfilled. The format is documented in docs/plan.md.", s)
	in := fs.String("in", "", "read the problem from `FILE` instead of stdin")
	greedy := fs.Bool("greedy", false, "use the greedy baseline: nearest warehouse, one carrier per province, first-fit parcels")
	strategy := fs.String("strategy", "auto", "auto (exact search within a budget, heuristic beyond), exact, or heuristic")
	budget := fs.Int("budget", plan.DefaultNodeBudget, "search nodes per order for --strategy auto")
	pretty := fs.Bool("pretty", false, "indent the JSON output")
	joint := fs.Bool("joint", false, "plan the batch jointly: as many orders as the stock allows, then least total cost (same as --mode joint)")
	mode := fs.String("mode", "", "how the batch shares stock: arrival (first paid, first served; the default), joint, or bounded; empty: the input's \"batch\" policy")
	premium := fs.String("max-premium", "", "with --mode bounded: no order pays more than `X%` above its individually cheapest plan")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	opts := plan.Options{Strategy: plan.Strategy(*strategy), NodeBudget: *budget, Mode: plan.Mode(*mode)}
	if *joint {
		if *mode != "" && *mode != string(plan.Joint) {
			return fmt.Errorf("--joint and --mode %s contradict each other", *mode)
		}
		opts.Mode = plan.Joint
	}
	if *premium != "" {
		if opts.Mode != plan.Bounded {
			return fmt.Errorf("--max-premium needs --mode bounded")
		}
		pct, err := parsePercent(*premium)
		if err != nil {
			return fmt.Errorf("--max-premium: %w", err)
		}
		opts.MaxPremiumPct = pct
	} else if opts.Mode == plan.Bounded {
		return fmt.Errorf("--mode bounded needs --max-premium X%%")
	}
	if *greedy {
		if opts.Mode != "" && opts.Mode != plan.Arrival {
			return fmt.Errorf("--greedy plans in arrival order only")
		}
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

// parsePercent reads "5%", "5" or "2.5%" as a percentage.
func parsePercent(s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("want a percentage such as 5%%, got %q", s)
	}
	return v, nil
}
