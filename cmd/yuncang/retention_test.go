package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlite"
)

// A backup taken before an erasure must not bring the erased data back:
// read with every key the live system still holds, its copies of erased
// orders stay shut, while an order still in its period opens; restored,
// the erased orders stay erased and the open one is revealed.
func TestRetentionReachesBackups(t *testing.T) {
	clock := newStoppedClock()
	m, tn, path := openToysMain(t, clock.Now)
	ctx := context.Background()
	var gone []int64
	for i := range 2 {
		id := takeOrder(t, m.DB, tn, fmt.Sprintf("OLD-%d", i), "欧阳娜娜", "13812345678")
		_, err := m.DB.TransitionOrder(ctx, tn.ID, id, yuncang.OrderCancelled, "customer_request")
		must(t, err)
		gone = append(gone, id)
	}
	clock.Advance(24 * time.Hour)
	open := takeOrder(t, m.DB, tn, "NEW-1", "张三丰", "15900001111")

	backup := filepath.Join(t.TempDir(), "before.db")
	if code, out, e := runCmd(t, "", "backup", "--out", backup); code != 0 || !strings.Contains(out, "retention keys") {
		t.Fatalf("backup: %d %q %q", code, out, e)
	}
	clock.Advance(31 * 24 * time.Hour)
	if code, out, e := runCmd(t, "", "retention", "run", "--dry-run"); code != 0 || !strings.Contains(out, "would erase") {
		t.Fatalf("dry run: %d %q %q", code, out, e)
	}
	rep, err := retention.Run(ctx, m.DB, retention.Options{})
	must(t, err)
	if len(rep.Erased) != 1 || rep.Orders != 2 {
		t.Fatalf("run: %+v", rep)
	}
	if code, out, e := runCmd(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("audit verify after erasure: %d %q %q", code, out, e)
	}

	bk, err := sqlite.Open(backup, m.Master)
	must(t, err)
	checkBackupCopies(t, m.DB, bk, tn, 3, open)
	bk.Close()
	restoreAndReveal(t, m, path, backup, tn, "1 retention keys carried over", open, "张三丰", gone[0])
}

// Orders sealed with the tenant key before bucket keys existed that cannot
// move into their intake day's key (it is erased) follow the legacy rule:
// overwritten in place once due, one audit record per batch; a legacy
// order not yet due stays readable.
func TestRetentionLegacyOrders(t *testing.T) {
	db, path := openMigratedStore(t)
	ctx := context.Background()
	now := time.Now().UTC()
	db.SetNow(func() time.Time { return now })
	tn := newToys(t, db)
	var ids []int64
	for i := range 3 {
		moid := fmt.Sprintf("LEG-%d", i)
		id := takeOrder(t, db, tn, moid, "欧阳娜娜", "13812345678")
		ids = append(ids, id)
		// Make it what migration 0013 left: sealed with the tenant key, no bucket.
		raw, err := sql.Open("sqlite", sqliteDSN(path))
		must(t, err)
		cts := sealLegacy(t, db, tn, moid)
		status, updated := "cancelled", now.AddDate(0, 0, -31)
		if i == 2 {
			updated = now.AddDate(0, 0, -5) // cancelled recently: not due
		}
		_, err = raw.Exec(`UPDATE orders SET retention_key_id = NULL, status = ?, updated_at = ?, name_ct = ?, phone_ct = ?, address_ct = ?, remarks_ct = ?, masked_remarks_ct = ? WHERE id = ?`,
			status, updated.UnixMicro(), cts[0], cts[1], cts[2], cts[3], cts[4], id)
		raw.Close()
		must(t, err)
	}
	// Their intake day's key is erased already (e.g. its other orders were
	// due): they cannot move into it, so the legacy rule applies to them.
	raw, err := sql.Open("sqlite", sqliteDSN(path))
	must(t, err)
	_, err = raw.Exec(`UPDATE retention_keys SET wrapped = NULL, erased_at = 1`)
	raw.Close()
	must(t, err)
	rep, err := retention.Run(ctx, db, retention.Options{DryRun: true})
	must(t, err)
	if rep.LegacyOrders != 2 {
		t.Fatalf("dry run: %d legacy orders, want 2", rep.LegacyOrders)
	}
	rep, err = retention.Run(ctx, db, retention.Options{})
	must(t, err)
	if rep.LegacyOrders != 2 || rep.Rekeyed.Orders != 0 || rep.Rekeyed.Skipped != 3 {
		t.Fatalf("run: %d legacy orders, want 2; rekeyed %+v, want 3 skipped", rep.LegacyOrders, rep.Rekeyed)
	}
	if again, err := retention.Run(ctx, db, retention.Options{}); err != nil || again.LegacyOrders != 0 {
		t.Fatalf("second run: %+v %v", again, err)
	}
	ev := revealBy(tn, "customer_callback")
	for i, id := range ids {
		r, _, err := db.RevealRecipient(ctx, tn.ID, id, ev, nil)
		if i < 2 && yuncang.ErrorCode(err) != yuncang.ECONFLICT {
			t.Fatalf("legacy order %d past its period: %v", id, err)
		}
		if i == 2 && (err != nil || r.Name != "旧数据 name") {
			t.Fatalf("legacy order %d within its period: %v", id, err)
		}
	}
	evs, err := db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventErasure, Limit: 10})
	must(t, err)
	if len(evs) != 1 || evs[0].Targets[0] != fmt.Sprintf("orders:%d-%d", ids[0], ids[1]) || !strings.Contains(evs[0].Detail, "sha256:") {
		t.Fatalf("legacy erasure records: %+v", evs)
	}
}

