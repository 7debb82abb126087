package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/vault"
)

// TestBackupWhileWriting takes backups while a server's store is being
// written to by several goroutines (audit records in groups and new tenants
// with their keys) and checks each copy: SQLite's integrity check, the audit
// tree against its own stored checkpoints, and — restored into a fresh data
// directory — a server that starts with the master key ring (every tenant
// key unwraps).
func TestBackupWhileWriting(t *testing.T) {
	useDB(t)
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	master, err := vault.ParseMasterKeys(os.Getenv("YUNCANG_MASTER_KEY"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := loadAuditKeys(true)
	if err != nil {
		t.Fatal(err)
	}
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: os.Getenv("YUNCANG_DATA")}, Master: master, AuditKeys: keys}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writes atomic.Int64
	for w := 0; w < 3; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				var err error
				if w == 0 && i%4 == 0 {
					err = m.DB.CreateTenant(context.Background(), &yuncang.Tenant{Code: fmt.Sprintf("t%d", i), Name: "Tenant"}, nil)
				} else {
					evs := make([]*yuncang.Event, 1+i%5)
					for j := range evs {
						evs[j] = &yuncang.Event{UserID: int64(w + 1), Username: "writer", Kind: yuncang.EventLogin, Outcome: yuncang.OutcomeOK}
					}
					err = m.DB.AppendEvents(context.Background(), evs)
				}
				if err != nil {
					t.Error(err)
					return
				}
				writes.Add(1)
			}
		}()
	}
	dir := t.TempDir()
	var backups []string
	for b := 0; b < 3; b++ {
		for start := writes.Load(); writes.Load() < start+50; {
		}
		out := filepath.Join(dir, fmt.Sprintf("b%d.db", b))
		code, stdout, e := runCmd(t, "", "backup", "--out", out)
		if code != 0 || !strings.Contains(stdout, "audit records") {
			t.Fatalf("backup %d: %d %q %q", b, code, stdout, e)
		}
		if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("backup %d is readable by others: %v %v", b, err, st.Mode())
		}
		backups = append(backups, out)
	}
	close(stop)
	wg.Wait()
	if code, _, _ := runCmd(t, "", "backup", "--out", backups[0]); code == 0 {
		t.Fatal("backup overwrote an existing file")
	}
	// Checkpoint the live log so later checks have a stored checkpoint too.
	if _, _, err := m.Checkpoints.once(context.Background()); err != nil {
		t.Fatal(err)
	}

	for i, b := range backups {
		restored := t.TempDir()
		t.Setenv("YUNCANG_DATA", restored)
		t.Setenv("YUNCANG_AUDIT_PUBLISH_DIR", filepath.Join(restored, "published"))
		code, out, e := runCmd(t, "", "restore", "--from", b)
		if code != 0 || !strings.Contains(out, "restored") {
			t.Fatalf("restore %d: %d %q %q", i, code, out, e)
		}
		if code, out, e := runCmd(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "OK") {
			t.Fatalf("verify of backup %d: %d %q %q", i, code, out, e)
		}
		r := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: restored}, Master: master, AuditKeys: keys}
		if err := r.Open(context.Background()); err != nil {
			t.Fatalf("serve on backup %d: %v", i, err)
		}
		r.Close()
		if code, _, _ := runCmd(t, "", "restore", "--from", b); code == 0 {
			t.Fatal("restore replaced a database without --force")
		}
		if code, out, e := runCmd(t, "", "restore", "--from", b, "--force"); code != 0 || !strings.Contains(out, "kept as") {
			t.Fatalf("restore --force: %d %q %q", code, out, e)
		}
	}
}
