package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/sqlstore"
)

// verifyLog recomputes the audit tree from storage and fails on any problem.
func verifyLog(t *testing.T, db *sqlstore.DB) audit.Report {
	t.Helper()
	records := func(yield func(audit.Record, error) bool) {
		for r, err := range db.AuditRecords(context.Background()) {
			if !yield(audit.Record{Index: r.Index, Data: r.Data, LeafHash: r.LeafHash}, err) {
				return
			}
		}
	}
	rep := audit.Verify(records, nil, nil, nil)
	if !rep.OK() {
		t.Fatalf("audit log does not verify: %s", rep.String())
	}
	return rep
}

func testAuditLog(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "audit")
	cs := &yuncang.Event{UserID: 42, Username: "cs1", Role: yuncang.RoleCustomerService, Source: "10.0.0.5"}

	// Intake, a page, a view and a reveal each append their event in the
	// same transaction, with the orders they touched as targets.
	ev := *cs
	ev.Kind, ev.Outcome = yuncang.EventOrderImport, yuncang.OutcomeOK
	res, _, err := w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "A-1", people[0], 1), prepared(w.a, "A-2", people[1], 1)}, false, &ev)
	must(t, err)
	page := *cs
	page.Kind, page.Outcome, page.TenantID = yuncang.EventListPage, yuncang.OutcomeOK, w.a.ID
	os, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID}, &page)
	must(t, err)
	reveal := *cs
	reveal.Kind, reveal.Outcome, reveal.Purpose, reveal.TenantID = yuncang.EventReveal, yuncang.OutcomeOK, yuncang.PurposeDeliveryException, w.a.ID
	rec, remarks, err := w.db.RevealRecipient(ctx, w.a.ID, res[0].Order.ID, &reveal, nil)
	must(t, err)
	if rec.Name != people[0].name || rec.Phone != people[0].phone || remarks != people[0].remarks {
		t.Fatalf("revealed %+v", rec)
	}
	if _, _, err := w.db.RevealRecipient(ctx, w.a.ID, res[0].Order.ID, nil, nil); err == nil {
		t.Fatal("reveal without an audit event succeeded")
	}
	_, _, err = w.db.RevealRecipient(ctx, w.b.ID, res[0].Order.ID, &reveal, nil) // another tenant's order
	wantCode(t, err, yuncang.ENOTFOUND)
	// A detail carrying an unmasked phone is refused, and so is the action.
	bad := *cs
	bad.Kind, bad.Outcome, bad.Detail = yuncang.EventListPage, yuncang.OutcomeOK, "call 13812345678"
	if _, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID}, &bad); err == nil {
		t.Fatal("an audit event with an unmasked phone was accepted")
	}

	evs, err := w.db.Events(ctx, yuncang.EventFilter{UserID: 42})
	must(t, err)
	if len(evs) != 3 || evs[0].Kind != yuncang.EventReveal || evs[1].Kind != yuncang.EventListPage || evs[2].Kind != yuncang.EventOrderImport {
		t.Fatalf("events = %+v", evs)
	}
	if len(evs[1].Targets) != len(os) || evs[0].Targets[0] != fmt.Sprintf("order:%d", res[0].Order.ID) || evs[0].Purpose != yuncang.PurposeDeliveryException {
		t.Fatalf("targets: %+v / %+v", evs[1].Targets, evs[0])
	}
	byTarget, err := w.db.Events(ctx, yuncang.EventFilter{Target: fmt.Sprintf("order:%d", res[0].Order.ID)})
	must(t, err)
	if len(byTarget) != 3 {
		t.Fatalf("events by target = %d", len(byTarget))
	}
	// A target filter matches literally: LIKE's wildcards in it are text.
	for _, tg := range []string{"code:A_B", "code:AxB", "code:A%B"} {
		must(t, w.db.RecordEvent(ctx, &yuncang.Event{UserID: 43, Username: "cs2", Kind: yuncang.EventLogin, Outcome: yuncang.OutcomeOK, Targets: []string{tg}}))
	}
	for _, tg := range []string{"code:A_B", "code:A%B"} {
		got, err := w.db.Events(ctx, yuncang.EventFilter{Target: tg})
		must(t, err)
		if len(got) != 1 || got[0].Targets[0] != tg {
			t.Fatalf("events by target %q = %+v", tg, got)
		}
	}
	// Offboarding appends its event with the disable, naming actor and subject.
	off := &yuncang.Event{UserID: 7, Username: "op7", Role: yuncang.RoleOperator, ActorID: 9, ActorName: "so", ActorRole: yuncang.RoleSecurityOfficer,
		Kind: yuncang.EventOffboard, Outcome: yuncang.OutcomeOK, Detail: "left"}
	u := &yuncang.User{Username: "op7", Role: yuncang.RoleOperator, Warehouses: []int64{w.whYiwu.ID}}
	must(t, w.db.CreateUser(ctx, u, "h"))
	off.UserID = u.ID
	must(t, w.db.Disable(ctx, u.ID, "offboarded", w.db.Now(), off))
	got, err := w.db.Events(ctx, yuncang.EventFilter{UserID: u.ID})
	must(t, err)
	if len(got) != 1 || got[0].ActorID != 9 || got[0].UserID != u.ID || got[0].ActorName != "so" {
		t.Fatalf("offboard event = %+v", got)
	}
	rep := verifyLog(t, w.db)
	if n, _ := w.db.AuditSize(ctx); n != rep.Records || n != 7 {
		t.Fatalf("audit size %d, verified %d", n, rep.Records)
	}
}

