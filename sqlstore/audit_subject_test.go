package sqlstore

import (
	"reflect"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
)

// An administrator acting on an account: the record names the actor as
// actor and the account as an explicit subject (encoding version 2), not as
// a first target, and reads back as it was written.
func TestAuditSubjectExplicit(t *testing.T) {
	at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	ev := &yuncang.Event{At: at, UserID: 7, Username: "op7", Role: yuncang.RoleOperator, ActorID: 9, ActorName: "so", ActorRole: yuncang.RoleSecurityOfficer,
		Kind: string(audit.ActionOffboard), Outcome: yuncang.OutcomeOK, Targets: []string{"device:3"}}
	a := toAudit(ev)
	if a.ActorID != 9 || a.SubjectID != 7 || !reflect.DeepEqual(a.Targets, []string{"device:3"}) || subjectOf(a) != 7 {
		t.Fatalf("record %+v: want actor 9, subject 7 and the targets as given", a)
	}
	b := a.Encode()
	if b[3] != 2 {
		t.Fatalf("encoded as version %d", b[3])
	}
	dec, err := audit.DecodeEvent(b)
	if err != nil {
		t.Fatal(err)
	}
	got := fromAudit(dec)
	if got.UserID != 7 || got.ActorID != 9 || got.ActorName != "so" || !reflect.DeepEqual(got.Targets, []string{"device:3"}) {
		t.Fatalf("read back %+v", got)
	}
	// Acting on itself: no subject, version 1.
	self := toAudit(&yuncang.Event{At: at, UserID: 7, Username: "op7", Kind: string(audit.ActionLogin), Outcome: yuncang.OutcomeOK})
	if self.SubjectID != 0 || self.Encode()[3] != 1 || subjectOf(self) != 7 {
		t.Fatalf("self record %+v", self)
	}
}

// Records written before version 2 named the subject as a first target
// "user:N"; they still read with the account as subject.
func TestAuditSubjectLegacy(t *testing.T) {
	old := &audit.Event{Index: 3, Time: time.Unix(1, 0).UTC(), ActorID: 9, ActorName: "so", Role: yuncang.RoleSecurityOfficer,
		Action: audit.ActionOffboard, Outcome: yuncang.OutcomeOK, Targets: []string{"user:7", "device:3"}}
	b := old.Encode()
	if b[3] != 1 {
		t.Fatalf("a legacy record encodes as version %d", b[3])
	}
	dec, err := audit.DecodeEvent(b)
	if err != nil {
		t.Fatal(err)
	}
	got := fromAudit(dec)
	if got.UserID != 7 || got.ActorID != 9 || !reflect.DeepEqual(got.Targets, []string{"device:3"}) || subjectOf(dec) != 7 {
		t.Fatalf("legacy record read back as %+v", got)
	}
}
