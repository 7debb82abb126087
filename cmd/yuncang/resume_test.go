package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// restoredEnv is auditEnv (40 records, checkpoints 20 and 40) backed up at
// 40, grown to 60 and checkpointed at 60, then restored from the backup: the
// state a correct restore leaves, with a checkpoint beyond the log.
func restoredEnv(t *testing.T) string {
	t.Helper()
	path, _ := auditEnv(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if code, out, e := runCmd(t, "", "backup", "--out", backup); code != 0 {
		t.Fatalf("backup: %q %q", out, e)
	}
	appendEvents(t, 40, 60)
	if code, out, e := runCmd(t, "", "audit", "checkpoint"); code != 0 || !strings.Contains(out, "checkpoint 60") {
		t.Fatalf("checkpoint: %d %q %q", code, out, e)
	}
	if code, out, e := runCmd(t, "", "restore", "--from", backup, "--force"); code != 0 || !strings.Contains(out, "audit resume") {
		t.Fatalf("restore: %d %q %q", code, out, e)
	}
	return path
}

// TestRestoreThenResume: issue 11 item 4. Before: a correctly restored
// backup was flagged as truncated for ever and no checkpoint was signed
// again. After 'audit resume' the log verifies, explaining the resume, and
// checkpoints continue, while every checkpoint published before stays
// verifiable.
func TestRestoreThenResume(t *testing.T) {
	restoredEnv(t)
	if code, out, _ := runCmd(t, "", "audit", "verify"); code == 0 || !strings.Contains(out, "truncated") {
		t.Fatalf("verify before resuming should report the truncation: %d %q", code, out)
	}
	if code, _, e := runCmd(t, "", "audit", "checkpoint"); code == 0 || !strings.Contains(e, "audit resume") {
		t.Fatalf("checkpoint before resuming: %d %q", code, e)
	}
	code, out, e := runCmd(t, "", "audit", "resume")
	// The time printed is the resume's: it said "restored from a backup at
	// <now>" before, which read as the backup's time.
	if strings.Contains(out, "restored from a backup at") || !strings.Contains(out, "resumed at ") {
		t.Errorf("resume names its own time as the backup's: %q", out)
	}
	if code != 0 || !strings.Contains(out, "restored from a backup") || !strings.Contains(out, "40 records") ||
		!strings.Contains(out, "up to size 60") || !strings.Contains(out, "checkpoint 41 (epoch 1)") {
		t.Fatalf("resume: %d %q %q", code, out, e)
	}
	if code, _, _ := runCmd(t, "", "audit", "resume"); code == 0 {
		t.Fatal("a second resume with nothing to resume succeeded")
	}
	code, out, e = runCmd(t, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "OK") || !strings.Contains(out, "resumed: epoch 1") {
		t.Fatalf("verify after resume: %d %q %q", code, out, e)
	}
	// The resume is in the log itself.
	db := openTestStore(t)
	data, err := db.AuditRecord(t.Context(), 40)
	db.Close()
	if err != nil || !strings.Contains(string(data), "audit_resume") || !strings.Contains(string(data), "superseded") {
		t.Fatalf("record 40 is not the resume: %q %v", data, err)
	}
	// Checkpoints continue, in the new epoch, past the sizes of the
	// superseded ones (41..60 exist in epoch 0 and in epoch 1 now).
	appendEvents(t, 41, 70)
	if code, out, e := runCmd(t, "", "audit", "checkpoint"); code != 0 || !strings.Contains(out, "checkpoint 70") {
		t.Fatalf("checkpoint after resume: %d %q %q", code, out, e)
	}
	code, out, e = runCmd(t, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "OK") || !strings.Contains(out, "1 checkpoint(s) of superseded history") {
		t.Fatalf("verify after more checkpoints: %d %q %q", code, out, e)
	}
	// Every earlier published checkpoint is still there.
	ents, _ := os.ReadDir(os.Getenv("YUNCANG_AUDIT_PUBLISH_DIR"))
	var names []string
	for _, en := range ents {
		names = append(names, en.Name())
	}
	for _, want := range []string{"checkpoint-00000000000000000020.txt", "checkpoint-00000000000000000060.txt",
		"checkpoint-00000000000000000041-e1.txt", "checkpoint-00000000000000000070-e1.txt", "resume-000001.txt"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("published directory lacks %s: %v", want, names)
		}
	}
}

// TestResumeRefusesEditedRestore: a "restored" log that is not a prefix of
// the signed history is tampering, and resume refuses to bless it.
func TestResumeRefusesEditedRestore(t *testing.T) {
	cases := []struct {
		name string
		do   func(t *testing.T, path string)
	}{
		{"one record edited", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE audit_records SET data = CAST(REPLACE(CAST(data AS TEXT), 'note 7', 'mote 7') AS BLOB) WHERE idx = 7`)
		}},
		{"rewritten consistently", func(t *testing.T, path string) { rewriteLog(t, path) }},
		{"truncated below a checkpoint and the stored ones dropped", func(t *testing.T, path string) {
			tamper(t, path, `UPDATE audit_records SET data = CAST(REPLACE(CAST(data AS TEXT), 'note 3', 'mote 3') AS BLOB) WHERE idx = 3`,
				`DELETE FROM audit_records WHERE idx >= 10`, `UPDATE audit_head SET size = 10`, `DELETE FROM audit_checkpoints`)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := restoredEnv(t)
			c.do(t, path)
			code, out, e := runCmd(t, "", "audit", "resume")
			if code == 0 || !strings.Contains(e, "refusing to resume") {
				t.Fatalf("resume of an edited log: %d %q %q", code, out, e)
			}
			if code, _, _ := runCmd(t, "", "audit", "checkpoint"); code == 0 {
				t.Fatal("checkpoint signed after a refused resume")
			}
			ents, _ := os.ReadDir(os.Getenv("YUNCANG_AUDIT_PUBLISH_DIR"))
			for _, en := range ents {
				if strings.HasPrefix(en.Name(), "resume-") {
					t.Fatalf("a refused resume was published: %s", en.Name())
				}
			}
		})
	}
}

// TestServeRefusesUnresumedRestore: serve started on a restored database
// before 'audit resume' and only logged, every minute, that checkpoints were
// refused, while it appended reveals to a log no checkpoint could sign. It
// refuses to start, saying what to do.
func TestServeRefusesUnresumedRestore(t *testing.T) {
	restoredEnv(t)
	t.Setenv("YUNCANG_ADDR", "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	err := runServe(ctx, nil, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	if err == nil || !strings.Contains(err.Error(), "refusing to start") || !strings.Contains(err.Error(), "audit resume") {
		t.Fatalf("serve on an unresumed restore: err %v, out %q", err, out.String())
	}
	if strings.Contains(out.String(), "serving on") {
		t.Fatalf("serve listened before refusing: %q", out.String())
	}
	if code, _, e := runCmd(t, "", "audit", "resume"); code != 0 {
		t.Fatalf("resume: %q", e)
	}
	ctx2, cancel2 := context.WithCancel(t.Context())
	done := make(chan error, 1)
	out.Reset()
	w := &syncBuffer{}
	go func() { done <- runServe(ctx2, nil, stdio{in: strings.NewReader(""), out: w, err: &bytes.Buffer{}}) }()
	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(w.String(), "serving on") {
		select {
		case err := <-done:
			cancel2()
			t.Fatalf("serve after the resume did not start: %v", err)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			break
		}
	}
	cancel2()
	if err := <-done; err != nil || !strings.Contains(w.String(), "serving on") {
		t.Fatalf("serve after the resume: %v %q", err, w.String())
	}
}
