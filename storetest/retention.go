package storetest

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlstore"
)

// testRetention runs a realistic flow over two intake days (orders
// delivered, cancelled, still open) and checks crypto-shredding end to end:
// after the period no key the system holds opens an expired order's
// ciphertexts, neither in the database nor in a copy taken before the
// erasure; open orders stay readable; masked views say 已删除; the blind
// index no longer finds the phone; analytics and the audit log are
// unchanged and verify; the audit log holds no recipient plaintext.
func testRetention(t *testing.T, h Harness) {
	ctx := context.Background()
	// Day 0: three orders; one is delivered, one cancelled, one stays open.
	// Tenant b's order of the same day is never erased by a's exit or policy.
	w := newErasureWorld(t, h, "retention", "R0", "B0", people[1])
	a, ids := w.a, w.ids
	parcels := weighedParcels(t, w.world, a, "YTO", ids[:1])
	_, err := w.db.ShipParcel(ctx, a.ID, parcels[0], yuncang.ShipInput{WaybillNo: "YT90000001"})
	must(t, err)
	_, err = w.db.DeliverParcel(ctx, a.ID, parcels[0], w.now)
	must(t, err)
	_, err = w.db.TransitionOrder(ctx, a.ID, ids[1], yuncang.OrderCancelled, "customer_request")
	must(t, err)
	_, err = w.db.TransitionOrder(ctx, a.ID, ids[2], yuncang.OrderCancelled, "customer_request")
	must(t, err)

	// Day 1: an order that stays open (paid, never shipped).
	w.now = w.now.Add(24 * time.Hour)
	res1, _, err := w.db.CreateOrders(ctx, a.ID, []*yuncang.PreparedOrder{prepared(a, "R1-0", people[0], 1)}, true, userEvent(a, yuncang.EventOrderCreate))
	must(t, err)
	open := res1[0].Order.ID
	_, err = w.db.TransitionOrder(ctx, a.ID, open, yuncang.OrderPaid, "payment_confirmed")
	must(t, err)

	stats := func() []*yuncang.StatsRow {
		rows, err := w.db.LogisticsStats(ctx, yuncang.StatsFilter{From: w.now.AddDate(0, 0, -100), To: w.now.AddDate(0, 0, 100), GroupBy: yuncang.DimProvince})
		must(t, err)
		return rows
	}
	statsBefore := stats()
	backup, err := w.db.SealedRecipients(ctx, a.ID) // what a copy taken now holds
	must(t, err)
	// The check can succeed: before the period every field opens.
	for id, f := range w.readable(t, backup) {
		if len(f) != 5 {
			t.Fatalf("order %d: only %v open before any erasure; the check proves nothing", id, f)
		}
	}

	// 29 days after settling nothing is due.
	w.now = w.now.AddDate(0, 0, 28)
	rep, err := retention.Run(ctx, w.db, retention.Options{})
	must(t, err)
	if len(rep.Erased) != 0 {
		t.Fatalf("erased %+v before the period", rep.Erased)
	}
	// Past it: a dry run says what would go and changes nothing.
	w.now = w.now.AddDate(0, 0, 3)
	dry, err := retention.Run(ctx, w.db, retention.Options{DryRun: true})
	must(t, err)
	if len(dry.Erased) != 1 || dry.Orders != 3 || dry.Erased[0].Bucket.MinOrderID != ids[0] || dry.Erased[0].Bucket.MaxOrderID != ids[2] {
		t.Fatalf("dry run: %+v", dry)
	}
	if _, _, err := w.db.RevealRecipient(ctx, a.ID, ids[0], revealEvent(a), nil); err != nil {
		t.Fatalf("a dry run erased: %v", err)
	}
	rep, err = retention.Run(ctx, w.db, retention.Options{})
	must(t, err)
	if len(rep.Erased) != 1 || rep.Orders != 3 || rep.Swept != 3 {
		t.Fatalf("run: %+v", rep)
	}
	if again, err := retention.Run(ctx, w.db, retention.Options{}); err != nil || len(again.Erased) != 0 || again.Swept != 0 {
		t.Fatalf("second run: %+v %v", again, err)
	}

	// No key the system holds opens an erased order, in the database or in
	// the copy taken before; the open order and tenant b stay readable.
	after, err := w.db.SealedRecipients(ctx, a.ID)
	must(t, err)
	for name, rs := range map[string][]sqlstore.SealedRecipient{"database": after, "earlier copy": backup} {
		for id, f := range w.readable(t, rs) {
			erased := id != open
			if erased && len(f) > 0 {
				t.Errorf("%s: erased order %d still opens (%v)", name, id, f)
			}
			if !erased && len(f) != 5 {
				t.Errorf("%s: open order %d: only %v open", name, id, f)
			}
		}
	}
	if _, _, err := w.db.RevealRecipient(ctx, w.b.ID, w.bID, revealEvent(w.b), nil); err != nil {
		t.Fatalf("tenant b: %v", err)
	}
	if r, _, err := w.db.RevealRecipient(ctx, a.ID, open, revealEvent(a), nil); err != nil || r.Phone != people[0].phone {
		t.Fatalf("open order: %v", err)
	}
	_, _, err = w.db.RevealRecipient(ctx, a.ID, ids[0], revealEvent(a), nil)
	wantCode(t, err, yuncang.ECONFLICT)

	// Masked views say so; the phone finds only the open order.
	o, err := w.db.Order(ctx, a.ID, ids[1], userEvent(a, yuncang.EventOrderView))
	must(t, err)
	if o.Recipient.Name != yuncang.Erased || o.Recipient.Phone != yuncang.Erased || o.Remarks != yuncang.Erased || o.Destination.ProvinceCode != "33" {
		t.Fatalf("erased order's view: %+v", o)
	}
	found, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: a.ID, Phone: people[0].phone}, userEvent(a, yuncang.EventPhoneSearch))
	must(t, err)
	if len(found) != 1 || found[0].ID != open {
		t.Fatalf("phone search after erasure finds %d orders", len(found))
	}
	// Resubmitting an erased order's content is not recognised as a repeat.
	again, _, err := w.db.CreateOrders(ctx, a.ID, w.batch[:1], false, nil)
	must(t, err)
	if again[0].Outcome != yuncang.IntakeConflict {
		t.Fatalf("resubmitted erased order: %s", again[0].Outcome)
	}

	if got := stats(); !reflect.DeepEqual(got, statsBefore) {
		t.Fatalf("analytics changed: %+v, was %+v", got, statsBefore)
	}
	verifyLog(t, w.db)
	evs, err := w.db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventErasure, Limit: 100})
	must(t, err)
	if len(evs) != 1 || !strings.HasPrefix(evs[0].Targets[0], "retention_key:") || evs[0].Targets[1] != fmt.Sprintf("orders:%d-%d", ids[0], ids[2]) {
		t.Fatalf("erasure records: %+v", evs)
	}

	// Merchant exit erases the rest of a, and nothing of b.
	exit, err := retention.Run(ctx, w.db, retention.Options{ExitTenant: a.ID})
	must(t, err)
	// (Two keys: the open order's, and today's, made by the refused
	// resubmission above and holding no order.)
	if len(exit.Erased) != 2 || exit.Orders != 1 {
		t.Fatalf("exit: %+v", exit)
	}
	_, _, err = w.db.RevealRecipient(ctx, a.ID, open, revealEvent(a), nil)
	wantCode(t, err, yuncang.ECONFLICT)
	if _, _, err := w.db.RevealRecipient(ctx, w.b.ID, w.bID, revealEvent(w.b), nil); err != nil {
		t.Fatalf("tenant b after a's exit: %v", err)
	}
	verifyLog(t, w.db)
	noRecipientInAudit(t, w.db)
}

