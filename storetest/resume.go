package storetest

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
)

// testAuditResume: a resume statement is stored with its audit record in one
// transaction, only at the size it names, and only once per epoch; and the
// master key ring is checked against every stored tenant key.
func testAuditResume(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "resume")
	for range 3 {
		must(t, w.db.RecordEvent(ctx, &yuncang.Event{UserID: 1, Username: "cs1", Kind: yuncang.EventLogin, Outcome: yuncang.OutcomeOK}))
	}
	size, err := w.db.AuditSize(ctx)
	must(t, err)
	ev := func() *yuncang.Event {
		return &yuncang.Event{Kind: yuncang.EventAuditResume, Outcome: yuncang.OutcomeOK, Detail: "restored from backup"}
	}
	if err := w.db.RecordResume(ctx, 1, size-1, []byte("statement"), ev()); yuncang.ErrorCode(err) != yuncang.ECONFLICT {
		t.Fatalf("resume naming the wrong size: %v", err)
	}
	if got, _ := w.db.AuditSize(ctx); got != size {
		t.Fatalf("a refused resume appended: size %d, want %d", got, size)
	}
	must(t, w.db.RecordResume(ctx, 1, size, []byte("statement 1"), ev()))
	if err := w.db.RecordResume(ctx, 1, size+1, []byte("another"), ev()); yuncang.ErrorCode(err) != yuncang.ECONFLICT {
		t.Fatalf("second statement for epoch 1: %v", err)
	}
	notes, err := w.db.AuditResumes(ctx)
	must(t, err)
	if len(notes) != 1 || string(notes[0]) != "statement 1" {
		t.Fatalf("stored statements: %q", notes)
	}
	if got, _ := w.db.AuditSize(ctx); got != size+1 {
		t.Fatalf("the resume record was not appended: size %d", got)
	}
	verifyLog(t, w.db)

	if n, err := w.db.Vault().CheckKeys(ctx); err != nil || n < 6 {
		t.Fatalf("key check with the right ring: %d %v", n, err)
	}
	wrong := h.Open(t, "resume", NewMasterKeys(t, "m1"))
	if _, err := wrong.Vault().CheckKeys(ctx); err == nil {
		t.Fatal("key check passed with the wrong ring")
	}
}
