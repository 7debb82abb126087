package plan

import "testing"

// The benchmarks report orders/s for a batch of realistic generated orders,
// comparable with the greedy baseline's figure from the same run.

func benchSolve(b *testing.B, cfg GenConfig, o Options) {
	p := Generate(cfg)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Solve(p, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(p.Orders)*b.N)/b.Elapsed().Seconds(), "orders/s")
}

var realistic = GenConfig{Seed: 11, Orders: 5000}

func BenchmarkSolveAuto(b *testing.B)      { benchSolve(b, realistic, Options{}) }
func BenchmarkSolveHeuristic(b *testing.B) { benchSolve(b, realistic, Options{Strategy: Heuristic}) }
func BenchmarkSolveGreedy(b *testing.B)    { benchSolve(b, realistic, Options{Strategy: GreedyBaseline}) }

// BenchmarkSolveExactSmall is the exhaustive search without a budget on
// small orders (≤ 4 lines, ≤ 3 units a line), the optimum the bench
// command compares against.
func BenchmarkSolveExactSmall(b *testing.B) {
	benchSolve(b, GenConfig{Seed: 7, Orders: 2000, MaxLines: 4, MaxQty: 3, StockFactor: 5}, Options{Strategy: Exact})
}

// BenchmarkSolveJointScarce and BenchmarkSolveArrivalScarce plan the same
// scarce batch (stock = demand, badly placed) jointly and in arrival order.
var scarce = GenConfig{Seed: 200, Orders: 2000, MaxLines: 4, Scarce: true}

func BenchmarkSolveJointScarce(b *testing.B)   { benchSolve(b, scarce, Options{Mode: Joint}) }
func BenchmarkSolveArrivalScarce(b *testing.B) { benchSolve(b, scarce, Options{}) }
