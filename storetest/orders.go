package storetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

func createOne(t *testing.T, w *world, tenant *yuncang.Tenant, p *yuncang.PreparedOrder) yuncang.IntakeResult {
	t.Helper()
	res, committed, err := w.db.CreateOrders(context.Background(), tenant.ID, []*yuncang.PreparedOrder{p}, false, nil)
	must(t, err)
	if !committed || len(res) != 1 {
		t.Fatalf("committed=%v results=%d", committed, len(res))
	}
	return res[0]
}

func testOrderIntake(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "intake")
	p := prepared(w.a, "M-1", people[0], 2)
	r := createOne(t, w, w.a, p)
	if r.Outcome != yuncang.IntakeCreated || r.Order.ID == 0 {
		t.Fatalf("first intake = %+v", r)
	}
	id := r.Order.ID

	// The merchant order id again: exists, naming the stored order, the
	// same answer whether the content is identical or not (an answer that
	// differed would confirm a guessed recipient).
	var firstErr string
	for n, again := range []*yuncang.PreparedOrder{prepared(w.a, "M-1", people[0], 2), prepared(w.a, "M-1", people[0], 3), prepared(w.a, "M-1", people[1], 2)} {
		r2 := createOne(t, w, w.a, again)
		if r2.Outcome != yuncang.IntakeExists || r2.Order == nil || r2.Order.ID != id || yuncang.ErrorCode(r2.Err) != yuncang.ECONFLICT {
			t.Fatalf("repeat %d = %+v", n, r2)
		}
		if n == 0 {
			firstErr = r2.Err.Error()
		} else if r2.Err.Error() != firstErr {
			t.Fatalf("repeat %d answers %q, the identical repeat %q", n, r2.Err, firstErr)
		}
	}
	// The same merchant order id in another tenant is a different order.
	r5 := createOne(t, w, w.b, prepared(w.b, "M-1", people[0], 2))
	if r5.Outcome != yuncang.IntakeCreated || r5.Order.ID == id {
		t.Fatalf("other tenant = %+v", r5)
	}
	// Unknown SKU: invalid, naming the line.
	bad := prepared(w.a, "M-2", people[1], 1)
	bad.Lines[1].SKUCode = "NOPE"
	r6 := createOne(t, w, w.a, bad)
	if r6.Outcome != yuncang.IntakeInvalid || yuncang.ErrorField(r6.Err) != "lines[1].sku" {
		t.Fatalf("unknown sku = %+v", r6)
	}

	got, err := w.db.Order(ctx, w.a.ID, id, nil)
	must(t, err)
	if got.MerchantOrderID != "M-1" || got.Recipient != p.Masked || got.Remarks != p.MaskedRemarks ||
		got.Destination != p.Destination || got.Status != yuncang.OrderCreated || len(got.Lines) != 2 {
		t.Fatalf("Order = %+v", got)
	}
	// Tenant scoping: tenant b cannot read tenant a's order by id.
	_, err = w.db.Order(ctx, w.b.ID, id, nil)
	wantCode(t, err, yuncang.ENOTFOUND)
}

func testOrderBatch(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "batch")
	must(t, errOf(w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "B-0", people[0], 1)}, false, nil)))

	unknown := prepared(w.a, "B-3", people[1], 1)
	unknown.Lines[0].SKUCode = "NOPE"
	batch := []*yuncang.PreparedOrder{
		prepared(w.a, "B-1", people[0], 1),
		prepared(w.a, "B-0", people[1], 1), // exists (stored above, other content)
		prepared(w.a, "B-2", people[2], 1),
		prepared(w.a, "B-1", people[0], 1), // exists within the batch
		unknown,
	}
	// All or nothing: the invalid order rolls everything back.
	res, committed, err := w.db.CreateOrders(ctx, w.a.ID, batch, true, nil)
	must(t, err)
	if committed || res[1].Outcome != yuncang.IntakeExists || res[4].Outcome != yuncang.IntakeInvalid {
		t.Fatalf("all-or-nothing: committed=%v res[1]=%+v", committed, res[1])
	}
	if n := countOrders(t, w, w.a); n != 1 {
		t.Fatalf("after rolled-back batch: %d orders, want 1", n)
	}
	// Best effort: the good ones land.
	res, committed, err = w.db.CreateOrders(ctx, w.a.ID, batch, false, nil)
	must(t, err)
	want := []string{yuncang.IntakeCreated, yuncang.IntakeExists, yuncang.IntakeCreated, yuncang.IntakeExists, yuncang.IntakeInvalid}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Fatalf("result %d = %s, want %s", i, r.Outcome, want[i])
		}
	}
	if !committed || res[3].Order.ID != res[0].Order.ID {
		t.Fatalf("in-batch duplicate should return the first order: %+v vs %+v", res[3].Order, res[0].Order)
	}
	if n := countOrders(t, w, w.a); n != 3 {
		t.Fatalf("after batch: %d orders, want 3", n)
	}

	// The intake's audit record names the existing orders a batch named,
	// not only a count of them, and all-or-nothing commits a batch whose
	// other orders are good (a retried import).
	b0 := res[1].Order.ID
	ev := userEvent(w.a, yuncang.EventOrderImport)
	res, committed, err = w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "B-0", people[2], 1),
		prepared(w.a, "B-1", people[1], 2), prepared(w.a, "B-4", people[0], 1)}, true, ev)
	must(t, err)
	if !committed || res[2].Outcome != yuncang.IntakeCreated {
		t.Fatalf("all-or-nothing retry: committed=%v %+v", committed, res)
	}
	evs, err := w.db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventOrderImport, TenantID: w.a.ID, Limit: 1})
	must(t, err)
	if res[0].Order.ID != b0 {
		t.Fatalf("B-0 again names order %d, stored as %d", res[0].Order.ID, b0)
	}
	wantTargets := []string{fmt.Sprintf("order:%d", res[2].Order.ID), fmt.Sprintf("order:%d", b0), fmt.Sprintf("order:%d", res[1].Order.ID)}
	if len(evs) != 1 || !slices.Equal(evs[0].Targets, wantTargets) || !strings.Contains(evs[0].Detail, "exists 2") {
		t.Fatalf("intake record: %+v, want targets %v", evs, wantTargets)
	}
}

