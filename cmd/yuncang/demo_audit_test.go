package main

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
)

// The demo's seeding is audited like the API: every merchant, warehouse and
// SKU it creates has its record, as the system actor "demo" (no account, no
// role), so the log explains every row. (Its stock arrives as a warehouse's
// does, received against an ASN and put away: in the stock ledger, not set
// by hand.)
func TestDemoCatalogueAudited(t *testing.T) {
	ts := startServer(t, 10)
	ctx := context.Background()
	tenants, err := ts.DB.Tenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	whs, err := ts.DB.Warehouses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	skus := 0
	for _, tn := range tenants {
		s, err := ts.DB.SKUs(ctx, tn.ID)
		if err != nil {
			t.Fatal(err)
		}
		skus += len(s)
	}
	for kind, want := range map[string]int{yuncang.EventTenantCreate: len(tenants), yuncang.EventWarehouseCreate: len(whs),
		yuncang.EventSKUCreate: skus} {
		evs, err := ts.DB.Events(ctx, yuncang.EventFilter{Kind: kind, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != want || want == 0 {
			t.Errorf("%s: %d records for %d rows", kind, len(evs), want)
		}
		for _, ev := range evs {
			if ev.Username != "demo" || ev.Source != "demo" || ev.UserID != 0 || ev.Role != "" || len(ev.Targets) == 0 {
				t.Errorf("%s not the demo's: %+v", kind, ev)
				break
			}
		}
	}
}
