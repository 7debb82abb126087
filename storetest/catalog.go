package storetest

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
)

func testTenants(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "tenants")
	got, err := w.db.TenantByCode(ctx, "toys")
	must(t, err)
	if got.ID != w.a.ID || got.Name != w.a.Name {
		t.Fatalf("TenantByCode = %+v, want %+v", got, w.a)
	}
	got, err = w.db.TenantByID(ctx, w.b.ID)
	must(t, err)
	if got.Code != "tea" {
		t.Fatalf("TenantByID code = %q", got.Code)
	}
	wantCode(t, w.db.CreateTenant(ctx, &yuncang.Tenant{Code: "toys", Name: "again"}), yuncang.ECONFLICT)
	wantCode(t, w.db.CreateTenant(ctx, &yuncang.Tenant{Code: "bad code!", Name: "x"}), yuncang.EINVALID)
	_, err = w.db.TenantByCode(ctx, "nope")
	wantCode(t, err, yuncang.ENOTFOUND)
	all, err := w.db.Tenants(ctx)
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("Tenants = %d, want 2", len(all))
	}
}

func testWarehouses(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "warehouses")
	got, err := w.db.WarehouseByCode(ctx, "YW1")
	must(t, err)
	if got.DistrictCode != "330782" {
		t.Fatalf("district = %q", got.DistrictCode)
	}
	wantCode(t, w.db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "YW1", Name: "dup", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"}), yuncang.ECONFLICT)
	err = w.db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "X", Name: "x", ProvinceCode: "33", CityCode: "3401", DistrictCode: "340102"})
	wantCode(t, err, yuncang.EINVALID)
	if f := yuncang.ErrorField(err); f != "city_code" {
		t.Fatalf("field = %q, want city_code", f)
	}
	all, err := w.db.Warehouses(ctx)
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("Warehouses = %d, want 2", len(all))
	}
}

func testSKUs(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "skus")
	skus, err := w.db.SKUs(ctx, w.a.ID)
	must(t, err)
	if len(skus) != 3 {
		t.Fatalf("tenant a has %d SKUs, want 3", len(skus))
	}
	for _, s := range skus {
		if s.TenantID != w.a.ID {
			t.Fatalf("SKU of tenant %d listed for tenant %d", s.TenantID, w.a.ID)
		}
		if s.TempClass != yuncang.TempAmbient {
			t.Fatalf("default temp class = %q", s.TempClass)
		}
	}
	wantCode(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: w.a.ID, Code: "SKU-1", Barcode: "1", Name: "x", WeightG: 1, VolumeCM3: 1}), yuncang.ECONFLICT)
	// Same code in another tenant is fine: codes are per tenant.
	must(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: w.b.ID, Code: "SKU-9", Barcode: "1", Name: "x", WeightG: 1, VolumeCM3: 1, TempClass: yuncang.TempChilled}))
	wantCode(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: w.a.ID, Code: "S", Barcode: "1", Name: "x", WeightG: 0, VolumeCM3: 1}), yuncang.EINVALID)

	must(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-1", 40))
	must(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-1", 50)) // upsert
	must(t, w.db.SetStock(ctx, w.a.ID, "SH1", "SKU-2", 7))
	wantCode(t, w.db.SetStock(ctx, w.a.ID, "NOPE", "SKU-1", 1), yuncang.EINVALID)
	wantCode(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-9", 1), yuncang.EINVALID) // tenant b's SKU
	wantCode(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-1", -1), yuncang.EINVALID)
	st, err := w.db.Stock(ctx, w.a.ID)
	must(t, err)
	if len(st) != 2 || st[1].WarehouseCode != "YW1" || st[1].OnHand != 50 || st[1].Available() != 50 {
		t.Fatalf("stock = %+v %+v", st[0], st[len(st)-1])
	}
	other, err := w.db.Stock(ctx, w.b.ID)
	must(t, err)
	if len(other) != 0 {
		t.Fatalf("tenant b sees %d stock rows of tenant a", len(other))
	}
}

func testUsers(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "users")
	u := &yuncang.User{TenantID: w.a.ID, Username: "alice", Role: yuncang.RoleMerchantAdmin}
	must(t, w.db.CreateUser(ctx, u, "hash-a"))
	wantCode(t, w.db.CreateUser(ctx, &yuncang.User{Username: "alice", Role: yuncang.RoleOperator}, "h"), yuncang.ECONFLICT)
	wantCode(t, w.db.CreateUser(ctx, &yuncang.User{Username: "bob", Role: yuncang.RoleMerchantStaff}, "h"), yuncang.EINVALID)
	op := &yuncang.User{Username: "op1", Role: yuncang.RoleOperator}
	must(t, w.db.CreateUser(ctx, op, "hash-op"))

	got, hash, err := w.db.UserForLogin(ctx, "alice")
	must(t, err)
	if got.ID != u.ID || hash != "hash-a" || got.TenantID != w.a.ID || got.Status != yuncang.UserActive {
		t.Fatalf("UserForLogin = %+v %q", got, hash)
	}
	staff, err := w.db.Users(ctx, 0)
	must(t, err)
	if len(staff) != 1 || staff[0].Username != "op1" {
		t.Fatalf("platform users = %+v", staff)
	}

	now := w.db.Now()
	c := &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialSession, TokenHash: []byte("0123456789abcdef0123456789abcdef"), ExpiresAt: now.Add(3600e9)}
	must(t, w.db.CreateCredential(ctx, c))
	gc, gu, err := w.db.CredentialByHash(ctx, c.TokenHash, now)
	must(t, err)
	if gc.ID != c.ID || gu.ID != u.ID {
		t.Fatalf("CredentialByHash = %+v %+v", gc, gu)
	}
	_, _, err = w.db.CredentialByHash(ctx, c.TokenHash, now.Add(3601e9))
	wantCode(t, err, yuncang.EUNAUTHORIZED)
	must(t, w.db.DeleteCredential(ctx, c.ID))
	_, _, err = w.db.CredentialByHash(ctx, c.TokenHash, now)
	wantCode(t, err, yuncang.EUNAUTHORIZED)
}
