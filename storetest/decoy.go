package storetest

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
)

// testDecoys: a decoy is flagged in the transaction that creates it and
// spends a pending decoy; a decoy whose id is taken is skipped without
// failing the real orders; decoys are never allocated, even by id, but
// answer as real orders without stock do: back-ordered, no parcel, no
// stock reserved (the old storage hid them: "no such order", an oracle).
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
	states, err := allocate.New(w.db).Allocate(ctx, w.a.ID, []int64{res[1].Order.ID})
	must(t, err) // as a real paid order is
	if len(states) != 1 || states[0].Status != yuncang.OrderBackorder || states[0].Plan == nil || states[0].Plan.Reason != "no_stock" {
		t.Fatalf("decoy allocated by id: %+v", states)
	}
	states, err = allocate.New(w.db).Allocate(ctx, w.a.ID, nil)
	must(t, err)
	for _, s := range states {
		if s.OrderID == res[1].Order.ID && s.Status != yuncang.OrderBackorder {
			t.Fatalf("swept up with every paid order, the decoy is %s", s.Status)
		}
	}
	for _, id := range []int64{res[0].Order.ID, res[1].Order.ID} {
		st, err := w.db.OrderState(ctx, w.a.ID, id)
		must(t, err)
		if decoy := id == res[1].Order.ID; decoy != (st.Status == yuncang.OrderBackorder) || decoy != (len(st.Parcels) == 0) {
			t.Fatalf("order %d (decoy %v) after allocation: %s, %d parcels", id, decoy, st.Status, len(st.Parcels))
		}
	}
	// Whatever a caller decides, storage gives a decoy no parcel.
	err = w.db.InAllocationTx(ctx, func(tx yuncang.AllocationTx) error {
		_, err := tx.AddParcel(ctx, w.a.ID, res[1].Order.ID, &yuncang.PlannedParcel{WarehouseID: w.whYiwu.ID, Carrier: "ZTO"})
		return err
	})
	if err == nil {
		t.Fatal("storage added a parcel to a decoy")
	}
}
