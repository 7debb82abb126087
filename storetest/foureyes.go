package storetest

import (
	"context"
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

// testApprovals: a request is decided once, never by its requester or its
// subject, not after it expired; concurrent approvers cannot both win; the
// change round-trips; listing is scoped by tenant.
func testApprovals(t *testing.T, h Harness) {
	t.Run("Carrier", func(t *testing.T) { testCarrierApproval(t, h) })
	w := newWorld(t, h, "approvals")
	ctx := context.Background()
	now := w.db.Now()
	target := &yuncang.User{Username: "cs9", Role: yuncang.RoleCustomerService, Status: yuncang.UserPending}
	must(t, w.db.CreateUser(ctx, target, ""))
	sh := yuncang.Shift{StartMin: 8 * 60, EndMin: 23 * 60, Days: 0x3e, Mode: yuncang.ShiftDeny}
	ap := &yuncang.Approval{Kind: yuncang.ApprovalRole, TargetID: target.ID, RequestedBy: 100, ExpiresAt: now.Add(time.Hour),
		Change: yuncang.ApprovalChange{Role: yuncang.RoleCustomerService, NewAccount: true, EnrolPartHash: []byte{1, 2, 3}, Shift: &sh, Scopes: []string{"carrier"}, TTLHours: 24}}
	ev := &yuncang.Event{UserID: target.ID, Username: target.Username, Role: target.Role, ActorID: 100, ActorName: "so", ActorRole: yuncang.RoleSecurityOfficer,
		Kind: yuncang.EventApprovalRequest, Outcome: yuncang.OutcomeOK, Detail: "new account"}
	must(t, w.db.CreateApproval(ctx, ap, ev))
	got, err := w.db.ApprovalByID(ctx, ap.ID)
	must(t, err)
	if got.Status != yuncang.ApprovalPending || got.Change.Role != yuncang.RoleCustomerService || !got.Change.NewAccount || got.Change.Shift == nil ||
		*got.Change.Shift != sh || string(got.Change.EnrolPartHash) != "\x01\x02\x03" || got.Change.TTLHours != 24 || got.RequestedBy != 100 {
		t.Fatalf("approval = %+v", got)
	}
	wantCode(t, w.db.CreateApproval(ctx, &yuncang.Approval{Kind: "bogus", TargetID: 1, RequestedBy: 1, ExpiresAt: now}, nil), yuncang.EINTERNAL)
	_, err = w.db.DecideApproval(ctx, ap.ID, 100, yuncang.ApprovalApproved, "", now, nil)
	wantCode(t, err, yuncang.EFORBIDDEN) // the requester
	_, err = w.db.DecideApproval(ctx, ap.ID, target.ID, yuncang.ApprovalApproved, "", now, nil)
	wantCode(t, err, yuncang.EFORBIDDEN) // the subject
	_, err = w.db.DecideApproval(ctx, ap.ID, 101, yuncang.ApprovalApproved, "", now.Add(2*time.Hour), nil)
	wantCode(t, err, yuncang.ECONFLICT)                                                           // expired
	wantCode(t, w.db.FinishApproval(ctx, ap.ID, yuncang.ApprovalApplied, nil), yuncang.ECONFLICT) // not approved yet

	// Several approvers at once: exactly one decision.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := int64(0); i < 4; i++ {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			if _, err := w.db.DecideApproval(ctx, ap.ID, id, yuncang.ApprovalApproved, "ok", now, nil); err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if yuncang.ErrorCode(err) != yuncang.ECONFLICT {
				t.Errorf("racing approver: %v", err)
			}
		}(200 + i)
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d approvers won", wins)
	}
	must(t, w.db.FinishApproval(ctx, ap.ID, yuncang.ApprovalApplied, nil))
	wantCode(t, w.db.FinishApproval(ctx, ap.ID, yuncang.ApprovalApplied, nil), yuncang.ECONFLICT)
	must(t, w.db.ActivatePending(ctx, target.ID, nil))
	wantCode(t, w.db.ActivatePending(ctx, target.ID, nil), yuncang.ECONFLICT)

	other := &yuncang.Approval{TenantID: w.a.ID, Kind: yuncang.ApprovalToken, TargetID: 5, RequestedBy: 6, ExpiresAt: now.Add(time.Hour)}
	must(t, w.db.CreateApproval(ctx, other, nil))
	own, err := w.db.Approvals(ctx, w.b.ID, "", 10)
	must(t, err)
	all, err := w.db.Approvals(ctx, -1, "", 10)
	must(t, err)
	pending, err := w.db.Approvals(ctx, -1, yuncang.ApprovalPending, 10)
	must(t, err)
	if len(own) != 0 || len(all) != 2 || len(pending) != 1 || pending[0].ID != other.ID {
		t.Fatalf("listing: own %d all %d pending %d", len(own), len(all), len(pending))
	}
}

