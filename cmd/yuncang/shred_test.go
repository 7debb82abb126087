package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/vault"
)

// A deletion request must reach a backup taken before it: read with every
// key the live system still holds, the backup's copy of the deleted order
// stays shut while the other order of the same day opens; restored (taking
// the retention and order keys from the live database), the deleted order
// answers 409 and the other is revealed.
func TestDeletionReachesBackups(t *testing.T) {
	m, tn, path := openToysMain(t, nil)
	ctx := context.Background()
	gone := takeOrder(t, m.DB, tn, "DEL-1", "欧阳娜娜", "13812345678")
	kept := takeOrder(t, m.DB, tn, "KEEP-1", "张三丰", "15900001111")

	backup := filepath.Join(t.TempDir(), "before.db")
	if code, out, e := runCmd(t, "", "backup", "--out", backup); code != 0 || !strings.Contains(out, "order keys") {
		t.Fatalf("backup: %d %q %q", code, out, e)
	}
	d := &yuncang.DataRequest{TenantID: tn.ID, Kind: yuncang.DataRequestDeletion, OrderIDs: []int64{gone},
		ReceivedAt: time.Now(), DueAt: yuncang.AddWorkingDays(time.Now(), 15), CreatedBy: "cs"}
	must(t, m.DB.CreateDataRequest(ctx, d, nil))
	_, err := m.DB.CloseDataRequest(ctx, tn.ID, d.ID, yuncang.DataRequestErased, "", "cs", nil)
	must(t, err)

	bk, err := sqlite.Open(backup, m.Master)
	must(t, err)
	if n, err := bk.OrderKeyCount(ctx); err != nil || n != 0 {
		t.Fatalf("the backup holds %d order keys (%v)", n, err)
	}
	checkBackupCopies(t, m.DB, bk, tn, 2, kept)
	bk.Close()
	restoreAndReveal(t, m, path, backup, tn, "1 order keys carried over", kept, "张三丰", gone)
}

// Legacy orders (sealed with the tenant key, no bucket) move into the key
// of their intake day with `retention rekey-legacy`, one audit record per
// merchant and day; retention then erases them by key, so no key the
// system holds opens them any more, while a moved order still in its
// period is revealed.
func TestRetentionRekeyLegacy(t *testing.T) {
	db, path := openMigratedStore(t)
	ctx := context.Background()
	now := time.Now().UTC()
	db.SetNow(func() time.Time { return now })
	tn := newToys(t, db)
	raw, err := sql.Open("sqlite", sqliteDSN(path))
	must(t, err)
	defer raw.Close()
	// Three legacy orders: two taken in 40 days ago and cancelled 31 days
	// ago (due), one taken in 10 days ago and cancelled 5 days ago (not due).
	var ids []int64
	for i := range 3 {
		moid := fmt.Sprintf("LEG-%d", i)
		id := takeOrder(t, db, tn, moid, "欧阳娜娜", "13812345678")
		ids = append(ids, id)
		cts := sealLegacy(t, db, tn, moid)
		created, updated := now.AddDate(0, 0, -40), now.AddDate(0, 0, -31)
		if i == 2 {
			created, updated = now.AddDate(0, 0, -10), now.AddDate(0, 0, -5)
		}
		_, err = raw.Exec(`UPDATE orders SET retention_key_id = NULL, status = 'cancelled', created_at = ?, updated_at = ?,
			name_ct = ?, phone_ct = ?, address_ct = ?, remarks_ct = ?, masked_remarks_ct = ? WHERE id = ?`,
			created.UnixMicro(), updated.UnixMicro(), cts[0], cts[1], cts[2], cts[3], cts[4], id)
		must(t, err)
	}
	_, err = raw.Exec(`DELETE FROM order_keys`) // the intake's keys: legacy orders had none
	must(t, err)
	before, err := db.SealedRecipients(ctx, tn.ID)
	must(t, err)

	if code, out, e := runCmd(t, "", "retention", "rekey-legacy", "--dry-run"); code != 0 || !strings.Contains(out, "would re-seal 3 legacy orders") {
		t.Fatalf("dry run: %d %q %q", code, out, e)
	}
	if code, out, e := runCmd(t, "", "retention", "rekey-legacy"); code != 0 || !strings.Contains(out, "re-sealed 3 legacy orders under their intake day's key (2 transactions)") {
		t.Fatalf("rekey: %d %q %q", code, out, e)
	}
	if code, out, e := runCmd(t, "", "retention", "rekey-legacy"); code != 0 || !strings.Contains(out, "re-sealed 0 legacy orders") {
		t.Fatalf("rekey again: %d %q %q", code, out, e)
	}
	var legacy, keys int
	must(t, raw.QueryRow(`SELECT COUNT(*) FROM orders WHERE retention_key_id IS NULL`).Scan(&legacy))
	must(t, raw.QueryRow(`SELECT COUNT(*) FROM order_keys`).Scan(&keys))
	if legacy != 0 || keys != 3 {
		t.Fatalf("after the rekey: %d legacy orders, %d order keys", legacy, keys)
	}
	evs, err := db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventRekey, Limit: 10})
	must(t, err)
	if len(evs) != 2 || !strings.HasPrefix(evs[0].Targets[0], "retention_key:") || !strings.Contains(evs[0].Detail, "sha256:") || strings.Contains(evs[0].Detail, "旧数据") {
		t.Fatalf("rekey records: %+v", evs)
	}
	ev := func() *yuncang.Event { return revealBy(tn, "customer_callback") }
	for _, id := range ids {
		if r, _, err := db.RevealRecipient(ctx, tn.ID, id, ev(), nil); err != nil || r.Name != "旧数据 name" {
			t.Fatalf("moved order %d: %v", id, err)
		}
	}

	// Retention erases the due day by key (not by the legacy rule).
	rep, err := retention.Run(ctx, db, retention.Options{})
	must(t, err)
	if len(rep.Erased) != 1 || rep.Orders != 2 || rep.LegacyOrders != 0 {
		t.Fatalf("run: %+v", rep)
	}
	after, err := db.SealedRecipients(ctx, tn.ID)
	must(t, err)
	for _, r := range after {
		f, err := db.Readable(ctx, r)
		must(t, err)
		if r.OrderID != ids[2] && len(f) != 0 {
			t.Errorf("moved order %d erased by key still opens %v", r.OrderID, f)
		}
		if r.OrderID == ids[2] && len(f) != 5 {
			t.Errorf("moved order %d in its period: only %v open", r.OrderID, f)
		}
	}
	for _, id := range ids[:2] {
		if _, _, err := db.RevealRecipient(ctx, tn.ID, id, ev(), nil); yuncang.ErrorCode(err) != yuncang.ECONFLICT {
			t.Fatalf("erased moved order %d: %v", id, err)
		}
	}
	if r, _, err := db.RevealRecipient(ctx, tn.ID, ids[2], ev(), nil); err != nil || r.Name != "旧数据 name" {
		t.Fatalf("moved order in its period: %v", err)
	}
	// What the rekey cannot reach: a copy taken before it holds the tenant
	// key's ciphertexts, which the tenant key (alive) still opens.
	if f, err := db.Readable(ctx, before[0]); err != nil || len(f) != 5 {
		t.Fatalf("copy from before the rekey: %v %v (the documented limit changed?)", f, err)
	}
	if code, out, e := runCmd(t, "", "audit", "verify"); code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("audit verify: %d %q %q", code, out, e)
	}
}

