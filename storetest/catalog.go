package storetest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

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
	wantCode(t, w.db.CreateTenant(ctx, &yuncang.Tenant{Code: "toys", Name: "again"}, nil), yuncang.ECONFLICT)
	wantCode(t, w.db.CreateTenant(ctx, &yuncang.Tenant{Code: "bad code!", Name: "x"}, nil), yuncang.EINVALID)
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
	wantCode(t, w.db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "YW1", Name: "dup", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"}, nil), yuncang.ECONFLICT)
	err = w.db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "X", Name: "x", ProvinceCode: "33", CityCode: "3401", DistrictCode: "340102"}, nil)
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
	wantCode(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: w.a.ID, Code: "SKU-1", Barcode: "1", Name: "x", WeightG: 1, VolumeCM3: 1}, nil), yuncang.ECONFLICT)
	// Same code in another tenant is fine: codes are per tenant.
	must(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: w.b.ID, Code: "SKU-9", Barcode: "1", Name: "x", WeightG: 1, VolumeCM3: 1, TempClass: yuncang.TempChilled}, nil))
	wantCode(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: w.a.ID, Code: "S", Barcode: "1", Name: "x", WeightG: 0, VolumeCM3: 1}, nil), yuncang.EINVALID)

	must(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-1", 40, nil))
	must(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-1", 50, nil)) // upsert
	must(t, w.db.SetStock(ctx, w.a.ID, "SH1", "SKU-2", 7, nil))
	wantCode(t, w.db.SetStock(ctx, w.a.ID, "NOPE", "SKU-1", 1, nil), yuncang.EINVALID)
	wantCode(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-9", 1, nil), yuncang.EINVALID) // tenant b's SKU
	wantCode(t, w.db.SetStock(ctx, w.a.ID, "YW1", "SKU-1", -1, nil), yuncang.EINVALID)
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
	wantCode(t, w.db.CreateUser(ctx, &yuncang.User{Username: "alice", Role: yuncang.RoleCustomerService}, "h"), yuncang.ECONFLICT)
	wantCode(t, w.db.CreateUser(ctx, &yuncang.User{Username: "bob", Role: yuncang.RoleMerchantStaff}, "h"), yuncang.EINVALID)
	wantCode(t, w.db.CreateUser(ctx, &yuncang.User{Username: "op0", Role: yuncang.RoleOperator}, "h"), yuncang.EINVALID) // no warehouse
	wantCode(t, w.db.CreateUser(ctx, &yuncang.User{Username: "tmp0", Role: yuncang.RoleCustomerService, EmploymentType: yuncang.EmploymentTemporary}, "h"), yuncang.EINVALID)
	op := &yuncang.User{Username: "op1", Role: yuncang.RoleOperator, Warehouses: []int64{w.whYiwu.ID, w.whSH.ID},
		Shift: yuncang.Shift{StartMin: 8 * 60, EndMin: 20 * 60, Days: 0b0111110}}
	must(t, w.db.CreateUser(ctx, op, "hash-op"))
	staff := &yuncang.User{TenantID: w.a.ID, Username: "alice-staff", Role: yuncang.RoleMerchantStaff, ManagerID: u.ID}
	must(t, w.db.CreateUser(ctx, staff, "hash-s"))

	got, hash, err := w.db.UserForLogin(ctx, "alice")
	must(t, err)
	if got.ID != u.ID || hash != "hash-a" || got.TenantID != w.a.ID || got.Status != yuncang.UserActive || got.EmploymentType != yuncang.EmploymentPermanent {
		t.Fatalf("UserForLogin = %+v %q", got, hash)
	}
	gop, err := w.db.UserByUsername(ctx, "op1")
	must(t, err)
	if len(gop.Warehouses) != 2 || gop.Shift != op.Shift || gop.Shift.Mode != yuncang.ShiftDeny || gop.HasTOTP {
		t.Fatalf("operator read back = %+v", gop)
	}
	staffList, err := w.db.Users(ctx, 0)
	must(t, err)
	if len(staffList) != 1 || staffList[0].Username != "op1" {
		t.Fatalf("platform users = %+v", staffList)
	}
	one := []int64{w.whSH.ID}
	role := yuncang.RoleWarehouseSupervisor
	must(t, w.db.UpdateUser(ctx, op.ID, yuncang.UserUpdate{Warehouses: &one, Role: &role, Reviewed: true}))
	gop, _ = w.db.UserByID(ctx, op.ID)
	if len(gop.Warehouses) != 1 || gop.Warehouses[0] != w.whSH.ID || gop.Role != role || gop.ReviewedAt.IsZero() {
		t.Fatalf("after update = %+v", gop)
	}
	wantCode(t, w.db.UpdateUser(ctx, 99999, yuncang.UserUpdate{Role: &role}), yuncang.ENOTFOUND)

	// Credentials: lookup, expiry, step-up, revocation by offboarding.
	now := w.db.Now()
	var creds []*yuncang.Credential
	for i, kind := range []string{yuncang.CredentialSession, yuncang.CredentialAPIToken} {
		c := &yuncang.Credential{UserID: u.ID, Kind: kind, TokenHash: []byte(fmt.Sprintf("0123456789abcdef0123456789abcde%d", i)),
			ExpiresAt: now.Add(time.Hour), Scopes: []string{"orders:read", "orders:write"}, Source: "10.0.0.1"}
		must(t, w.db.CreateCredential(ctx, c))
		creds = append(creds, c)
	}
	gc, gu, err := w.db.CredentialByHash(ctx, creds[1].TokenHash, now)
	must(t, err)
	if gc.ID != creds[1].ID || gu.ID != u.ID || len(gc.Scopes) != 2 || gc.Source != "10.0.0.1" {
		t.Fatalf("CredentialByHash = %+v %+v", gc, gu)
	}
	_, _, err = w.db.CredentialByHash(ctx, creds[0].TokenHash, now.Add(time.Hour+time.Second))
	wantCode(t, err, yuncang.EUNAUTHORIZED)
	must(t, w.db.StepUp(ctx, creds[0].ID, now))
	gc, _ = w.db.CredentialByID(ctx, creds[0].ID)
	if gc.SteppedUpAt.IsZero() {
		t.Fatal("step-up not recorded")
	}
	must(t, w.db.Disable(ctx, u.ID, "offboarded: left", now, nil))
	for _, c := range creds {
		if _, _, err := w.db.CredentialByHash(ctx, c.TokenHash, now); yuncang.ErrorCode(err) != yuncang.EUNAUTHORIZED {
			t.Fatalf("credential survived offboarding: %v", err)
		}
	}
	gu, _ = w.db.UserByID(ctx, u.ID)
	if gu.Status != yuncang.UserDisabled || gu.DisabledReason != "offboarded: left" {
		t.Fatalf("after disable = %+v", gu)
	}

	// TOTP steps are single-use and monotonic.
	must(t, w.db.SetTOTP(ctx, staff.ID, []byte("sealed")))
	ct, last, err := w.db.TOTPSecret(ctx, staff.ID)
	must(t, err)
	if string(ct) != "sealed" || last != 0 {
		t.Fatalf("TOTPSecret = %q %d", ct, last)
	}
	must(t, w.db.UseTOTPStep(ctx, staff.ID, 100))
	wantCode(t, w.db.UseTOTPStep(ctx, staff.ID, 100), yuncang.ECONFLICT)
	wantCode(t, w.db.UseTOTPStep(ctx, staff.ID, 99), yuncang.ECONFLICT)
	must(t, w.db.UseTOTPStep(ctx, staff.ID, 101))

	// Known sources.
	known, err := w.db.KnownSource(ctx, staff.ID, "addr", "10.1.1.1")
	must(t, err)
	must(t, w.db.RememberSource(ctx, staff.ID, "addr", "10.1.1.1", now))
	must(t, w.db.RememberSource(ctx, staff.ID, "addr", "10.1.1.1", now))
	again, err := w.db.KnownSource(ctx, staff.ID, "addr", "10.1.1.1")
	must(t, err)
	if known || !again {
		t.Fatalf("known sources: before=%v after=%v", known, again)
	}

	// Expiry sweep: a temporary account past its end and an inactive one.
	tmp := &yuncang.User{Username: "tmp1", Role: yuncang.RoleCustomerService, EmploymentType: yuncang.EmploymentTemporary, EndAt: now.Add(time.Hour)}
	must(t, w.db.CreateUser(ctx, tmp, "h"))
	gone, err := w.db.DisableExpired(ctx, now.Add(2*time.Hour), now.Add(-24*time.Hour))
	must(t, err)
	if len(gone) != 1 || gone[0].Username != "tmp1" || gone[0].DisabledReason != "expired" {
		t.Fatalf("sweep = %+v", gone)
	}
	gone, err = w.db.DisableExpired(ctx, now.Add(40*24*time.Hour), now.Add(10*24*time.Hour))
	must(t, err)
	if len(gone) != 2 { // op1 and alice-staff: never seen since creation
		t.Fatalf("inactivity sweep disabled %d accounts", len(gone))
	}
}

func testDevicesAndEvents(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "devices")
	key := func(b byte) ed25519.PublicKey {
		return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, 32)).Public().(ed25519.PublicKey)
	}
	d := &yuncang.Device{Code: "YW1-PACK-1", Name: "打包台", Kind: yuncang.DevicePackingStation, WarehouseID: w.whYiwu.ID, PublicKey: key(1), EnrolledBy: 1}
	must(t, w.db.EnrolDevice(ctx, d))
	wantCode(t, w.db.EnrolDevice(ctx, &yuncang.Device{Code: "YW1-PACK-1", Kind: yuncang.DevicePackingStation, WarehouseID: w.whYiwu.ID, PublicKey: key(2)}), yuncang.ECONFLICT)
	wantCode(t, w.db.EnrolDevice(ctx, &yuncang.Device{Code: "YW1-PACK-2", Kind: yuncang.DevicePackingStation, WarehouseID: w.whYiwu.ID, PublicKey: key(1)}), yuncang.ECONFLICT) // the same key twice
	wantCode(t, w.db.EnrolDevice(ctx, &yuncang.Device{Code: "X", Kind: yuncang.DevicePackingStation, WarehouseID: w.whYiwu.ID, TenantID: w.a.ID, PublicKey: key(3)}), yuncang.EINVALID)
	wantCode(t, w.db.EnrolDevice(ctx, &yuncang.Device{Code: "DESK", Kind: yuncang.DeviceOfficeDesk, TenantID: w.a.ID, PublicKey: key(4)}), yuncang.EINVALID) // nobody's desk
	wantCode(t, w.db.EnrolDevice(ctx, &yuncang.Device{Code: "NOKEY", Kind: yuncang.DevicePackingStation, WarehouseID: w.whYiwu.ID}), yuncang.EINVALID)
	got, err := w.db.DeviceByID(ctx, d.ID)
	must(t, err)
	if got.Code != d.Code || !got.Active() || got.WarehouseID != w.whYiwu.ID || got.Kind != yuncang.DevicePackingStation || !got.PublicKey.Equal(d.PublicKey) {
		t.Fatalf("DeviceByID = %+v", got)
	}
	// A nonce is spent once; old ones are forgotten.
	at := w.db.Now()
	must(t, w.db.UseDeviceNonce(ctx, d.ID, "nonce-0123456789abcdef", at, at.Add(-time.Hour)))
	wantCode(t, w.db.UseDeviceNonce(ctx, d.ID, "nonce-0123456789abcdef", at, at.Add(-time.Hour)), yuncang.ECONFLICT)
	must(t, w.db.UseDeviceNonce(ctx, d.ID, "nonce-0123456789abcdef", at.Add(2*time.Hour), at.Add(time.Hour)))
	u := &yuncang.User{Username: "op", Role: yuncang.RoleOperator, Warehouses: []int64{w.whYiwu.ID}}
	must(t, w.db.CreateUser(ctx, u, "h"))
	c := &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialSession, TokenHash: []byte("session-on-device-0123456789abcd"), DeviceID: d.ID, ExpiresAt: w.db.Now().Add(time.Hour)}
	must(t, w.db.CreateCredential(ctx, c))
	must(t, w.db.RevokeDevice(ctx, d.ID, w.db.Now()))
	wantCode(t, w.db.RevokeDevice(ctx, d.ID, w.db.Now()), yuncang.ENOTFOUND)
	if _, _, err := w.db.CredentialByHash(ctx, c.TokenHash, w.db.Now()); yuncang.ErrorCode(err) != yuncang.EUNAUTHORIZED {
		t.Fatal("a session opened on a revoked device survived")
	}
	got, _ = w.db.DeviceByID(ctx, d.ID)
	if got.Active() {
		t.Fatal("revoked device still active")
	}

	for i, kind := range []string{yuncang.EventLogin, yuncang.EventLoginFailure, yuncang.EventLogin} {
		must(t, w.db.RecordEvent(ctx, &yuncang.Event{UserID: u.ID + int64(i%2), Username: "op", Kind: kind, Outcome: yuncang.OutcomeOK, Source: "10.0.0.9"}))
	}
	es, err := w.db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventLogin})
	must(t, err)
	if len(es) != 2 || es[0].ID < es[1].ID || es[0].At.IsZero() {
		t.Fatalf("events = %+v", es)
	}
	es, err = w.db.Events(ctx, yuncang.EventFilter{UserID: u.ID + 1})
	must(t, err)
	if len(es) != 1 || es[0].Kind != yuncang.EventLoginFailure {
		t.Fatalf("events by user = %+v", es)
	}
}
