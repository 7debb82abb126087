package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/plan"
)

func init() {
	register("plan-wave", "allocate a merchant's paid orders as one wave, in a batch mode chosen for this run", runPlanWave)
}

// runPlanWave is `allocate` with the batch mode of this one run instead of
// the merchant's planning configuration: a warehouse can plan the 11.11
// wave jointly while the merchant's everyday allocations stay first paid,
// first served.
func runPlanWave(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("plan-wave", "plan-wave --tenant CODE --mode arrival|joint|bounded [--max-premium X%]\n\n"+
		"Plans every paid or back-ordered order of the merchant (oldest first, at most 500) as one\n"+
		"batch in the given mode and reserves its stock; prints one JSON line per order: status,\n"+
		"parcels, cost, explanation (with what the order gave up for the batch).", s)
	c.bind(fs, false)
	tenant := fs.String("tenant", "", "merchant code (required)")
	mode := fs.String("mode", "", "arrival, joint or bounded (required)")
	premium := fs.String("max-premium", "", "with --mode bounded: no order pays more than `X%` above its individually cheapest plan")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *tenant == "" || *mode == "" {
		fs.Usage()
		return errUsage
	}
	policy := &plan.BatchPolicy{Mode: *mode}
	if *premium != "" {
		pct, err := parsePercent(*premium)
		if err != nil {
			return fmt.Errorf("--max-premium: %w", err)
		}
		policy.MaxPremiumPct = pct
	}
	if err := policy.Validate(); err != nil {
		return cliError(err)
	}
	db, t, err := openTenant(ctx, &c, *tenant)
	if err != nil {
		return err
	}
	defer db.Close()
	states, err := allocate.New(db).AllocateBatch(ctx, t.ID, nil, policy)
	if err != nil {
		return cliError(err)
	}
	enc := json.NewEncoder(s.out)
	enc.SetEscapeHTML(false)
	for _, st := range states {
		var parcels []string
		for _, p := range st.Parcels {
			parcels = append(parcels, p.Warehouse+"/"+p.Carrier)
		}
		line := map[string]any{"order_id": st.OrderID, "merchant_order_id": st.MerchantOrderID, "status": st.Status, "parcels": parcels}
		if p := st.Plan; p != nil {
			line["method"], line["cost_fen"], line["explanation"] = p.Method, p.CostFen, p.Explanation
			if p.Reason != "" {
				line["reason"], line["message"] = p.Reason, p.Message
			}
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	fmt.Fprintf(s.err, "%d orders planned (%s)\n", len(states), *mode)
	return nil
}
