package storetest

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/yuncang/yuncang"
)

// testCatalogAudited: creating a merchant, a warehouse or an SKU and
// setting stock by hand each append their audit record in the same
// transaction, naming the new row; a refused change appends nothing, and a
// record that cannot be written undoes the change (fail closed).
func testCatalogAudited(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "catalogaudit")
	ev := func(kind, detail string) *yuncang.Event {
		return &yuncang.Event{UserID: 7, Username: "pa", Role: yuncang.RolePlatformAdmin, Kind: kind, Outcome: yuncang.OutcomeOK, Detail: detail}
	}
	// one returns the only record of kind, checking its target and tenant.
	one := func(kind, target string, tenant int64) *yuncang.Event {
		t.Helper()
		evs, err := w.db.Events(ctx, yuncang.EventFilter{Kind: kind})
		must(t, err)
		if len(evs) != 1 || !slices.Contains(evs[0].Targets, target) || evs[0].TenantID != tenant || evs[0].UserID != 7 || evs[0].Username != "pa" {
			t.Fatalf("%s records: %+v, want one naming %s in tenant %d", kind, evs, target, tenant)
		}
		return evs[0]
	}
	id := func(prefix string, n int64) string { return prefix + ":" + strconv.FormatInt(n, 10) }

	tn := &yuncang.Tenant{Code: "shoes", Name: "温州鞋业"}
	must(t, w.db.CreateTenant(ctx, tn, ev(yuncang.EventTenantCreate, "merchant shoes")))
	one(yuncang.EventTenantCreate, id("tenant", tn.ID), tn.ID)
	wantCode(t, w.db.CreateTenant(ctx, &yuncang.Tenant{Code: "shoes", Name: "again"}, ev(yuncang.EventTenantCreate, "merchant shoes")), yuncang.ECONFLICT)
	one(yuncang.EventTenantCreate, id("tenant", tn.ID), tn.ID)

	wh := &yuncang.Warehouse{Code: "WZ1", Name: "温州仓", ProvinceCode: "33", CityCode: "3303", DistrictCode: "330302"}
	must(t, w.db.CreateWarehouse(ctx, wh, ev(yuncang.EventWarehouseCreate, "warehouse WZ1")))
	one(yuncang.EventWarehouseCreate, id("warehouse", wh.ID), 0)
	wantCode(t, w.db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "WZ1", Name: "dup", ProvinceCode: "33", CityCode: "3303", DistrictCode: "330302"},
		ev(yuncang.EventWarehouseCreate, "warehouse WZ1")), yuncang.ECONFLICT)
	one(yuncang.EventWarehouseCreate, id("warehouse", wh.ID), 0)

	sku := &yuncang.SKU{TenantID: tn.ID, Code: "BOOT-1", Barcode: "6901", Name: "靴子", WeightG: 900, VolumeCM3: 6000}
	must(t, w.db.CreateSKU(ctx, sku, ev(yuncang.EventSKUCreate, "sku BOOT-1")))
	one(yuncang.EventSKUCreate, id("sku", sku.ID), tn.ID)
	wantCode(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "BOOT-1", Barcode: "1", Name: "x", WeightG: 1, VolumeCM3: 1},
		ev(yuncang.EventSKUCreate, "sku BOOT-1")), yuncang.ECONFLICT)
	one(yuncang.EventSKUCreate, id("sku", sku.ID), tn.ID)

	must(t, w.db.SetStock(ctx, tn.ID, "WZ1", "BOOT-1", 40, ev(yuncang.EventStockSet, "sku BOOT-1 in WZ1:")))
	must(t, w.db.SetStock(ctx, tn.ID, "WZ1", "BOOT-1", 25, ev(yuncang.EventStockSet, "sku BOOT-1 in WZ1:")))
	wantCode(t, w.db.SetStock(ctx, tn.ID, "WZ1", "BOOT-1", -1, ev(yuncang.EventStockSet, "x")), yuncang.EINVALID)
	wantCode(t, w.db.SetStock(ctx, tn.ID, "NOPE", "BOOT-1", 1, ev(yuncang.EventStockSet, "x")), yuncang.EINVALID)
	wantCode(t, w.db.SetStock(ctx, w.a.ID, "WZ1", "BOOT-1", 1, ev(yuncang.EventStockSet, "x")), yuncang.EINVALID) // another merchant's SKU
	evs, err := w.db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventStockSet})
	must(t, err)
	if len(evs) != 2 || evs[0].Detail != "sku BOOT-1 in WZ1: on hand 40 -> 25" || evs[1].Detail != "sku BOOT-1 in WZ1: on hand 0 -> 40" ||
		!slices.Contains(evs[0].Targets, id("sku", sku.ID)) || !slices.Contains(evs[0].Targets, id("warehouse", wh.ID)) || evs[0].TenantID != tn.ID {
		t.Fatalf("stock records: %+v", evs)
	}

	// Fail closed: a record the log refuses (an unmasked mobile in its
	// detail) leaves no SKU and no stock change behind.
	bad := func(kind string) *yuncang.Event { return ev(kind, "call 13812345678") }
	wantCode(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "BOOT-2", Barcode: "6902", Name: "x", WeightG: 1, VolumeCM3: 1}, bad(yuncang.EventSKUCreate)), yuncang.EINTERNAL)
	wantCode(t, w.db.SetStock(ctx, tn.ID, "WZ1", "BOOT-1", 99, bad(yuncang.EventStockSet)), yuncang.EINTERNAL)
	wantCode(t, w.db.CreateTenant(ctx, &yuncang.Tenant{Code: "hats", Name: "x"}, bad(yuncang.EventTenantCreate)), yuncang.EINTERNAL)
	wantCode(t, w.db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "WZ2", Name: "x", ProvinceCode: "33", CityCode: "3303", DistrictCode: "330302"}, bad(yuncang.EventWarehouseCreate)), yuncang.EINTERNAL)
	skus, err := w.db.SKUs(ctx, tn.ID)
	must(t, err)
	st, err := w.db.Stock(ctx, tn.ID)
	must(t, err)
	if len(skus) != 1 || len(st) != 1 || st[0].OnHand != 25 {
		t.Fatalf("a change whose record failed stayed: %d SKUs, stock %+v", len(skus), st[0])
	}
	if _, err := w.db.TenantByCode(ctx, "hats"); yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		t.Fatalf("a merchant whose record failed exists: %v", err)
	}
	if _, err := w.db.WarehouseByCode(ctx, "WZ2"); yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		t.Fatalf("a warehouse whose record failed exists: %v", err)
	}
}
