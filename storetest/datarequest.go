package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

// testOpenAccessRequest: the reveal for purpose data_subject_request needs
// an open access request of the tenant naming the order; the lookup matches
// whole order ids only, only open access requests, only the tenant's own.
func testOpenAccessRequest(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "datarequests")
	now := time.Now().UTC()
	add := func(tenant *yuncang.Tenant, kind string, ids ...int64) *yuncang.DataRequest {
		d := &yuncang.DataRequest{TenantID: tenant.ID, Kind: kind, OrderIDs: ids, ReceivedAt: now, DueAt: now.Add(time.Hour), CreatedBy: "cs"}
		must(t, w.db.CreateDataRequest(ctx, d, nil))
		return d
	}
	want := func(tenant *yuncang.Tenant, order int64, ok bool) {
		t.Helper()
		got, err := w.db.OpenAccessRequestFor(ctx, tenant.ID, order)
		must(t, err)
		if got != ok {
			t.Errorf("open access request of tenant %d for order %d: %v, want %v", tenant.ID, order, got, ok)
		}
	}
	add(w.a, yuncang.DataRequestCorrection, 7)
	add(w.b, yuncang.DataRequestAccess, 8)
	acc := add(w.a, yuncang.DataRequestAccess, 123, 45)
	want(w.a, 123, true)
	want(w.a, 45, true)
	for _, o := range []int64{7, 8, 12, 23, 4, 5, 1234, 9123} {
		want(w.a, o, false) // another kind, another tenant, part of an id
	}
	want(w.b, 8, true)
	want(w.b, 123, false)
	_, err := w.db.CloseDataRequest(ctx, w.a.ID, acc.ID, yuncang.DataRequestRefused, "not the recipient", "cs", nil)
	must(t, err)
	want(w.a, 123, false)
}
