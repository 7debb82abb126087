package retention

import (
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

func TestDecide(t *testing.T) {
	p := yuncang.DefaultRetention
	day := 20000 // intake day
	start := time.Unix(int64(day)*86400, 0)
	at := func(days float64) time.Time { return start.Add(time.Duration(days * 24 * float64(time.Hour))) }
	for _, c := range []struct {
		name string
		b    yuncang.RetentionBucket
		now  time.Time
		due  bool
	}{
		{"not counted yet", yuncang.RetentionBucket{Day: day}, at(40), false},
		{"an order still open", yuncang.RetentionBucket{Day: day, Counted: true, Orders: 3, Settled: 2, LastDelivered: at(2)}, at(40), false},
		{"all delivered, 29 days", yuncang.RetentionBucket{Day: day, Counted: true, Orders: 3, Settled: 3, LastDelivered: at(2)}, at(31), false},
		{"all delivered, 30 days", yuncang.RetentionBucket{Day: day, Counted: true, Orders: 3, Settled: 3, LastDelivered: at(2)}, at(32), true},
		{"a cancellation within its period", yuncang.RetentionBucket{Day: day, Counted: true, Orders: 2, Settled: 2, LastDelivered: at(2), LastCancelled: at(20)}, at(40), false},
		{"no order at all", yuncang.RetentionBucket{Day: day, Counted: true}, at(1.5), true},
		{"open, past the maximum age", yuncang.RetentionBucket{Day: day, Counted: true, Orders: 3, Settled: 1}, at(91), true},
		{"open, before the maximum age", yuncang.RetentionBucket{Day: day, Counted: true, Orders: 3, Settled: 1}, at(90.5), false},
	} {
		if due, why := Decide(&c.b, p, c.now); due != c.due {
			t.Errorf("%s: due = %v (%s), want %v", c.name, due, why, c.due)
		}
	}
}