func errOf(_ []yuncang.IntakeResult, _ bool, err error) error { return err }

func countOrders(t *testing.T, w *world, tenant *yuncang.Tenant) int {
	t.Helper()
	os, err := w.db.Orders(context.Background(), yuncang.OrderFilter{TenantID: tenant.ID, Limit: 500}, nil)
	must(t, err)
	return len(os)
}

func testOrderListing(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "listing")
	var batch []*yuncang.PreparedOrder
	for i := 0; i < 25; i++ {
		batch = append(batch, prepared(w.a, fmt.Sprintf("L-%02d", i), people[i%3], 1))
	}
	must(t, errOf(w.db.CreateOrders(ctx, w.a.ID, batch, true, nil)))
	must(t, errOf(w.db.CreateOrders(ctx, w.b.ID, []*yuncang.PreparedOrder{prepared(w.b, "L-B", people[0], 1)}, true, nil)))

	// Keyset pagination walks every order exactly once, newest first.
	seen := map[int64]bool{}
	var after int64
	for pages := 0; ; pages++ {
		page, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, AfterID: after, Limit: 10}, nil)
		must(t, err)
		if len(page) == 0 {
			if pages != 3 {
				t.Fatalf("pages = %d, want 3", pages)
			}
			break
		}
		for _, o := range page {
			if seen[o.ID] || o.TenantID != w.a.ID || (after != 0 && o.ID >= after) {
				t.Fatalf("bad page order %d (after %d)", o.ID, after)
			}
			seen[o.ID] = true
		}
		after = page[len(page)-1].ID
	}
	if len(seen) != 25 {
		t.Fatalf("walked %d orders, want 25", len(seen))
	}
	// Phone search through the blind index, tenant-scoped.
	hits, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, Phone: people[0].phone}, nil)
	must(t, err)
	if len(hits) != 9 {
		t.Fatalf("phone search hits = %d, want 9", len(hits))
	}
	for _, o := range hits {
		if o.Recipient.Phone != people[0].phone[:3]+"******"+people[0].phone[9:] {
			t.Fatalf("hit with other phone: %q", o.Recipient.Phone)
		}
	}
	hits, err = w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.b.ID, Phone: people[1].phone}, nil)
	must(t, err)
	if len(hits) != 0 {
		t.Fatalf("tenant b phone search found tenant a's orders")
	}
	none, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, Status: yuncang.OrderCancelled}, nil)
	must(t, err)
	if len(none) != 0 {
		t.Fatalf("status filter returned %d", len(none))
	}
	// The console's filters: the merchant's own order id (within the
	// tenant only) and a window of creation time [from, to).
	one, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, MerchantOrderID: "L-07"}, nil)
	must(t, err)
	if len(one) != 1 || one[0].MerchantOrderID != "L-07" {
		t.Fatalf("merchant order id filter returned %d orders", len(one))
	}
	if other, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.b.ID, MerchantOrderID: "L-07"}, nil); err != nil || len(other) != 0 {
		t.Fatalf("tenant b found tenant a's order by its merchant order id: %d %v", len(other), err)
	}
	at := one[0].CreatedAt
	in, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, CreatedFrom: at, CreatedTo: at.Add(time.Microsecond)}, nil)
	must(t, err)
	if !slices.ContainsFunc(in, func(o *yuncang.Order) bool { return o.MerchantOrderID == "L-07" }) {
		t.Fatalf("the window around L-07's creation misses it (%d orders)", len(in))
	}
	for _, o := range in {
		if o.CreatedAt.Before(at) || !o.CreatedAt.Before(at.Add(time.Microsecond)) {
			t.Fatalf("order %d created %v is outside the window", o.ID, o.CreatedAt)
		}
	}
	if later, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, CreatedFrom: at.Add(time.Hour)}, nil); err != nil || len(later) != 0 {
		t.Fatalf("a window after every order returned %d (%v)", len(later), err)
	}
}

