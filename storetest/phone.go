package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlstore"
)

// phoneWorld creates orders one at a time, each in its own intake batch.
type phoneWorld struct {
	*world
	t   *testing.T
	now time.Time
}

func newPhoneWorld(t *testing.T, h Harness, name string) *phoneWorld {
	w := &phoneWorld{world: newWorld(t, h, name), t: t, now: time.Now().UTC()}
	w.db.SetNow(func() time.Time { return w.now })
	return w
}

func (w *phoneWorld) create(tn *yuncang.Tenant, moid string, p person) int64 {
	w.t.Helper()
	res, _, err := w.db.CreateOrders(context.Background(), tn.ID, []*yuncang.PreparedOrder{prepared(tn, moid, p, 1)}, true, nil)
	must(w.t, err)
	if res[0].Outcome != yuncang.IntakeCreated {
		w.t.Fatalf("%s: %s", moid, res[0].Outcome)
	}
	return res[0].Order.ID
}

// legacy makes an order look sealed before retention buckets existed
// (migration 0013): no bucket.
func (w *phoneWorld) legacy(id int64) {
	w.t.Helper()
	_, err := sqlstore.BaselineOf(w.db).Exec(context.Background(), `UPDATE orders SET retention_key_id = NULL WHERE id = ?`, id)
	must(w.t, err)
}

// search returns the ids a phone search finds, in the order found.
func (w *phoneWorld) search(f yuncang.OrderFilter) []int64 {
	w.t.Helper()
	os, err := w.db.Orders(context.Background(), f, nil)
	must(w.t, err)
	var ids []int64
	for _, o := range os {
		if o.TenantID != f.TenantID {
			w.t.Fatalf("order %d of tenant %d found for tenant %d", o.ID, o.TenantID, f.TenantID)
		}
		ids = append(ids, o.ID)
	}
	return ids
}

// newestFirst returns ids (oldest first) reversed.
func newestFirst(ids ...int64) []int64 {
	out := slices.Clone(ids)
	slices.Reverse(out)
	return out
}

// testPhoneBuckets: the blind phone index is kept per retention bucket
// (migration 0018), and a phone search finds a recipient's orders across
// the buckets of several intake days and among orders sealed before
// buckets existed: all of them, newest first, paged, within the tenant,
// with the other filters; once retention erased a day's bucket, none of
// that day's.
func testPhoneBuckets(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newPhoneWorld(t, h, "phonebuckets")
	a, p0 := w.a, people[0]
	day0 := []int64{w.create(a, "D0-0", p0), w.create(a, "D0-1", p0)}
	other := w.create(a, "D0-2", people[1])
	w.now = w.now.Add(24 * time.Hour)
	later := []int64{w.create(a, "D1-0", p0)}
	inB := w.create(w.b, "B1-0", p0) // tenant b, the same phone
	w.now = w.now.Add(24 * time.Hour)
	old := w.create(a, "D2-L", p0)
	w.legacy(old)
	later = append(later, old, w.create(a, "D2-0", p0), w.create(a, "D2-1", p0))
	all := newestFirst(append(slices.Clone(day0), later...)...)

	find := yuncang.OrderFilter{TenantID: a.ID, Phone: p0.phone}
	if got := w.search(find); !slices.Equal(got, all) {
		t.Fatalf("phone search = %v, want %v", got, all)
	}
	// Paged by the keyset cursor, two at a time: the same orders.
	var paged []int64
	for f := find; ; {
		f.Limit = 2
		page := w.search(f)
		if len(page) == 0 {
			break
		}
		paged = append(paged, page...)
		f.AfterID = page[len(page)-1]
	}
	if !slices.Equal(paged, all) {
		t.Fatalf("paged phone search = %v, want %v", paged, all)
	}
	if got := w.search(yuncang.OrderFilter{TenantID: a.ID, Phone: people[1].phone}); !slices.Equal(got, []int64{other}) {
		t.Fatalf("other phone = %v, want [%d]", got, other)
	}
	if got := w.search(yuncang.OrderFilter{TenantID: w.b.ID, Phone: p0.phone}); !slices.Equal(got, []int64{inB}) {
		t.Fatalf("tenant b = %v, want [%d]", got, inB)
	}
	if got := w.search(yuncang.OrderFilter{TenantID: a.ID, Phone: people[2].phone}); len(got) != 0 {
		t.Fatalf("a phone with no orders finds %v", got)
	}
	// Day 0's orders are cancelled: the status filter and the phone together.
	for _, id := range append(slices.Clone(day0), other) {
		_, err := w.db.TransitionOrder(ctx, a.ID, id, yuncang.OrderCancelled, "customer_request")
		must(t, err)
	}
	if got := w.search(yuncang.OrderFilter{TenantID: a.ID, Phone: p0.phone, Status: yuncang.OrderCancelled}); !slices.Equal(got, newestFirst(day0...)) {
		t.Fatalf("cancelled with the phone = %v, want %v", got, newestFirst(day0...))
	}

	// Past the cancelled orders' period, retention erases day 0's bucket
	// and sweeps its blind indexes: the phone finds the other days' orders
	// (and the one sealed before buckets) only.
	w.now = w.now.AddDate(0, 0, 31)
	rep, err := retention.Run(ctx, w.db, retention.Options{})
	must(t, err)
	if len(rep.Erased) != 1 || rep.Orders != 3 || rep.Swept != 3 {
		t.Fatalf("retention: %+v", rep)
	}
	if got := w.search(find); !slices.Equal(got, newestFirst(later...)) {
		t.Fatalf("after erasure the phone finds %v, want %v", got, newestFirst(later...))
	}
	if got := w.search(yuncang.OrderFilter{TenantID: a.ID, Phone: people[1].phone}); len(got) != 0 {
		t.Fatalf("erased order still found by phone: %v", got)
	}
	if got := w.search(yuncang.OrderFilter{TenantID: w.b.ID, Phone: p0.phone}); !slices.Equal(got, []int64{inB}) {
		t.Fatalf("tenant b after a's erasure = %v, want [%d]", got, inB)
	}
}

