package main

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/plan"
)

// TestAllocateJointPerMerchantAndPerWave allocates the same two orders for
// three merchants on a real database: A (older) and B both go to 上海 and
// both want the one unit of S in SH; B also needs M, only in SH. In arrival
// order A takes SH's unit and B splits over SH and GZ; planned jointly
// (chosen in the merchant's planning configuration, or for this one run) A
// ships from GZ and B whole from SH, and A's plan says what it gave up.
func TestAllocateJointPerMerchantAndPerWave(t *testing.T) {
	useDB(t)
	ctx := context.Background()
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	c := Config{DataDir: os.Getenv("YUNCANG_DATA"), MasterKey: os.Getenv("YUNCANG_MASTER_KEY")}
	mk, _ := masterKeys(&c)
	db, err := openStore(ctx, &c, mk, false)
	must(t, err)
	defer db.Close()
	must(t, db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "SH", Name: "上海", ProvinceCode: "31", CityCode: "3101", DistrictCode: "310101"}, nil))
	must(t, db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "GZ", Name: "广州", ProvinceCode: "44", CityCode: "4401", DistrictCode: "440103"}, nil))
	config := func(batch string) []byte {
		return []byte(`{"carriers":[{"code":"AMB","max_weight_g":20000,"rates":[
			{"from":"east","to":"east","first_fen":800,"additional_fen":200,"days":1},
			{"from":"*","to":"*","first_fen":1000,"additional_fen":500,"days":3}]}],
			"penalties":{"extra_parcel_fen":150,"extra_warehouse_fen":300}` + batch + `}`)
	}
	setup := func(code, batch string) (*yuncang.Tenant, []int64) {
		tn := &yuncang.Tenant{Code: code, Name: code}
		must(t, db.CreateTenant(ctx, tn, nil))
		must(t, db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "S", Barcode: code + "1", Name: "小件", WeightG: 500, VolumeCM3: 1000}, nil))
		must(t, db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "M", Barcode: code + "2", Name: "中件", WeightG: 3000, VolumeCM3: 4000}, nil))
		must(t, db.SetStock(ctx, tn.ID, "SH", "S", 1, nil))
		must(t, db.SetStock(ctx, tn.ID, "GZ", "S", 1, nil))
		must(t, db.SetStock(ctx, tn.ID, "SH", "M", 1, nil))
		must(t, allocate.New(db).SetConfig(ctx, tn.ID, config(batch)))
		var ids []int64
		for _, o := range []struct {
			id    string
			lines []yuncang.OrderLine
		}{{"A", []yuncang.OrderLine{{SKUCode: "S", Quantity: 1}}}, {"B", []yuncang.OrderLine{{SKUCode: "S", Quantity: 1}, {SKUCode: "M", Quantity: 1}}}} {
			res, _, err := db.CreateOrders(ctx, tn.ID, []*yuncang.PreparedOrder{{TenantID: tn.ID, MerchantOrderID: o.id, Lines: o.lines,
				Recipient: yuncang.Recipient{Name: "x", Phone: "13800000000", Address: "x"}, Destination: yuncang.Region{ProvinceCode: "31", CityCode: "3101"}}}, true, nil)
			must(t, err)
			_, err = db.TransitionOrder(ctx, tn.ID, res[0].Order.ID, yuncang.OrderPaid, "")
			must(t, err)
			ids = append(ids, res[0].Order.ID)
		}
		return tn, ids
	}
	whs := func(st *yuncang.OrderState) string {
		var ws []string
		for _, p := range st.Parcels {
			if !strings.Contains(strings.Join(ws, ","), p.Warehouse) {
				ws = append(ws, p.Warehouse)
			}
		}
		return strings.Join(ws, ",")
	}
	check := func(name string, states []*yuncang.OrderState, wantA, wantB string) {
		t.Helper()
		if len(states) != 2 || states[0].Status != yuncang.OrderAllocated || states[1].Status != yuncang.OrderAllocated {
			t.Fatalf("%s: %+v", name, states)
		}
		if a, b := whs(states[0]), whs(states[1]); a != wantA || len(b) != len(wantB) {
			t.Errorf("%s: A from %s, B from %s; want %s and %s", name, a, b, wantA, wantB)
		}
	}

	arr, ids := setup("arr", "")
	states, err := allocate.New(db).Allocate(ctx, arr.ID, ids)
	must(t, err)
	check("arrival", states, "SH", "SH,GZ")

	jnt, ids := setup("jnt", `,"batch":{"mode":"joint"}`)
	states, err = allocate.New(db).Allocate(ctx, jnt.ID, ids)
	must(t, err)
	check("merchant joint", states, "GZ", "SH")
	if p := states[0].Plan; p == nil || !strings.Contains(p.Explanation, "¥2.00 more than its individually cheapest plan") {
		t.Errorf("A's plan does not say what it gave up: %+v", p)
	}

	wave, ids := setup("wave", "")
	states, err = allocate.New(db).AllocateBatch(ctx, wave.ID, ids, &plan.BatchPolicy{Mode: "joint"})
	must(t, err)
	check("wave joint", states, "GZ", "SH")

	// The same from the command line: one wave, jointly.
	setup("cli", "")
	if code, out, e := runCmd(t, "", "plan-wave", "--tenant", "cli", "--mode", "joint"); code != 0 || strings.Count(out, `"status":"allocated"`) != 2 ||
		!strings.Contains(out, `"method":"joint"`) || !strings.Contains(out, "individually cheapest plan") {
		t.Fatalf("plan-wave: %d %s %s", code, out, e)
	}
	if code, _, e := runCmd(t, "", "plan-wave", "--tenant", "cli", "--mode", "bounded", "--max-premium", "-2%"); code == 0 || !strings.Contains(e, "max-premium") {
		t.Errorf("plan-wave with a negative cap: %d %s", code, e)
	}
	if code, _, e := runCmd(t, "", "plan-wave", "--tenant", "cli", "--mode", "eager"); code == 0 || !strings.Contains(e, "batch.mode") {
		t.Errorf("plan-wave with an unknown mode: %d %s", code, e)
	}

	bad, ids := setup("bad", "")
	_, err = allocate.New(db).AllocateBatch(ctx, bad.ID, ids, &plan.BatchPolicy{Mode: "bounded", MaxPremiumPct: -3})
	if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != "batch.max_premium_pct" {
		t.Errorf("bad per-run policy: %v", err)
	}
	if err := allocate.New(db).SetConfig(ctx, bad.ID, config(`,"batch":{"mode":"fastest"}`)); yuncang.ErrorField(err) != "batch.mode" {
		t.Errorf("bad merchant policy accepted or field not named: %v", err)
	}
}
