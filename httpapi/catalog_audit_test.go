package httpapi_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// TestCatalogChangesAudited: a merchant, a warehouse and an SKU created and
// stock set by hand, over the API and in the console, are each in the audit
// log as their actor's, naming the new row and never the names typed.
func TestCatalogChangesAudited(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// record returns the newest record of kind, which must be actor's.
	record := func(kind, actor string) *yuncang.Event {
		t.Helper()
		evs, err := f.db.Events(ctx, yuncang.EventFilter{Kind: kind})
		must(t, err)
		if len(evs) == 0 || evs[0].Username != actor || evs[0].UserID != f.users[actor].ID || evs[0].Outcome != yuncang.OutcomeOK {
			t.Fatalf("%s not audited as %s's: %+v", kind, actor, evs)
		}
		return evs[0]
	}
	target := func(ev *yuncang.Event, want string) {
		t.Helper()
		if !slices.Contains(ev.Targets, want) {
			t.Errorf("%s names %v, want %s", ev.Kind, ev.Targets, want)
		}
	}
	const name = "收件人王佳的店"

	rec := f.do(t, "POST", "/api/v1/tenants", f.tokens["platform_admin"], `{"code":"shoes","name":"`+name+`"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create merchant: %d %s", rec.Code, rec.Body)
	}
	shoes := decode[httpapi.TenantJSON](t, rec.Body.Bytes())
	ev := record(yuncang.EventTenantCreate, "platform_admin")
	target(ev, "tenant:"+strconv.FormatInt(shoes.ID, 10))
	if ev.TenantID != shoes.ID || strings.Contains(ev.Detail, "王佳") {
		t.Errorf("merchant record: %+v", ev)
	}

	rec = f.do(t, "POST", "/api/v1/warehouses", f.tokens["platform_admin"],
		`{"code":"WZ1","name":"`+name+`","province_code":"33","city_code":"3303","district_code":"330302"}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create warehouse: %d %s", rec.Code, rec.Body)
	}
	ev = record(yuncang.EventWarehouseCreate, "platform_admin")
	target(ev, "warehouse:"+strconv.FormatInt(decode[httpapi.WarehouseJSON](t, rec.Body.Bytes()).ID, 10))

	rec = f.do(t, "POST", "/api/v1/skus?tenant=ta", f.tokens["merchant_admin@ta"],
		`{"code":"BOOT-1","barcode":"6901","name":"`+name+`","weight_g":900,"volume_cm3":6000}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("create SKU: %d %s", rec.Code, rec.Body)
	}
	ev = record(yuncang.EventSKUCreate, "merchant_admin-ta")
	target(ev, "sku:"+strconv.FormatInt(decode[httpapi.SKUJSON](t, rec.Body.Bytes()).ID, 10))
	if ev.TenantID != f.a.ID || strings.Contains(ev.Detail, "王佳") {
		t.Errorf("SKU record: %+v", ev)
	}

	for _, n := range []int{30, 12} {
		rec = f.do(t, "PUT", "/api/v1/warehouses/YW1/stock?tenant=ta", f.tokens["warehouse_supervisor"], `{"sku":"BOOT-1","on_hand":`+strconv.Itoa(n)+`}`)
		if rec.Code != http.StatusOK {
			t.Fatalf("set stock: %d %s", rec.Code, rec.Body)
		}
	}
	ev = record(yuncang.EventStockSet, "warehouse_supervisor")
	target(ev, "warehouse:"+strconv.FormatInt(f.yw.ID, 10))
	if ev.TenantID != f.a.ID || ev.Detail != "sku BOOT-1 in YW1: on hand 30 -> 12" {
		t.Errorf("stock record: %+v", ev)
	}
	// A refused change leaves no record.
	if rec := f.do(t, "PUT", "/api/v1/warehouses/YW1/stock?tenant=ta", f.tokens["warehouse_supervisor"], `{"sku":"NOPE","on_hand":1}`); rec.Code != http.StatusBadRequest {
		t.Fatalf("unknown SKU: %d %s", rec.Code, rec.Body)
	}
	if evs, _ := f.db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventStockSet}); len(evs) != 2 {
		t.Errorf("%d stock records, want 2", len(evs))
	}

	// The console's forms go the same way.
	page := f.pages["platform_admin"]
	for _, c := range []struct{ path, kind string }{
		{"/admin/merchants", yuncang.EventTenantCreate},
		{"/admin/warehouses", yuncang.EventWarehouseCreate},
	} {
		form := url.Values{httpapi.CSRFField: {httpapi.CSRFToken(page)}, "code": {"HATS"}, "name": {name},
			"province_code": {"33"}, "city_code": {"3303"}, "district_code": {"330302"}}
		rec := f.do(t, "POST", c.path, "", form.Encode(), "Cookie", httpapi.SessionCookie+"="+page, "Content-Type", "application/x-www-form-urlencoded")
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("console %s: %d %s", c.path, rec.Code, rec.Body)
		}
		if ev := record(c.kind, "platform_admin"); !strings.Contains(ev.Detail, "HATS") || strings.Contains(ev.Detail, "王佳") {
			t.Errorf("console %s record: %+v", c.path, ev)
		}
	}
}