// testAuditConcurrent appends from several pools at once (on PostgreSQL,
// as several servers would) and checks one unforked tree results.
func testAuditConcurrent(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "audit-concurrent")
	dbs := []*sqlstore.DB{w.db, h.Open(t, "audit-concurrent", w.master), h.Open(t, "audit-concurrent", w.master)}
	// Several writers share each pool, as the requests of one server do: a
	// writer's commit lands in its pool's hash cache while another writer of
	// the same pool is reading hashes for its own append. Singles and groups
	// interleave so appends cross tree levels at every position.
	const writers, rounds = 6, 25
	var wg sync.WaitGroup
	errs := make(chan error, len(dbs)*writers)
	var want int64
	for p, db := range dbs {
		for g := 0; g < writers; g++ {
			for i := 0; i < rounds; i++ {
				want += int64(1 + i%3)
			}
			wg.Add(1)
			go func(db *sqlstore.DB, p, g int) {
				defer wg.Done()
				for i := 0; i < rounds; i++ {
					var evs []*yuncang.Event
					for k := 0; k < 1+i%3; k++ {
						evs = append(evs, &yuncang.Event{UserID: int64(100*p + g), Username: "u", Kind: yuncang.EventLogin, Outcome: yuncang.OutcomeOK, Detail: fmt.Sprint(i, k)})
					}
					if err := db.AppendEvents(ctx, evs); err != nil {
						errs <- err
						return
					}
				}
			}(db, p, g)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rep := verifyLog(t, w.db)
	if rep.Records != want {
		t.Fatalf("verified %d records, want %d", rep.Records, want)
	}
}

// testQuota checks quotas are spent atomically with the reveal and hold
// under concurrency (on PostgreSQL, across pools as across servers).
func testQuota(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "quota")
	res, _, err := w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "Q-1", people[0], 1)}, false, nil)
	must(t, err)
	id := res[0].Order.ID
	at := w.db.Now()
	q := yuncang.QuotaRequest{UserID: 5, TenantID: w.a.ID, Kind: "reveal", At: at, HourLimit: 100, DayLimit: 7, TenantLimit: 1000}
	dbs := []*sqlstore.DB{w.db, h.Open(t, "quota", w.master)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, limited := 0, 0
	for g := 0; g < 6; g++ {
		wg.Add(1)
		go func(db *sqlstore.DB) {
			defer wg.Done()
			for i := 0; i < 3; i++ {
				ev := &yuncang.Event{UserID: 5, Username: "cs", Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeReturn}
				qq := q
				_, _, err := db.RevealRecipient(ctx, w.a.ID, id, ev, &qq)
				mu.Lock()
				switch yuncang.ErrorCode(err) {
				case "":
					ok++
				case yuncang.ERATELIMITED:
					limited++
				default:
					t.Error(err)
				}
				mu.Unlock()
			}
		}(dbs[g%2])
	}
	wg.Wait()
	if ok != 7 || limited != 11 {
		t.Fatalf("quota 7: %d reveals went through, %d refused", ok, limited)
	}
	// Refused reveals left no audit record: 7 reveals in the log.
	evs, err := w.db.Events(ctx, yuncang.EventFilter{UserID: 5, Kind: yuncang.EventReveal})
	must(t, err)
	if len(evs) != 7 {
		t.Fatalf("%d reveal events, want 7", len(evs))
	}
	// A second person's raise adds to today's quota.
	g := &yuncang.QuotaGrant{UserID: 5, Kind: "reveal", Extra: 2, Reason: "peak", RequestedBy: 8, ExpiresAt: at.Add(time.Hour)}
	must(t, w.db.RequestQuotaGrant(ctx, g))
	if _, err := w.db.ApproveQuotaGrant(ctx, g.ID, 8, at, nil); yuncang.ErrorCode(err) != yuncang.EFORBIDDEN {
		t.Fatalf("self-approval: %v", err)
	}
	if _, err := w.db.ApproveQuotaGrant(ctx, g.ID, 9, at, nil); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		qq := q
		_, _, err := w.db.RevealRecipient(ctx, w.a.ID, id, &yuncang.Event{UserID: 5, Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeReturn}, &qq)
		if (i < 2) != (err == nil) {
			t.Fatalf("reveal %d after a raise of 2: %v", i, err)
		}
	}
}

// testQuotaHours: the hourly limit counts within the clock hour and starts
// again in the next; the merchant's ceiling counts every account's units of
// the day; a refused unit is not counted; each counter's day starts fresh.
func testQuotaHours(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "quotahours")
	at := time.Date(2026, 12, 3, 10, 20, 0, 0, time.UTC)
	consume := func(user int64, at time.Time) error {
		return w.db.ConsumeQuota(ctx, yuncang.QuotaRequest{UserID: user, TenantID: w.a.ID, Kind: "reveal", At: at, HourLimit: 2, DayLimit: 100, TenantLimit: 4})
	}
	for i, c := range []struct {
		user int64
		at   time.Time
		ok   bool
	}{
		{5, at, true}, {5, at.Add(time.Minute), true},
		{5, at.Add(2 * time.Minute), false},  // third in the hour
		{5, at.Add(40 * time.Minute), true},  // 11:00: a new hour
		{5, at.Add(41 * time.Minute), true},  // second in it
		{5, at.Add(42 * time.Minute), false}, // third in it (the refused one above did not count)
		{6, at.Add(43 * time.Minute), false}, // the merchant's fifth of the day
		{6, at.Add(24 * time.Hour), true},    // the next day
	} {
		err := consume(c.user, c.at)
		if c.ok != (err == nil) || (err != nil && yuncang.ErrorCode(err) != yuncang.ERATELIMITED) {
			t.Fatalf("unit %d (user %d at %s): %v, want ok %v", i, c.user, c.at.Format("15:04"), err, c.ok)
		}
	}
}
