package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

// testCompliance: training records count from their start to their end;
// the ledger's facts count live credentials, reveals by purpose, reprints
// and incidents; the affected records of an incident are the distinct
// orders one actor revealed in the window, with their merchants; a stored
// inspection comes back byte for byte.
func testCompliance(t *testing.T, h Harness) {
	w := newWorld(t, h, "compliance")
	ctx := context.Background()
	now := w.db.Now().Truncate(time.Second)
	cs := &yuncang.User{Username: "cs1", Role: yuncang.RoleCustomerService, Status: yuncang.UserActive}
	so := &yuncang.User{Username: "so1", Role: yuncang.RoleSecurityOfficer, Status: yuncang.UserActive}
	must(t, w.db.CreateUser(ctx, cs, ""))
	must(t, w.db.CreateUser(ctx, so, ""))

	wantCode(t, w.db.RecordTraining(ctx, &yuncang.TrainingRecord{UserID: 9999, Topic: yuncang.TrainingPersonalData, TrainedAt: now, ExpiresAt: now.Add(time.Hour)}, nil), yuncang.EINVALID)
	tr := &yuncang.TrainingRecord{UserID: cs.ID, Topic: yuncang.TrainingPersonalData, TrainedAt: now.Add(-time.Hour), ExpiresAt: now.Add(24 * time.Hour), RecordedBy: so.ID, Note: "课程"}
	ev := &yuncang.Event{UserID: cs.ID, Username: cs.Username, Role: cs.Role, ActorID: so.ID, ActorName: so.Username, ActorRole: so.Role,
		Kind: yuncang.EventTrainingRecord, Outcome: yuncang.OutcomeOK, Detail: "trained"}
	must(t, w.db.RecordTraining(ctx, tr, ev))
	for _, c := range []struct {
		at    time.Time
		topic string
		want  bool
	}{{now, yuncang.TrainingPersonalData, true}, {now.Add(-2 * time.Hour), yuncang.TrainingPersonalData, false},
		{now.Add(24 * time.Hour), yuncang.TrainingPersonalData, false}, {now, yuncang.TrainingSecurity, false}} {
		got, err := w.db.TrainedFor(ctx, cs.ID, c.topic, c.at)
		must(t, err)
		if got != c.want {
			t.Errorf("trained for %s at %s: %v, want %v", c.topic, c.at, got, c.want)
		}
	}
	list, err := w.db.TrainingRecords(ctx)
	must(t, err)
	if len(list) != 1 || list[0].Username != "cs1" || list[0].Note != "课程" || !list[0].ExpiresAt.Equal(tr.ExpiresAt) {
		t.Fatalf("training records: %+v", list)
	}

	// Orders of both merchants; cs1 reveals two of them (one twice), so1
	// one; a reveal outside the window does not count.
	var ids []int64
	for i, tn := range []*yuncang.Tenant{w.a, w.a, w.b} {
		res, _, err := w.db.CreateOrders(ctx, tn.ID, []*yuncang.PreparedOrder{prepared(tn, fmt.Sprintf("CMP-%d", i), people[i], 1)}, false, nil)
		must(t, err)
		ids = append(ids, res[0].Order.ID)
	}
	reveal := func(u *yuncang.User, at time.Time, purpose string, order int64) *yuncang.Event {
		return &yuncang.Event{At: at, UserID: u.ID, Username: u.Username, Role: u.Role, Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK,
			Purpose: purpose, Targets: []string{fmt.Sprintf("order:%d", order)}}
	}
	must(t, w.db.AppendEvents(ctx, []*yuncang.Event{
		reveal(cs, now.Add(-3*time.Hour), yuncang.PurposeDeliveryException, ids[0]),
		reveal(cs, now.Add(-2*time.Hour), yuncang.PurposeDeliveryException, ids[0]),
		reveal(cs, now.Add(-time.Hour), yuncang.PurposeReturn, ids[2]),
		reveal(cs, now.Add(-48*time.Hour), yuncang.PurposeReturn, ids[1]),
		reveal(so, now.Add(-time.Hour), yuncang.PurposeReturn, ids[1]),
		{At: now.Add(-time.Hour), UserID: cs.ID, Username: cs.Username, Role: cs.Role, Kind: yuncang.EventKindLabelReprint, Outcome: yuncang.OutcomeOK, Targets: []string{"shipment:1"}},
	}))
	n, tenants, err := w.db.AffectedOrders(ctx, cs.ID, now.Add(-24*time.Hour), now)
	must(t, err)
	if n != 2 || len(tenants) != 2 || tenants[0] != w.a.ID || tenants[1] != w.b.ID {
		t.Errorf("affected: %d orders, merchants %v; want 2 of %d and %d", n, tenants, w.a.ID, w.b.ID)
	}

	must(t, w.db.CreateCredential(ctx, &yuncang.Credential{UserID: cs.ID, Kind: yuncang.CredentialSession, TokenHash: []byte("h1"), ExpiresAt: now.Add(time.Hour)}))
	must(t, w.db.CreateCredential(ctx, &yuncang.Credential{UserID: cs.ID, Kind: yuncang.CredentialSession, TokenHash: []byte("h2"), ExpiresAt: now.Add(-time.Hour)}))
	must(t, w.db.CreateCredential(ctx, &yuncang.Credential{UserID: so.ID, Kind: yuncang.CredentialAPIToken, TokenHash: []byte("h3"), ExpiresAt: now.Add(time.Hour)}))
	in := &yuncang.Incident{OpenedBy: so.ID, ActorID: cs.ID, WindowStart: now.Add(-24 * time.Hour), WindowEnd: now, Cause: "c", Categories: "k", Harm: "h",
		Remedies: "r", IndividualMeasures: "m", Contact: "x", AffectedOrders: n, AffectedTenants: tenants}
	must(t, w.db.CreateIncident(ctx, in, &yuncang.Event{UserID: so.ID, Username: so.Username, Role: so.Role, Kind: yuncang.EventIncident, Outcome: yuncang.OutcomeOK}))
	got, err := w.db.IncidentByID(ctx, in.ID)
	must(t, err)
	if got.ActorName != "cs1" || got.AffectedOrders != 2 || len(got.AffectedTenants) != 2 || !got.WindowEnd.Equal(now) {
		t.Errorf("incident: %+v", got)
	}
	_, err = w.db.IncidentByID(ctx, in.ID+100)
	wantCode(t, err, yuncang.ENOTFOUND)

	f, err := w.db.SecurityFacts(ctx, now.Add(-24*time.Hour), now)
	must(t, err)
	if f.LiveSessions[cs.ID] != 1 || f.LiveTokens[so.ID] != 1 || f.LiveTokens[cs.ID] != 0 {
		t.Errorf("live sessions %v, tokens %v", f.LiveSessions, f.LiveTokens)
	}
	if f.RevealsByPurpose[yuncang.PurposeDeliveryException] != 2 || f.RevealsByPurpose[yuncang.PurposeReturn] != 2 || f.Reprints != 1 {
		t.Errorf("reveals %v, reprints %d", f.RevealsByPurpose, f.Reprints)
	}
	if len(f.Training) != 1 || len(f.Incidents) != 1 || len(f.Users) != 2 || f.Retention[w.a.ID] != yuncang.DefaultRetentionDays || f.Erasures != 0 {
		t.Errorf("facts: training %d, incidents %d, users %d, retention %v, erasures %d", len(f.Training), len(f.Incidents), len(f.Users), f.Retention, f.Erasures)
	}

	pdf := []byte("%PDF-1.4\n\x00\xff binary")
	insp := &yuncang.Inspection{RunAt: now, RunBy: so.ID, Passed: 3, Failed: 1, Warned: 2, CheckpointSize: 7, PDFSHA256: "ab", PDF: pdf, Signature: []byte("sig\n")}
	must(t, w.db.StoreInspection(ctx, insp, &yuncang.Event{UserID: so.ID, Username: so.Username, Role: so.Role, Kind: yuncang.EventInspection, Outcome: yuncang.OutcomeOK}))
	back, err := w.db.InspectionByID(ctx, insp.ID)
	must(t, err)
	if string(back.PDF) != string(pdf) || string(back.Signature) != "sig\n" || back.RunByName != "so1" || back.Failed != 1 || !back.RunAt.Equal(now) {
		t.Errorf("inspection: %+v", back)
	}
	all, err := w.db.Inspections(ctx)
	must(t, err)
	if len(all) != 1 || all[0].PDF != nil {
		t.Errorf("inspections list: %+v", all)
	}
	evs, err := w.db.Events(ctx, yuncang.EventFilter{Target: fmt.Sprintf("inspection:%d", insp.ID)})
	must(t, err)
	if len(evs) != 1 {
		t.Errorf("inspection audited %d times", len(evs))
	}
}
