package main

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

// What the retention and deletion tests share: a migrated SQLite store
// (useDB) with one merchant, toys, and its SKU-1; orders taken in one at a
// time; a backup's copies checked against the live keys; a restore.

// migrateTestDB migrates the test database and returns its path and the
// master key ring.
func migrateTestDB(t *testing.T) (string, *vault.MasterKeys) {
	t.Helper()
	path := useDB(t)
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	master, err := vault.ParseMasterKeys(os.Getenv("YUNCANG_MASTER_KEY"))
	must(t, err)
	return path, master
}

// openMigratedStore migrates the test database and opens it (closed when the
// test ends); it returns the store and the database's path.
func openMigratedStore(t *testing.T) (*sqlstore.DB, string) {
	t.Helper()
	path, master := migrateTestDB(t)
	db, err := sqlite.Open(path, master)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	return db, path
}

// stoppedClock stands at the time it was made until the test moves it.
type stoppedClock struct {
	mu  sync.Mutex
	now time.Time
}

func newStoppedClock() *stoppedClock { return &stoppedClock{now: time.Now().UTC()} }

func (c *stoppedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *stoppedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// openToysMain opens the wiring on the migrated test database (closed
// when the test ends) with the retention schedule off and clock as its
// clock (nil: the real one), and creates the merchant toys; it returns the
// wiring, the merchant and the database's path.
func openToysMain(t *testing.T, clock func() time.Time) (*Main, *yuncang.Tenant, string) {
	t.Helper()
	path, master := migrateTestDB(t)
	keys, err := loadAuditKeys(true)
	must(t, err)
	t.Setenv("YUNCANG_RETENTION_INTERVAL", "off")
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: os.Getenv("YUNCANG_DATA")}, Master: master, AuditKeys: keys, Now: clock}
	must(t, m.Open(context.Background()))
	t.Cleanup(func() { m.Close() })
	return m, newToys(t, m.DB), path
}

// newToys creates the merchant toys and its SKU-1.
func newToys(t *testing.T, db *sqlstore.DB) *yuncang.Tenant {
	t.Helper()
	ctx := context.Background()
	tn := &yuncang.Tenant{Code: "toys", Name: "玩具"}
	must(t, db.CreateTenant(ctx, tn, nil))
	must(t, db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "SKU-1", Barcode: "6901234500001", Name: "商品", WeightG: 100, VolumeCM3: 500}, nil))
	return tn
}

// takeOrder takes in one order of SKU-1 for tn, to the recipient name and
// phone, and returns its id.
func takeOrder(t *testing.T, db *sqlstore.DB, tn *yuncang.Tenant, moid, name, phone string) int64 {
	t.Helper()
	res, _, err := db.CreateOrders(context.Background(), tn.ID, []*yuncang.PreparedOrder{{TenantID: tn.ID, MerchantOrderID: moid,
		Lines:     []yuncang.OrderLine{{SKUCode: "SKU-1", Quantity: 1}},
		Recipient: yuncang.Recipient{Name: name, Phone: phone, Address: "浙江省金华市义乌市稠城街道工人北路1088号"},
		Masked:    yuncang.MaskedRecipient{Name: "欧**", Phone: "138****5678", Address: "浙江省金华市****"}, MaskedRemarks: "-",
		Destination: yuncang.Region{Province: "浙江省", ProvinceCode: "33"}}}, true, nil)
	must(t, err)
	return res[0].Order.ID
}

// revealBy is the audit event of a customer-service reveal in tn.
func revealBy(tn *yuncang.Tenant, purpose string) *yuncang.Event {
	return &yuncang.Event{TenantID: tn.ID, UserID: 1, Username: "cs", Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: purpose}
}

// sealLegacy seals the five recipient fields of order moid with tn's
// tenant key alone, as orders were sealed before bucket keys (migration
// 0013); each field reads "旧数据 <field>".
func sealLegacy(t *testing.T, db *sqlstore.DB, tn *yuncang.Tenant, moid string) [5][]byte {
	t.Helper()
	var cts [5][]byte
	for j, f := range []string{"name", "phone", "address", "remarks", "masked_remarks"} {
		var err error
		cts[j], err = db.Vault().Seal(context.Background(), tn.ID, []byte("orders|"+moid+"|"+f), []byte("旧数据 "+f))
		must(t, err)
	}
	return cts
}

// checkBackupCopies reads every copy the backup bk holds of tn's orders
// (there must be n): the backup's own keys open none of them; the keys the
// live store holds open all five fields of kept and nothing of the others.
func checkBackupCopies(t *testing.T, live, bk *sqlstore.DB, tn *yuncang.Tenant, n int, kept int64) {
	t.Helper()
	ctx := context.Background()
	sealed, err := bk.SealedRecipients(ctx, tn.ID)
	must(t, err)
	if len(sealed) != n {
		t.Fatalf("backup holds %d orders, want %d", len(sealed), n)
	}
	for _, r := range sealed {
		opened, err := live.Readable(ctx, r) // every key the live system holds
		must(t, err)
		own, err := bk.Readable(ctx, r) // every key in the backup itself
		must(t, err)
		if len(own) != 0 {
			t.Errorf("order %d: the backup's own keys open %v", r.OrderID, own)
		}
		if r.OrderID == kept && len(opened) != 5 {
			t.Errorf("kept order %d: the live keys open only %v of the backup's copy", r.OrderID, opened)
		}
		if r.OrderID != kept && len(opened) != 0 {
			t.Errorf("erased order %d: the live keys still open %v of the backup's copy", r.OrderID, opened)
		}
	}
}

// restoreAndReveal closes m, restores backup over the test database at
// path (restore must say carried), and reveals from the restored store:
// kept opens to keptName, gone answers 409.
func restoreAndReveal(t *testing.T, m *Main, path, backup string, tn *yuncang.Tenant, carried string, kept int64, keptName string, gone int64) {
	t.Helper()
	m.Close()
	code, out, e := runCmd(t, "", "restore", "--from", backup, "--force")
	if code != 0 || !strings.Contains(out, carried) {
		t.Fatalf("restore: %d %q %q", code, out, e)
	}
	db, err := sqlite.Open(path, m.Master)
	must(t, err)
	defer db.Close()
	ctx := context.Background()
	if r, _, err := db.RevealRecipient(ctx, tn.ID, kept, revealBy(tn, "customer_call"), nil); err != nil || r.Name != keptName {
		t.Fatalf("kept order after restore: %v", err)
	}
	if _, _, err := db.RevealRecipient(ctx, tn.ID, gone, revealBy(tn, "customer_call"), nil); yuncang.ErrorCode(err) != yuncang.ECONFLICT {
		t.Fatalf("erased order after restore: %v", err)
	}
}