// Orders sealed with the bucket key alone (between migrations 0014 and
// 0019: no order key) keep opening; a deletion request overwrites them.
func TestBucketOnlyOrdersKeepWorking(t *testing.T) {
	db, path := openMigratedStore(t)
	ctx := context.Background()
	tn := newToys(t, db)
	id := takeOrder(t, db, tn, "V2-1", "欧阳娜娜", "13812345678")
	raw, err := sql.Open("sqlite", sqliteDSN(path))
	must(t, err)
	defer raw.Close()
	var cts [5][]byte
	var bucket int64
	for j, f := range []string{"name", "phone", "address", "remarks", "masked_remarks"} {
		cts[j], bucket, err = db.Vault().SealBucket(ctx, tn.ID, vault.Day(time.Now()), []byte("orders|V2-1|"+f), []byte("桶 "+f))
		must(t, err)
	}
	_, err = raw.Exec(`UPDATE orders SET name_ct = ?, phone_ct = ?, address_ct = ?, remarks_ct = ?, masked_remarks_ct = ?, retention_key_id = ? WHERE id = ?`,
		cts[0], cts[1], cts[2], cts[3], cts[4], bucket, id)
	must(t, err)
	_, err = raw.Exec(`DELETE FROM order_keys`)
	must(t, err)
	ev := revealBy(tn, "customer_call")
	if r, _, err := db.RevealRecipient(ctx, tn.ID, id, ev, nil); err != nil || r.Name != "桶 name" {
		t.Fatalf("bucket-only order: %v", err)
	}
	d := &yuncang.DataRequest{TenantID: tn.ID, Kind: yuncang.DataRequestDeletion, OrderIDs: []int64{id},
		ReceivedAt: time.Now(), DueAt: yuncang.AddWorkingDays(time.Now(), 15), CreatedBy: "cs"}
	must(t, db.CreateDataRequest(ctx, d, nil))
	_, err = db.CloseDataRequest(ctx, tn.ID, d.ID, yuncang.DataRequestErased, "", "cs", nil)
	must(t, err)
	if _, _, err := db.RevealRecipient(ctx, tn.ID, id, ev, nil); yuncang.ErrorCode(err) != yuncang.ECONFLICT {
		t.Fatalf("deleted bucket-only order: %v", err)
	}
	var n int
	must(t, raw.QueryRow(`SELECT length(name_ct) FROM orders WHERE id = ?`, id).Scan(&n))
	if n != 0 {
		t.Fatalf("deleted bucket-only order keeps %d bytes of name ciphertext", n)
	}
}
