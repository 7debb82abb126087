package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/sqlstore"
)

// testRevealGuard: a reveal runs the guard inside its own transaction. Its
// window commits with the reveal; a refusal by the guard commits the window
// alone (the refused attempt counts) and spends no quota and writes no
// audit record; an attempt the guard let through that then fails (no such
// order, quota used up) counts exactly once; a guard that cannot count
// refuses and counts nothing. A window this process remembers is never
// trusted over the database: changed through another pool, forgotten, or
// left by a rolled-back transaction, it is loaded again.
func testRevealGuard(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "revealguard")
	res, _, err := w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "G-1", people[0], 1)}, false, nil)
	must(t, err)
	id := res[0].Order.ID
	at := w.db.Now()
	key := guard.Key{TenantID: w.a.ID, Subject: 5}
	other := h.Open(t, "revealguard", w.master) // a second server

	// window reads the stored window (one byte per counted attempt)
	// through the second pool, leaving it as it is.
	window := func() int {
		t.Helper()
		var n int
		must(t, other.UpdateGuardWindows(ctx, []guard.Key{key}, at, func(in [][]byte) ([][]byte, error) {
			n = len(in[0])
			return in, nil
		}))
		return n
	}
	reveals := func() int {
		t.Helper()
		evs, err := w.db.Events(ctx, yuncang.EventFilter{UserID: 5, Kind: yuncang.EventReveal})
		must(t, err)
		return len(evs)
	}
	var refuse error
	runs := 0
	count := func(ctx context.Context, ws yuncang.GuardWindows) error {
		runs++
		err := ws.UpdateGuardWindows(ctx, []guard.Key{key}, at, func(in [][]byte) ([][]byte, error) {
			return [][]byte{append(append([]byte{}, in[0]...), 'x')}, nil
		})
		if err != nil {
			return err
		}
		return refuse
	}
	reveal := func(db *sqlstore.DB, order int64, dayLimit int) error {
		q := &yuncang.QuotaRequest{UserID: 5, TenantID: w.a.ID, Kind: "reveal", At: at, HourLimit: 100, DayLimit: dayLimit, Guard: count}
		ev := &yuncang.Event{UserID: 5, Username: "cs", Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeReturn}
		_, _, err := db.RevealRecipient(ctx, w.a.ID, order, ev, q)
		return err
	}

	// Let through: window, quota and audit record commit together.
	must(t, reveal(w.db, id, 3))
	if n, r := window(), reveals(); n != 1 || r != 1 || runs != 1 {
		t.Fatalf("allowed reveal: window %d, reveal records %d, guard runs %d; want 1, 1, 1", n, r, runs)
	}
	// Refused by the guard: the window counts it, nothing else happens.
	refuse = yuncang.Errorf(yuncang.EFORBIDDEN, "suspended")
	wantCode(t, reveal(w.db, id, 3), yuncang.EFORBIDDEN)
	refuse = nil
	if n, r := window(), reveals(); n != 2 || r != 1 {
		t.Fatalf("refused reveal: window %d, reveal records %d; want 2, 1", n, r)
	}
	// The quota was not spent by the refused one: two more fit in 3 a day.
	must(t, reveal(w.db, id, 3))
	must(t, reveal(other, id, 3))
	// Let through, then failing: counted once (again, after the rollback).
	runs = 0
	wantCode(t, reveal(w.db, id, 3), yuncang.ERATELIMITED)
	if n, r := window(), reveals(); n != 5 || r != 3 || runs != 2 {
		t.Fatalf("reveal over quota: window %d, reveal records %d, guard runs %d; want 5, 3, 2", n, r, runs)
	}
	wantCode(t, reveal(w.db, id+1000, 100), yuncang.ENOTFOUND)
	if n := window(); n != 6 {
		t.Fatalf("reveal of a missing order: window %d, want 6", n)
	}
	// A guard that cannot count refuses and counts nothing.
	broken := errors.New("disk on fire")
	q := &yuncang.QuotaRequest{UserID: 5, TenantID: w.a.ID, Kind: "reveal", At: at, HourLimit: 100, DayLimit: 100,
		Guard: func(ctx context.Context, ws yuncang.GuardWindows) error {
			return ws.UpdateGuardWindows(ctx, []guard.Key{key}, at, func([][]byte) ([][]byte, error) { return nil, broken })
		}}
	_, _, err = w.db.RevealRecipient(ctx, w.a.ID, id, &yuncang.Event{UserID: 5, Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeReturn}, q)
	if !errors.Is(err, broken) {
		t.Fatalf("guard failure: %v", err)
	}
	if n, r := window(), reveals(); n != 6 || r != 3 {
		t.Fatalf("after a guard failure: window %d, reveal records %d; want 6, 3", n, r)
	}
	// Changed through the other pool, then forgotten: each time the next
	// update builds on the database's window, not on the one remembered.
	must(t, reveal(other, id, 100))
	must(t, reveal(w.db, id, 100))
	if n := window(); n != 8 {
		t.Fatalf("after reveals through both pools: window %d, want 8", n)
	}
	must(t, other.ForgetGuardWindow(ctx, key))
	must(t, reveal(w.db, id, 100))
	if n := window(); n != 1 {
		t.Fatalf("after forgetting: window %d, want 1 (a fresh window)", n)
	}
}
