package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The README's inspection on a fresh demo: the demo publishes its audit
// verifier key in its data directory, so `inspection run` verifies the
// log (C09) and every control passes.
func TestInspectionOnDemo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("YUNCANG_MASTER_KEY", "")
	t.Setenv("YUNCANG_MASTER_KEY_FILE", "")
	t.Setenv("YUNCANG_AUDIT_SIGNER_KEY", "")
	t.Setenv("YUNCANG_AUDIT_SIGNER_KEY_FILE", "")
	t.Setenv("YUNCANG_AUDIT_VERIFIER_KEY", "")
	t.Setenv("YUNCANG_AUDIT_PUBLISH_DIR", "")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"demo", "--addr", "127.0.0.1:0", "--data", dir, "--orders", "20"}, stdio{in: strings.NewReader(""), out: &out, err: &errOut})
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(out.String(), "Press Ctrl-C") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the demo did not start: %s", errOut.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut.String())
	}
	// Stopping says so, and why (it printed nothing).
	if !strings.Contains(out.String(), "demo stopped (context canceled)") {
		t.Errorf("the stopped demo does not say so:\n%s", out.String())
	}
	key := filepath.Join(dir, "audit-verifier.key")
	if !strings.Contains(out.String(), key) {
		t.Errorf("the demo does not say where its verifier key is")
	}
	code, keys, _ := runCmd(t, "", "inspection", "keygen")
	if code != 0 {
		t.Fatal("inspection keygen failed")
	}
	for _, line := range strings.Split(strings.TrimSpace(keys), "\n") {
		name, val, _ := strings.Cut(line, "=")
		t.Setenv(name, val)
	}
	t.Setenv("YUNCANG_AUDIT_VERIFIER_KEY_FILE", key)
	code, rep, errRun := runCmd(t, "", "inspection", "run", "--data", dir, "--db", "sqlite:"+filepath.Join(dir, "demo.db"),
		"--officer", "security1", "--out", filepath.Join(dir, "inspection.pdf"))
	if code != 0 {
		t.Fatalf("inspection run: exit %d: %s", code, errRun)
	}
	if !strings.Contains(rep, "C09 pass") || !strings.Contains(rep, "fail 0,") {
		t.Fatalf("inspection of a fresh demo:\n%s", rep)
	}
	// A command that needs the master key, on the demo's database: it says
	// the key lives only in the running demo (it said only "no master key:
	// set YUNCANG_MASTER_KEY or YUNCANG_MASTER_KEY_FILE").
	code, _, errList := runCmd(t, "", "carrier", "list", "--data", dir, "--db", "sqlite:"+filepath.Join(dir, "demo.db"))
	if code == 0 || !strings.Contains(errList, "running demo's memory") || !strings.Contains(errList, "API or console") {
		t.Errorf("carrier list on the demo's database: exit %d: %s", code, errList)
	}
}