// testPhoneMigration: orders stored under the phone index before migration
// 0018 (tenant_id, phone_index), in buckets and before buckets, are found by
// phone once it has run.
func testPhoneMigration(t *testing.T, h Harness) {
	if h.Migrations == nil {
		t.Skip("the harness names no migrations")
	}
	ctx := context.Background()
	w := newPhoneWorld(t, h, "phonemigration")
	// Back to the schema as migration 0017 left it.
	for _, q := range []string{
		`DROP INDEX orders_tenant_bucket_phone`,
		`CREATE INDEX orders_tenant_phone ON orders (tenant_id, phone_index)`,
	} {
		_, err := sqlstore.BaselineOf(w.db).Exec(ctx, q)
		must(t, err)
	}
	a, p0 := w.a, people[0]
	ids := []int64{w.create(a, "M0-0", p0)}
	w.legacy(ids[0])
	ids = append(ids, w.create(a, "M0-1", p0))
	w.now = w.now.Add(24 * time.Hour)
	ids = append(ids, w.create(a, "M1-0", p0))
	w.create(a, "M1-1", people[1])
	w.create(w.b, "MB-0", p0)

	// Migration 0018 again, as the migrator runs it (later migrations stay
	// applied, so the migrator itself would not go back to it).
	var m0018 *sqlstore.Migration
	for i := range h.Migrations {
		if h.Migrations[i].Version == 18 {
			m0018 = &h.Migrations[i]
		}
	}
	if m0018 == nil {
		t.Fatal("the harness has no migration 0018")
	}
	_, err := sqlstore.BaselineOf(w.db).Exec(ctx, m0018.SQL)
	must(t, err)
	if got, want := w.search(yuncang.OrderFilter{TenantID: a.ID, Phone: p0.phone}), newestFirst(ids...); !slices.Equal(got, want) {
		t.Fatalf("after migration the phone finds %v, want %v", got, want)
	}
	// And new orders after it.
	id := w.create(a, "M1-2", p0)
	if got, want := w.search(yuncang.OrderFilter{TenantID: a.ID, Phone: p0.phone}), newestFirst(append(ids, id)...); !slices.Equal(got, want) {
		t.Fatalf("after migration and intake the phone finds %v, want %v", got, want)
	}
}
