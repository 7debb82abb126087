package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
)

func init() {
	register("planning-config", "show or set a merchant's carriers, rates, coverage and penalties (plan JSON)", runPlanningConfig)
	register("books", "check that a merchant's stock ledger and balances agree", runBooks)
	register("allocate", "split, choose carriers and reserve stock for a merchant's paid orders", runAllocate)
}

func runPlanningConfig(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("planning-config", "planning-config --tenant CODE [--set FILE|-]\n\n"+
		"Prints the merchant's planning configuration (the built-in default if it has none), or\n"+
		"replaces it with FILE (- for stdin): a JSON document in the format of `yuncang plan`\n"+
		"(docs/plan.md) holding only zones, carriers and penalties; warehouses, SKUs, stock and\n"+
		"orders come from the database.", s)
	c.bind(fs, false)
	tenant := fs.String("tenant", "", "merchant code (required)")
	set := fs.String("set", "", "replace the configuration with this `FILE` (- for stdin)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *tenant == "" {
		fs.Usage()
		return errUsage
	}
	db, t, err := openTenant(ctx, &c, *tenant)
	if err != nil {
		return err
	}
	defer db.Close()
	if *set != "" {
		var body []byte
		if *set == "-" {
			body, err = io.ReadAll(io.LimitReader(s.in, 1<<20+1))
		} else {
			body, err = os.ReadFile(*set)
		}
		if err != nil {
			return err
		}
		if err := allocate.New(db).SetConfig(ctx, t.ID, body); err != nil {
			return cliError(err)
		}
		fmt.Fprintf(s.err, "planning configuration of %s replaced\n", t.Code)
		return nil
	}
	cfg, err := allocate.New(db).Config(ctx, t.ID)
	if err != nil {
		return err
	}
	if cfg.Default {
		fmt.Fprintf(s.err, "%s has no configuration of its own; this is the default\n", t.Code)
	}
	_, err = s.out.Write(append(cfg.Body, '\n'))
	return err
}

// cliError turns an application error into a message naming the field.
func cliError(err error) error {
	var e *yuncang.Error
	if errors.As(err, &e) && e.Code != yuncang.EINTERNAL {
		if e.Field != "" {
			return fmt.Errorf("%s %s: %s", e.Code, e.Field, e.Message)
		}
		return fmt.Errorf("%s: %s", e.Code, e.Message)
	}
	return err
}

func runBooks(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("books", "books --tenant CODE\n\nRecomputes every stock balance of the merchant from the ledger and lists the differences;\nexits 1 if there are any.", s)
	c.bind(fs, false)
	tenant := fs.String("tenant", "", "merchant code (required)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *tenant == "" {
		fs.Usage()
		return errUsage
	}
	db, t, err := openTenant(ctx, &c, *tenant)
	if err != nil {
		return err
	}
	defer db.Close()
	diffs, err := db.CheckBooks(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintln(s.out, d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%d differences between the ledger and the balances of %s", len(diffs), t.Code)
	}
	fmt.Fprintf(s.out, "the books of %s balance\n", t.Code)
	return nil
}

func runAllocate(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("allocate", "allocate --tenant CODE\n\nPlans every paid or back-ordered order of the merchant (oldest first, at most 500) and\nreserves its stock; prints one JSON line per order: status, parcels, cost, explanation.", s)
	c.bind(fs, false)
	tenant := fs.String("tenant", "", "merchant code (required)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *tenant == "" {
		fs.Usage()
		return errUsage
	}
	db, t, err := openTenant(ctx, &c, *tenant)
	if err != nil {
		return err
	}
	defer db.Close()
	states, err := allocate.New(db).Allocate(ctx, t.ID, nil)
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
			line["cost_fen"], line["explanation"] = p.CostFen, p.Explanation
			if p.Reason != "" {
				line["reason"], line["message"] = p.Reason, p.Message
			}
		}
		if err := enc.Encode(line); err != nil {
			return err
		}
	}
	fmt.Fprintf(s.err, "%d orders planned\n", len(states))
	return nil
}
