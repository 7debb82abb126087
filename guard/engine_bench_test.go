package guard

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// BenchmarkObserveReveal is the guard's own work on one reveal, apart from
// storage: decode the account's window, run every rule, encode it again. The
// account reveals a record a millisecond, so its window holds a full minute
// of targets (the largest a window gets). Thresholds are raised as in
// `yuncang bench --only guard` so every rule evaluates and none refuses.
func BenchmarkObserveReveal(b *testing.B) {
	cfg := DefaultConfig()
	cfg.NightStart, cfg.NightEnd = 0, 0
	for k, v := range cfg.Volume {
		v.AlertFloor, v.SuspendFloor = 1e9, 1e9
		cfg.Volume[k] = v
	}
	cfg.SequentialRun, cfg.SpreadPerMinute = 1e9, 1e9
	e := New(cfg, NewMemoryStore())
	ctx := context.Background()
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	targets := make([]string, 2000)
	for i := range targets {
		targets[i] = "order:" + strconv.Itoa(i*7919%2000)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		at = at.Add(time.Millisecond)
		d, err := e.Observe(ctx, Activity{At: at, ActorID: 3, Role: "customer_service", TenantID: 1, Kind: KindReveal,
			Targets: targets[i%len(targets) : i%len(targets)+1]}, Baseline{})
		if err != nil || d.Max() != 0 {
			b.Fatalf("observe: %v %v", d, err)
		}
	}
}
