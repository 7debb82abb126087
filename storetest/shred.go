package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlstore"
)

// testDeletionShreds checks per-order crypto-shredding: a deletion request
// destroys the order's own key, so no key the system still holds opens its
// ciphertexts, neither in the database nor in a copy taken before the
// deletion, while the other orders of the same day (same bucket key) and of
// another merchant still open. Retention later erases the day's key and the
// sweep drops the day's order keys.
func testDeletionShreds(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newErasureWorld(t, h, "shred", "S0", "SB0", people[0])
	a, ids := w.a, w.ids
	if n, err := w.db.OrderKeyCount(ctx); err != nil || n != 4 {
		t.Fatalf("%d order keys after 4 orders (%v)", n, err)
	}

	earlier, err := w.db.SealedRecipients(ctx, a.ID) // what a backup taken now holds
	must(t, err)
	for id, f := range w.readable(t, earlier) {
		if len(f) != 5 {
			t.Fatalf("order %d: only %v open before the deletion; the check proves nothing", id, f)
		}
	}

	// The recipient of ids[0] asks for deletion.
	d := &yuncang.DataRequest{TenantID: a.ID, Kind: yuncang.DataRequestDeletion, OrderIDs: []int64{ids[0]},
		ReceivedAt: w.now, DueAt: yuncang.AddWorkingDays(w.now, 15), CreatedBy: "cs2"}
	must(t, w.db.CreateDataRequest(ctx, d, userEvent(a, yuncang.EventDataRequest)))
	_, err = w.db.CloseDataRequest(ctx, a.ID, d.ID, yuncang.DataRequestErased, "", "cs2", userEvent(a, yuncang.EventDataRequestClose))
	must(t, err)
	// Inspection check C18 counts the erasure: it is audited as the
	// request's closing, not as a retention erasure (it counted 0). A
	// request refused is no erasure.
	refused := &yuncang.DataRequest{TenantID: a.ID, Kind: yuncang.DataRequestDeletion, OrderIDs: []int64{ids[1]},
		ReceivedAt: w.now, DueAt: yuncang.AddWorkingDays(w.now, 15), CreatedBy: "cs2"}
	must(t, w.db.CreateDataRequest(ctx, refused, userEvent(a, yuncang.EventDataRequest)))
	_, err = w.db.CloseDataRequest(ctx, a.ID, refused.ID, yuncang.DataRequestRefused, "an order still in transit", "cs2", userEvent(a, yuncang.EventDataRequestClose))
	must(t, err)
	f, err := w.db.SecurityFacts(ctx, w.now.Add(-time.Hour), w.now.Add(time.Hour))
	must(t, err)
	if f.Erasures != 1 {
		t.Fatalf("erasures in the facts after one request closed as erased: %d, want 1", f.Erasures)
	}
	after, err := w.db.SealedRecipients(ctx, a.ID)
	must(t, err)
	for name, rs := range map[string][]sqlstore.SealedRecipient{"database": after, "copy taken before the deletion": earlier} {
		for id, f := range w.readable(t, rs) {
			if id == ids[0] && len(f) > 0 {
				t.Errorf("%s: deleted order %d still opens with a key the system holds (%v)", name, id, f)
			}
			if id != ids[0] && len(f) != 5 {
				t.Errorf("%s: order %d of the same day: only %v open", name, id, f)
			}
		}
	}
	if n, err := w.db.OrderKeyCount(ctx); err != nil || n != 3 {
		t.Fatalf("%d order keys after one deletion, want 3 (%v)", n, err)
	}
	_, _, err = w.db.RevealRecipient(ctx, a.ID, ids[0], revealEvent(a), nil)
	wantCode(t, err, yuncang.ECONFLICT)
	if r, _, err := w.db.RevealRecipient(ctx, a.ID, ids[1], revealEvent(a), nil); err != nil || r.Phone != people[1].phone {
		t.Fatalf("same day's other order: %v", err)
	}
	if _, _, err := w.db.RevealRecipient(ctx, w.b.ID, w.bID, revealEvent(w.b), nil); err != nil {
		t.Fatalf("tenant b: %v", err)
	}
	found, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: a.ID, Phone: people[0].phone}, userEvent(a, yuncang.EventPhoneSearch))
	must(t, err)
	if len(found) != 0 {
		t.Fatalf("phone search finds %d orders after the deletion", len(found))
	}

	// Past the maximum age the day's keys go; the sweep drops its order keys.
	w.now = w.now.AddDate(0, 0, 92)
	rep, err := retention.Run(ctx, w.db, retention.Options{Batch: 1}) // order keys dropped one per swept order
	must(t, err)
	if len(rep.Erased) != 2 || rep.Orders != 4 {
		t.Fatalf("run: %+v", rep)
	}
	if n, err := w.db.OrderKeyCount(ctx); err != nil || n != 0 {
		t.Fatalf("%d order keys left after their buckets were erased and swept (%v)", n, err)
	}
	for id, f := range w.readable(t, earlier) {
		if len(f) > 0 {
			t.Errorf("after retention: order %d still opens (%v)", id, f)
		}
	}
	verifyLog(t, w.db)
	noRecipientInAudit(t, w.db)
}
