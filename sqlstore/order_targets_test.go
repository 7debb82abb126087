package sqlstore

import (
	"slices"
	"testing"
)

// TestIDRuns: the existing orders an intake named fit in its audit record:
// each id while they fit, runs of consecutive ids next, and runs joined
// (said so) only when even those do not fit.
func TestIDRuns(t *testing.T) {
	for _, c := range []struct {
		ids     []int64
		room    int
		want    []string
		widened bool
	}{
		{[]int64{7, 3, 4, 7}, 5, []string{"order:3", "order:4", "order:7"}, false},
		{[]int64{1, 2, 3, 9, 10, 20}, 3, []string{"orders:1-3", "orders:9-10", "order:20"}, false},
		{[]int64{1, 2, 3, 9, 10, 20}, 2, []string{"orders:1-10", "order:20"}, true},
		{nil, 5, nil, false},
	} {
		got, widened := idRuns(c.ids, c.room)
		if !slices.Equal(got, c.want) || widened != c.widened {
			t.Errorf("idRuns(%v, %d) = %v %v, want %v %v", c.ids, c.room, got, widened, c.want, c.widened)
		}
	}
	var many []int64
	for i := int64(0); i < 500; i++ {
		many = append(many, 1000+3*i) // no two consecutive
	}
	if got, widened := idRuns(many, 150); len(got) != 150 || !widened {
		t.Errorf("500 scattered ids in 150 targets: %d targets, widened %v", len(got), widened)
	}
}