func userEvent(tn *yuncang.Tenant, kind string) *yuncang.Event {
	return &yuncang.Event{TenantID: tn.ID, UserID: 2, Username: "cs2", Kind: kind, Outcome: yuncang.OutcomeOK}
}

func revealEvent(tn *yuncang.Tenant) *yuncang.Event {
	return &yuncang.Event{TenantID: tn.ID, UserID: 1, Username: "cs1", Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: "customer_call"}
}

// noRecipientInAudit scans every audit record for any recipient plaintext:
// names, phones (also their last eight digits), addresses and their
// fragments, remarks.
func noRecipientInAudit(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	var all []*yuncang.Event
	after := int64(0)
	for {
		evs, err := db.Events(ctx, yuncang.EventFilter{AfterID: after, Limit: 500})
		must(t, err)
		if len(evs) == 0 {
			break
		}
		all = append(all, evs...)
		after = evs[len(evs)-1].ID
		if after <= 1 {
			break
		}
	}
	if len(all) < 10 {
		t.Fatalf("only %d audit records: the scan proves nothing", len(all))
	}
	for _, e := range all {
		text := fmt.Sprintf("%+v", *e)
		for _, p := range people {
			for _, s := range []string{p.name, p.phone, p.phone[3:], p.address, p.street, "稠城街道", "碧波路", "南池子"} {
				if strings.Contains(text, s) {
					t.Errorf("audit record %d (%s) holds recipient plaintext (%d bytes)", e.ID, e.Kind, len(s))
				}
			}
			if p.remarks != "" && strings.Contains(text, p.remarks) {
				t.Errorf("audit record %d (%s) holds remarks", e.ID, e.Kind)
			}
		}
	}
}
