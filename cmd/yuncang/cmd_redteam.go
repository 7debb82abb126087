package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/yuncang/yuncang/httpapi"
)

func init() {
	register("redteam", "run the brief's theft scenarios against an in-process instance and measure what leaks", runRedteam)
}

// errTargetMissed makes the command exit non-zero after printing results.
var errTargetMissed = errors.New("scenarios missed their targets")

func runRedteam(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("redteam", "redteam [--json] [--orders N] [--only ID,ID]\n\nFor every scenario, starts yuncang in process on a temporary database with demo data and a simulated\n"+
		"clock, attacks it through the HTTP API as the brief's thieves would, and measures what leaked: records\n"+
		"whose plaintext name, phone or house number appears in any answer, attempts, cut-off and flag times,\n"+
		"and what stopped the attack, from the answers and the alerts and audit records the server wrote.\n"+
		"Exits 1 when any scenario misses its target.", s)
	asJSON := fs.Bool("json", false, "print the results as JSON")
	orders := fs.Int("orders", 400, "demo orders per instance")
	only := fs.String("only", "", "run only these scenario ids (comma-separated)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *orders < 100 || *orders > 100000 {
		return fmt.Errorf("--orders must be between 100 and 100000")
	}
	var ids []string
	if *only != "" {
		ids = strings.Split(*only, ",")
	}
	results, err := runScenarios(ctx, redteamOptions{orders: *orders}, ids)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			return err
		}
	} else {
		printRedteam(s, results)
	}
	for _, r := range results {
		if !r.Met {
			return errTargetMissed
		}
	}
	return nil
}

func printRedteam(s stdio, results []RedteamResult) {
	tw := tabwriter.NewWriter(s.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSCENARIO\tATTEMPTS\tACCEPTED\tLEAKED\tCUT OFF\tFLAGGED\tTARGET\tRESULT")
	for _, r := range results {
		res := "met"
		if !r.Met {
			res = "MISSED: " + strings.Join(r.Misses, "; ")
		}
		if r.Open != "" {
			res += " [open: " + r.Open + "]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", r.ID, r.Scenario, r.Attempts, r.Accepted, r.RecordsLeaked,
			seconds(r.CutOffAfter), seconds(r.FlaggedAfter), r.Target, res)
	}
	tw.Flush()
	fmt.Fprintln(s.out, "\nStopped by:")
	for _, r := range results {
		fmt.Fprintf(s.out, "  %s: %s\n", r.ID, strings.Join(r.StoppedBy, "; "))
	}
}

func seconds(s int64) string {
	if s < 0 {
		return "never"
	}
	return fmt.Sprintf("%ds", s)
}

// runScenarios runs the registered scenarios (or those named), each on a
// fresh instance so that none depends on another's leftovers.
func runScenarios(ctx context.Context, o redteamOptions, ids []string) ([]RedteamResult, error) {
	list := slices.Clone(scenarios)
	slices.SortFunc(list, func(a, b scenario) int { return compareIDs(a.ID, b.ID) })
	tp, err := newRedteamTemplate(ctx, o.orders)
	if err != nil {
		return nil, err
	}
	defer tp.close()
	var out []RedteamResult
	for _, sc := range list {
		if len(ids) > 0 && !slices.Contains(ids, sc.ID) {
			continue
		}
		r, err := runScenario(ctx, tp, o, sc)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", sc.ID, err)
		}
		out = append(out, r)
	}
	if len(ids) > 0 && len(out) != len(ids) {
		return nil, fmt.Errorf("--only names an unknown scenario")
	}
	return out, nil
}

func runScenario(ctx context.Context, tp *redteamTemplate, o redteamOptions, sc scenario) (RedteamResult, error) {
	rt, err := tp.instance(ctx, o)
	if err != nil {
		return RedteamResult{}, err
	}
	defer rt.close()
	a := newAttack(rt)
	if err := sc.run(ctx, rt, a); err != nil {
		return RedteamResult{}, err
	}
	return a.finish(ctx, sc), nil
}

// dailyRevealQuota is the server's default daily reveal quota of a role.
func dailyRevealQuota(role string) int {
	return httpapi.DefaultGuardPolicy().Quotas[role][1]
}

// compareIDs orders "2" before "10" and "9a" before "9b".
func compareIDs(a, b string) int {
	num := func(s string) (int, string) {
		n, i := 0, 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			n = n*10 + int(s[i]-'0')
		}
		return n, s[i:]
	}
	na, ra := num(a)
	nb, rb := num(b)
	if na != nb {
		return na - nb
	}
	return strings.Compare(ra, rb)
}
