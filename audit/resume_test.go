package audit

import (
	"strings"
	"testing"
	"time"
)

// TestVerifyResumed builds the history of a restore: a log of 60 records
// checkpointed at 20, 40 and 60, restored to its first 40 records, resumed
// (epoch 1), grown to 70 with new records and checkpointed in epoch 1.
func TestVerifyResumed(t *testing.T) {
	k := newTestKeys(t)
	t0 := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	old := newTestLog(t, 60)
	var pubs []Checkpoint
	for _, n := range []int64{20, 40, 60} {
		c, err := SignCheckpoint(k.signer, n, mustRoot(t, old, n), t0)
		if err != nil {
			t.Fatal(err)
		}
		pubs = append(pubs, c)
	}
	restored := &MemLog{}
	for _, r := range old.Rows[:40] {
		if err := restored.AppendEncoded(r.Data); err != nil {
			t.Fatal(err)
		}
	}
	r, err := SignResume(k.signer, Resume{Epoch: 1, Size: 40, Root: mustRoot(t, restored, 40), Superseded: 60, SupersededRoot: pubs[2].Root}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := ParseResume(r.Note, k.verifier); err != nil || got.Text() != r.Text() {
		t.Fatalf("round trip: %v", err)
	}
	if _, err := ParseCheckpoint(r.Note, k.verifier); err == nil {
		t.Fatal("a resume statement parsed as a checkpoint")
	}
	gen := newEventGen(7)
	for i := int64(40); i < 70; i++ {
		if _, err := restored.Append(gen.next(i)); err != nil {
			t.Fatal(err)
		}
	}
	next, err := SignAfterResume(k.signer, k.verifier, r, 70, restored, t0.Add(2*time.Hour))
	if err != nil || next.Epoch != 1 {
		t.Fatalf("first checkpoint of epoch 1: %+v %v", next, err)
	}
	if c, err := ParseCheckpoint(next.Note, k.verifier); err != nil || c.Epoch != 1 {
		t.Fatalf("epoch lost in the note: %+v %v", c, err)
	}
	all := append(append([]Checkpoint(nil), pubs...), next)

	if rep := Verify(restored.Records(), nil, all, k.verifier); rep.OK() {
		t.Fatal("without the resume statement the restore must look like tampering")
	}
	rep := VerifyResumed(restored.Records(), nil, all, [][]byte{r.Note}, k.verifier)
	if !rep.OK() || rep.Superseded != 1 || len(rep.Resumes) != 1 || rep.Records != 70 {
		t.Fatalf("resumed log: %s (superseded %d)", rep.String(), rep.Superseded)
	}

	// A server that kept signing the old history after the resume.
	late, _ := SignCheckpoint(k.signer, 60, pubs[2].Root, t0.Add(3*time.Hour))
	rep = VerifyResumed(restored.Records(), nil, append(all[:3:3], late, next), [][]byte{r.Note}, k.verifier)
	if !rep.Has(KindFork, -1) {
		t.Fatalf("old-epoch checkpoint after the resume: %s", rep.String())
	}
	// A checkpoint beyond what the resume said it gave up.
	big, _ := SignCheckpoint(k.signer, 65, mustRoot(t, restored, 65), t0)
	if rep := VerifyResumed(restored.Records(), nil, append(all, big), [][]byte{r.Note}, k.verifier); !rep.Has(KindTruncated, -1) {
		t.Fatalf("unaccounted superseded checkpoint: %s", rep.String())
	}
	// An epoch-1 checkpoint with no resume statement.
	if rep := VerifyResumed(restored.Records(), nil, all, nil, k.verifier); !rep.Has(KindForgedCheckpoint, -1) {
		t.Fatalf("epoch without a statement: %s", rep.String())
	}
	// A resume statement whose restored root is not the log's.
	bad, _ := SignResume(k.signer, Resume{Epoch: 1, Size: 40, Root: pubs[0].Root, Superseded: 60, SupersededRoot: pubs[2].Root}, t0.Add(time.Hour))
	rep = VerifyResumed(restored.Records(), nil, all, [][]byte{bad.Note}, k.verifier)
	if !rep.Has(KindRootMismatch, -1) || !strings.Contains(rep.String(), "resume checkpoint of size 40") {
		t.Fatalf("wrong restored root: %s", rep.String())
	}
}

func mustRoot(t *testing.T, m *MemLog, n int64) (h [32]byte) {
	t.Helper()
	h, err := TreeHash(n, m)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
