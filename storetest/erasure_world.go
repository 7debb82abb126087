package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/sqlstore"
)

// erasureWorld is where the crypto-shredding tests start: a world whose
// store clock reads now, one order of tenant a for every person and one of
// tenant b, all taken in on the same day.
type erasureWorld struct {
	*world
	now   time.Time
	batch []*yuncang.PreparedOrder // tenant a's orders as submitted, one per person
	ids   []int64                  // their ids, in the order of people
	bID   int64                    // tenant b's order
}

// newErasureWorld takes in tenant a's orders as prefix-0, prefix-1, ... and
// tenant b's as bCode with person pb's data.
func newErasureWorld(t *testing.T, h Harness, name, prefix, bCode string, pb person) *erasureWorld {
	t.Helper()
	ctx := context.Background()
	w := &erasureWorld{world: newWorld(t, h, name), now: time.Now().UTC()}
	w.db.SetNow(func() time.Time { return w.now })
	for i, p := range people {
		w.batch = append(w.batch, prepared(w.a, fmt.Sprintf("%s-%d", prefix, i), p, 1))
	}
	res, _, err := w.db.CreateOrders(ctx, w.a.ID, w.batch, true, userEvent(w.a, yuncang.EventOrderCreate))
	must(t, err)
	for _, r := range res {
		w.ids = append(w.ids, r.Order.ID)
	}
	resB, _, err := w.db.CreateOrders(ctx, w.b.ID, []*yuncang.PreparedOrder{prepared(w.b, bCode, pb, 1)}, true, userEvent(w.b, yuncang.EventOrderCreate))
	must(t, err)
	w.bID = resB[0].Order.ID
	return w
}

// readable opens every sealed recipient with the keys the store holds now
// and returns the fields that opened, by order.
func (w *erasureWorld) readable(t *testing.T, rs []sqlstore.SealedRecipient) map[int64][]string {
	t.Helper()
	out := map[int64][]string{}
	for _, r := range rs {
		f, err := w.db.Readable(context.Background(), r)
		must(t, err)
		out[r.OrderID] = f
	}
	return out
}
