package storetest

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
)

// testDecoys: a decoy is flagged in the transaction that creates it and
// spends a pending decoy; a decoy whose id is taken is skipped without
// failing the real orders; decoys are never allocated, even by id.
func testDecoys(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "decoys")
	must(t, w.db.ScheduleDecoys(ctx, w.a.ID, 2, nil))
	must(t, w.db.ScheduleDecoys(ctx, w.a.ID, 1, nil))
	if n, err := w.db.PendingDecoys(ctx, w.a.ID); err != nil || n != 3 {
		t.Fatalf("pending = %d %v", n, err)
	}
	d := prepared(w.a, "D-2", people[1], 1)
	d.Decoy = true
	taken := prepared(w.a, "D-1", people[2], 1) // the real D-1 comes first
	taken.Decoy = true
	res, ok, err := w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "D-1", people[0], 1), d, taken, prepared(w.a, "D-3", people[0], 1)}, true, nil)
	must(t, err)
	if !ok || res[0].Outcome != yuncang.IntakeCreated || res[1].Outcome != yuncang.IntakeCreated || res[2].Order != nil || res[3].Outcome != yuncang.IntakeCreated {
		t.Fatalf("batch with decoys: %+v", res)
	}
	if c, err := w.db.IsCanary(ctx, []int64{res[1].Order.ID}); err != nil || !c {
		t.Fatalf("decoy not flagged: %v", err)
	}
	if c, _ := w.db.IsCanary(ctx, []int64{res[0].Order.ID, res[3].Order.ID}); c {
		t.Fatal("a real order is flagged")
	}
	if n, _ := w.db.PendingDecoys(ctx, w.a.ID); n != 2 {
		t.Fatalf("pending after one decoy = %d", n)
	}
	if n, _ := w.db.PendingDecoys(ctx, w.b.ID); n != 0 {
		t.Fatalf("tenant b pending = %d", n)
	}
	ids, err := w.db.RecentMerchantOrderIDs(ctx, w.a.ID, 2)
	must(t, err)
	if len(ids) != 2 || ids[0] != "D-3" || ids[1] != "D-2" {
		t.Fatalf("recent ids = %v", ids)
	}
	for _, r := range []yuncang.IntakeResult{res[0], res[1]} {
		_, err := w.db.TransitionOrder(ctx, w.a.ID, r.Order.ID, yuncang.OrderPaid, "payment_confirmed")
		must(t, err)
	}
	must(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-1", 100, nil))
	must(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-2", 100, nil))
	_, err = allocate.New(w.db).Allocate(ctx, w.a.ID, []int64{res[1].Order.ID})
	wantCode(t, err, yuncang.EINVALID) // as if it did not exist
	states, err := allocate.New(w.db).Allocate(ctx, w.a.ID, nil)
	must(t, err)
	for _, s := range states {
		if s.OrderID == res[1].Order.ID {
			t.Fatal("the decoy was allocated")
		}
	}
}