// testEnrolments: a code is found only by its hash while unused and
// unexpired, works once (even when redeemed twice at once), and a newer
// code voids the older.
func testEnrolments(t *testing.T, h Harness) {
	w := newWorld(t, h, "enrolments")
	ctx := context.Background()
	now := w.db.Now()
	u := &yuncang.User{Username: "ms9", Role: yuncang.RoleCustomerService}
	must(t, w.db.CreateUser(ctx, u, ""))
	hash := func(s string) []byte { h := sha256.Sum256([]byte(s)); return h[:] }
	old := &yuncang.Enrolment{UserID: u.ID, Purpose: yuncang.EnrolAccount, LookupHash: hash("a1"), CheckHash: hash("a2"), CreatedBy: 9, ExpiresAt: now.Add(time.Hour)}
	must(t, w.db.CreateEnrolment(ctx, old, nil))
	e := &yuncang.Enrolment{UserID: u.ID, Purpose: yuncang.EnrolAccount, LookupHash: hash("b1"), CheckHash: hash("b2"), CreatedBy: 9, ExpiresAt: now.Add(time.Hour)}
	must(t, w.db.CreateEnrolment(ctx, e, nil))
	if _, err := w.db.EnrolmentByLookup(ctx, hash("a1"), now); yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		t.Fatalf("older code still live: %v", err)
	}
	got, err := w.db.EnrolmentByLookup(ctx, hash("b1"), now)
	must(t, err)
	if got.ID != e.ID || string(got.CheckHash) != string(hash("b2")) || got.Purpose != yuncang.EnrolAccount {
		t.Fatalf("enrolment = %+v", got)
	}
	if _, err := w.db.EnrolmentByLookup(ctx, hash("b1"), now.Add(2*time.Hour)); yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		t.Fatalf("expired code live: %v", err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = w.db.RedeemEnrolment(ctx, e.ID, u.ID, "hash-x", []byte("sealed"), now, nil)
		}(i)
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else if yuncang.ErrorCode(err) != yuncang.ECONFLICT {
			t.Errorf("redeem: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d redemptions of one code", ok)
	}
	_, hashGot, err := w.db.UserForLogin(ctx, "ms9")
	must(t, err)
	if ct, _, _ := w.db.TOTPSecret(ctx, u.ID); hashGot != "hash-x" || string(ct) != "sealed" {
		t.Fatalf("credentials after redeem: %q %q", hashGot, ct)
	}
}

// testCarrierApproval: a carrier's configuration waits for its second
// person too (kind carrier, migration 0020), and comes back as asked for.
func testCarrierApproval(t *testing.T, h Harness) {
	w := newWorld(t, h, "carrierapprovals")
	ctx := context.Background()
	now := w.db.Now()
	target := &yuncang.User{Username: "jt", Role: yuncang.RoleCarrier}
	must(t, w.db.CreateUser(ctx, target, ""))
	car := &yuncang.Approval{Kind: yuncang.ApprovalCarrier, RequestedBy: 100, ExpiresAt: now.Add(time.Hour),
		Change: yuncang.ApprovalChange{Carrier: &yuncang.Carrier{Code: "JT", Name: "极兔", PublicKey: "age1example", UserID: target.ID, MaxReprints: 2}}}
	must(t, w.db.CreateApproval(ctx, car, nil))
	gotCar, err := w.db.ApprovalByID(ctx, car.ID)
	must(t, err)
	if gotCar.Kind != yuncang.ApprovalCarrier || gotCar.Change.Carrier == nil || *gotCar.Change.Carrier != *car.Change.Carrier {
		t.Fatalf("carrier approval = %+v", gotCar)
	}
}