func testConcurrentRepeat(t *testing.T, h Harness) {
	w := newWorld(t, h, "concurrent")
	const n = 8
	var wg sync.WaitGroup
	outcomes := make([]string, n)
	ids := make([]int64, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, _, err := w.db.CreateOrders(context.Background(), w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "C-1", people[0], 1)}, false, nil)
			if err != nil {
				errs[i] = err
				return
			}
			outcomes[i], ids[i] = res[0].Outcome, res[0].Order.ID
		}(i)
	}
	wg.Wait()
	created := 0
	for i := 0; i < n; i++ {
		must(t, errs[i])
		if outcomes[i] == yuncang.IntakeCreated {
			created++
		}
		if ids[i] != ids[0] {
			t.Fatalf("concurrent repeats returned different orders: %v", ids)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d concurrent identical submissions created an order, want 1", created, n)
	}
}

func testNoPlaintext(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "plaintext")
	var batch []*yuncang.PreparedOrder
	for i, p := range people {
		batch = append(batch, prepared(w.a, fmt.Sprintf("P-%d", i), p, 1))
	}
	must(t, errOf(w.db.CreateOrders(ctx, w.a.ID, batch, true, nil)))
	raw := h.Raw(t, "plaintext")
	if len(raw) < 1000 {
		t.Fatalf("raw dump is only %d bytes; the harness reads nothing", len(raw))
	}
	// The dump must contain what is not personal data, or the check proves nothing.
	if !bytes.Contains(raw, []byte("P-1")) || !bytes.Contains(raw, []byte("义乌玩具商行")) {
		t.Fatal("raw dump lacks known non-personal values; the harness is not reading the data")
	}
	for _, p := range people {
		for _, s := range []string{p.name, p.phone, p.address, p.street} {
			if bytes.Contains(raw, []byte(s)) {
				t.Errorf("raw storage contains plaintext personal data (%d bytes of a recipient field)", len(s))
			}
		}
		if p.remarks != "" && bytes.Contains(raw, []byte(p.remarks)) {
			t.Error("raw storage contains plaintext remarks")
		}
	}
}

func testKeyRotation(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "rotation")
	must(t, errOf(w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "R-1", people[0], 1)}, true, nil)))
	hits, err := w.db.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, Phone: people[0].phone}, nil)
	must(t, err)
	if len(hits) != 1 {
		t.Fatalf("before rotation: %d hits", len(hits))
	}

	// A new data-key version: old ciphertexts still open, new ones use v2.
	v, err := w.db.Vault().RotateDataKey(ctx, w.a.ID)
	must(t, err)
	if v != 2 {
		t.Fatalf("rotated data key version = %d", v)
	}
	must(t, errOf(w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, "R-2", people[1], 1)}, true, nil)))

	// Rotate the master key: the new ring has m2 active and m1 to unwrap.
	m1 := w.master
	m2 := NewMasterKeys(t, "m2")
	db2 := h.Open(t, "rotation", m2.With(m1))
	n, err := db2.Vault().RewrapAll(ctx)
	must(t, err)
	// Two tenants × (data, index, fingerprint), plus tenant a's data key v2.
	if n != 7 {
		t.Fatalf("rewrapped %d keys, want 7", n)
	}
	if n, err := db2.Vault().RewrapAll(ctx); err != nil || n != 0 {
		t.Fatalf("second rewrap = %d, %v; want 0", n, err)
	}
	// Now only m2 is needed.
	db3 := h.Open(t, "rotation", m2)
	os, err := db3.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID}, nil)
	must(t, err)
	if len(os) != 2 || os[0].Remarks != "masked:R-2" || os[1].Remarks != "masked:R-1" {
		t.Fatalf("after rotation orders = %d", len(os))
	}
	hits, err = db3.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID, Phone: people[0].phone}, nil)
	must(t, err)
	if len(hits) != 1 {
		t.Fatalf("blind index changed by rotation: %d hits", len(hits))
	}
	// The old master key alone no longer opens anything.
	db4 := h.Open(t, "rotation", m1)
	_, err = db4.Orders(ctx, yuncang.OrderFilter{TenantID: w.a.ID}, nil)
	if err == nil {
		t.Fatal("old master key still unwraps rotated tenant keys")
	}
}
