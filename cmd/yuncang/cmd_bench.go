package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/pprof"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
)

func init() {
	register("bench", "run the product's benchmarks and print each figure against its baseline", runBench)
}

// BenchResult is one measured figure beside the baseline it is compared with,
// both measured in the same run.
type BenchResult struct {
	Name     string  `json:"name"`
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
	Baseline float64 `json:"baseline"`
	Ratio    float64 `json:"ratio"`
	Target   string  `json:"target,omitempty"`
	// Met says whether the figure met its target in this run (absent where
	// the target is a shape, not a bound: see targetMet).
	Met  *bool  `json:"met,omitempty"`
	Note string `json:"note,omitempty"`
}

// benchOptions are shared by every benchmark.
type benchOptions struct {
	orders   int
	batch    int
	rounds   int
	postgres string
	tmp      string
	stored   int // orders already in the store for intake_stored, retention and console
}

type benchmark struct {
	name  string
	order int // run in ascending order
	run   func(ctx context.Context, o benchOptions) ([]BenchResult, error)
}

// benchmarks holds every registered benchmark; each bench_*.go file
// registers its own in an init function.
var benchmarks []benchmark

func registerBench(name string, order int, run func(ctx context.Context, o benchOptions) ([]BenchResult, error)) {
	benchmarks = append(benchmarks, benchmark{name: name, order: order, run: run})
	sort.SliceStable(benchmarks, func(i, j int) bool { return benchmarks[i].order < benchmarks[j].order })
}

// benchNames lists the benchmarks in the order they run.
func benchNames() []string {
	names := make([]string, len(benchmarks))
	for i, b := range benchmarks {
		names[i] = b.name
	}
	return names
}

func runBench(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("bench", "bench [--json] [--only NAME,...] [--orders N] [--batch N] [--rounds N] [--stored N] [--postgres URL] [--cpuprofile FILE]", s)
	asJSON := fs.Bool("json", false, "print a JSON array of {name, value, unit, baseline, ratio}")
	var o benchOptions
	fs.IntVar(&o.orders, "orders", 5000, "orders per intake round")
	fs.IntVar(&o.batch, "batch", 500, "orders per transaction")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds per figure; the best round counts (console: the median; guard runs at least 3), as shared machines are noisy")
	fs.StringVar(&o.postgres, "postgres", os.Getenv("YUNCANG_BENCH_POSTGRES"), "also benchmark PostgreSQL at this URL (YUNCANG_BENCH_POSTGRES)")
	fs.IntVar(&o.stored, "stored", 200000, "orders already stored for the intake_stored, retention and console benchmarks (the issue's figure is 1000000)")
	only := fs.String("only", "", "run only the benchmarks with these comma-separated names: "+strings.Join(benchNames(), ", "))
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the benchmarks to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *only != "" {
		for _, name := range strings.Split(*only, ",") {
			if !slices.Contains(benchNames(), name) {
				return fmt.Errorf("--only: no benchmark is called %q; the benchmarks are %s", name, strings.Join(benchNames(), ", "))
			}
		}
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.orders < 1 || o.batch < 1 || o.rounds < 1 {
		return fmt.Errorf("--orders, --batch and --rounds must be positive")
	}
	tmp, err := os.MkdirTemp("", "yuncang-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	o.tmp = tmp
	var all []BenchResult
	for _, b := range benchmarks {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), b.name) {
			continue
		}
		if !*asJSON {
			fmt.Fprintf(s.err, "running %s...\n", b.name)
		}
		rs, err := b.run(ctx, o)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		all = append(all, rs...)
	}
	var missed []string
	for i := range all {
		if met, checked := targetMet(all[i]); checked {
			all[i].Met = &met
			if !met {
				missed = append(missed, all[i].Name)
			}
		}
	}
	// Figures are not asserted (a shared machine's noise is no failure of
	// the code), but a missed target is said, never left to be spotted.
	if len(missed) > 0 {
		defer fmt.Fprintf(s.err, "missed their targets in this run: %s\n", strings.Join(missed, ", "))
	}
	if *asJSON {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	tw := tabwriter.NewWriter(s.out, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "NAME\tVALUE\tBASELINE\tUNIT\tRATIO\tTARGET\tMET\t")
	for _, r := range all {
		// A figure with no baseline (a peak heap, a latency) has no ratio.
		base, ratio := fmt.Sprintf("%.1f", r.Baseline), fmt.Sprintf("%.3f", r.Ratio)
		if r.Baseline == 0 && r.Ratio == 0 {
			base, ratio = "-", "-"
		}
		met := "-"
		if r.Met != nil {
			met = map[bool]string{true: "yes", false: "MISSED"}[*r.Met]
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%s\t%s\t%s\t%s\t%s\t\n", r.Name, r.Value, base, r.Unit, ratio, r.Target, met)
	}
	tw.Flush()
	for _, r := range all {
		if r.Note != "" {
			fmt.Fprintf(s.out, "%s: %s\n", r.Name, r.Note)
		}
	}
	return nil
}
