package main

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang/demodata"
)

// The demo stores a sender for every merchant in every warehouse, so the
// README's walk creates a shipment with an empty body.
func TestDemoStoresSenders(t *testing.T) {
	ts := startServer(t, 10)
	ctx := context.Background()
	whs, err := ts.DB.Warehouses(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tenants, err := ts.DB.Tenants(ctx)
	if err != nil {
		t.Fatal(err)
	}
	merchants := 0
	for _, tn := range tenants {
		for _, m := range demodata.Merchants() {
			if m.Code != tn.Code {
				continue
			}
			merchants++
			for _, w := range whs {
				a, err := ts.DB.SenderAddress(ctx, tn.ID, w.ID)
				if err != nil || a == nil || a.Sender.Name != tn.Name {
					t.Errorf("%s in %s: %+v, %v", tn.Code, w.Code, a, err)
				}
			}
		}
	}
	if merchants == 0 || len(whs) == 0 {
		t.Fatalf("%d merchants, %d warehouses", merchants, len(whs))
	}
}
