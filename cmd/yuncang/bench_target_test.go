package main

import "testing"

func TestTargetMet(t *testing.T) {
	for _, c := range []struct {
		r            BenchResult
		met, checked bool
	}{
		{BenchResult{Ratio: 1.1, Target: "<= 1.2"}, true, true},
		{BenchResult{Ratio: 1.3, Target: "<= 1.2"}, false, true},
		{BenchResult{Ratio: 1, Target: "< 1"}, false, true},
		{BenchResult{Ratio: 1.14, Target: "<= 1 (100 µs)"}, false, true},
		{BenchResult{Ratio: 0.68, Target: "<= 1 (100 µs)"}, true, true},
		{BenchResult{Ratio: 0.62, Target: ">= 0.5"}, true, true},
		{BenchResult{Ratio: 0.45, Target: ">= 0.5"}, false, true},
		{BenchResult{Value: 12000, Ratio: 0.1, Target: ">= 10000 orders/s"}, true, true},
		{BenchResult{Value: 900, Ratio: 5, Target: ">= 1000/s absolute"}, false, true},
		{BenchResult{Value: 250, Ratio: 0.6, Target: ">= 0.5 of the download; >= 200 labels/s (200 printers at 1 label/s)"}, true, true},
		{BenchResult{Value: 150, Ratio: 0.6, Target: ">= 0.5 of the download; >= 200 labels/s (200 printers at 1 label/s)"}, false, true},
		{BenchResult{Value: 250, Ratio: 0.4, Target: ">= 0.5 of the download; >= 200 labels/s (200 printers at 1 label/s)"}, false, true},
		{BenchResult{Ratio: 1, Target: "~1 (flat)"}, false, false},
		{BenchResult{Ratio: 1, Target: "O(erased orders)"}, false, false},
		{BenchResult{Ratio: 1}, false, false},
	} {
		met, checked := targetMet(c.r)
		if met != c.met || checked != c.checked {
			t.Errorf("targetMet(ratio %v, value %v, %q) = %v, %v; want %v, %v", c.r.Ratio, c.r.Value, c.r.Target, met, checked, c.met, c.checked)
		}
	}
}