// The audit log's online period cannot be configured below six months, and
// the schedules refuse nonsense with a message naming the variable.
func TestRetentionConfig(t *testing.T) {
	for _, c := range []struct {
		env, val string
		ok       bool
		get      func() error
	}{
		{"YUNCANG_AUDIT_RETENTION_DAYS", "179", false, func() error { _, err := auditRetentionDays(); return err }},
		{"YUNCANG_AUDIT_RETENTION_DAYS", "180", true, func() error { _, err := auditRetentionDays(); return err }},
		{"YUNCANG_AUDIT_RETENTION_DAYS", "half a year", false, func() error { _, err := auditRetentionDays(); return err }},
		{"YUNCANG_RETENTION_INTERVAL", "10s", false, func() error { _, err := retentionInterval(); return err }},
		{"YUNCANG_RETENTION_INTERVAL", "off", true, func() error { _, err := retentionInterval(); return err }},
		{"YUNCANG_DSR_DUE_WORKING_DAYS", "30", false, func() error { _, err := dataRequestDueDays(); return err }},
		{"YUNCANG_DSR_DUE_WORKING_DAYS", "10", true, func() error { _, err := dataRequestDueDays(); return err }},
	} {
		t.Setenv(c.env, c.val)
		err := c.get()
		if (err == nil) != c.ok || err != nil && !strings.Contains(err.Error(), c.env) {
			t.Errorf("%s=%s: %v", c.env, c.val, err)
		}
	}
	useDB(t)
	t.Setenv("YUNCANG_AUDIT_RETENTION_DAYS", "90")
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: os.Getenv("YUNCANG_DATA")}, Migrate: true}
	if err := m.Open(context.Background()); err == nil || !strings.Contains(err.Error(), "at least 180") {
		m.Close()
		t.Fatalf("serve with 90 days of audit log: %v", err)
	}
}

// serve's schedule erases what is due without anyone running a command.
func TestRetentionSchedule(t *testing.T) {
	clock := newStoppedClock()
	m, tn, _ := openToysMain(t, clock.Now)
	ctx := context.Background()
	id := takeOrder(t, m.DB, tn, "S-1", "欧阳娜娜", "13812345678")
	_, err := m.DB.TransitionOrder(ctx, tn.ID, id, yuncang.OrderCancelled, "customer_request")
	must(t, err)
	clock.Advance(32 * 24 * time.Hour)
	stop := make(chan struct{})
	m.loops.Add(1)
	go m.retentionLoop(stop, 10*time.Millisecond)
	defer close(stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs, err := m.DB.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventErasure, Limit: 5})
		must(t, err)
		if len(evs) == 1 && evs[0].Username == "retention-schedule" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the schedule erased nothing in 10 s: %+v", evs)
		}
		time.Sleep(20 * time.Millisecond)
	}
	o, err := m.DB.Order(ctx, tn.ID, id, nil)
	must(t, err)
	for o.Recipient.Name != yuncang.Erased && time.Now().Before(deadline) { // the sweep follows the erasure
		time.Sleep(20 * time.Millisecond)
		o, err = m.DB.Order(ctx, tn.ID, id, nil)
		must(t, err)
	}
	if o.Recipient.Name != yuncang.Erased {
		t.Fatalf("masked view after the scheduled run: %+v", o.Recipient)
	}
}
