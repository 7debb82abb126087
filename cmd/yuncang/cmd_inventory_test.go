package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestPlanningConfigBooksAllocate sets a merchant's carriers from a file,
// allocates its paid orders with them from the command line, and checks
// the books.
func TestPlanningConfigBooksAllocate(t *testing.T) {
	useDB(t)
	ctx := context.Background()
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	c := Config{DataDir: os.Getenv("YUNCANG_DATA"), MasterKey: os.Getenv("YUNCANG_MASTER_KEY")}
	mk, _ := masterKeys(&c)
	db, err := openStore(ctx, &c, mk, false)
	must(t, err)
	tn := &yuncang.Tenant{Code: "tea", Name: "茶"}
	must(t, db.CreateTenant(ctx, tn, nil))
	must(t, db.CreateWarehouse(ctx, &yuncang.Warehouse{Code: "HZ", Name: "杭州", ProvinceCode: "33", CityCode: "3301", DistrictCode: "330106"}, nil))
	must(t, db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "LONGJING", Barcode: "690100", Name: "龙井", WeightG: 250, VolumeCM3: 1000}, nil))
	must(t, db.SetStock(ctx, tn.ID, "HZ", "LONGJING", 5, nil))
	res, _, err := db.CreateOrders(ctx, tn.ID, []*yuncang.PreparedOrder{{TenantID: tn.ID, MerchantOrderID: "T1",
		Lines:     []yuncang.OrderLine{{SKUCode: "LONGJING", Quantity: 2}},
		Recipient: yuncang.Recipient{Name: "x", Phone: "13800000000", Address: "x"}, Destination: yuncang.Region{ProvinceCode: "11", CityCode: "1101"}}}, true, nil)
	must(t, err)
	_, err = db.TransitionOrder(ctx, tn.ID, res[0].Order.ID, yuncang.OrderPaid, "")
	must(t, err)
	db.Close()

	bad := filepath.Join(t.TempDir(), "bad.json")
	must(t, os.WriteFile(bad, []byte(`{"carriers":[{"code":"SF","max_wieght_g":1,"rates":[]}]}`), 0o600))
	if code, _, e := runCmd(t, "", "planning-config", "--tenant", "tea", "--set", bad); code == 0 || !strings.Contains(e, "max_wieght_g") {
		t.Fatalf("bad config accepted or error does not name the field: %d %s", code, e)
	}
	if code, out, _ := runCmd(t, "", "planning-config", "--tenant", "tea"); code != 0 || !strings.Contains(out, `"carriers"`) {
		t.Fatalf("default config: %d %s", code, out)
	}
	cfg := `{"carriers":[{"code":"SF","name":"顺丰","cutoff":"18:00","rates":[{"from":"*","to":"*","first_fen":1200,"additional_fen":300,"days":2}]}],
		"penalties":{"extra_parcel_fen":100,"extra_warehouse_fen":200}}`
	if code, _, e := runCmd(t, cfg, "planning-config", "--tenant", "tea", "--set", "-"); code != 0 {
		t.Fatal(e)
	}
	code, out, e := runCmd(t, "", "allocate", "--tenant", "tea")
	if code != 0 || !strings.Contains(out, `"status":"allocated"`) || !strings.Contains(out, "SF") {
		t.Fatalf("allocate: %d %s %s", code, out, e)
	}
	if code, out, e := runCmd(t, "", "books", "--tenant", "tea"); code != 0 || !strings.Contains(out, "balance") {
		t.Fatalf("books: %d %s %s", code, out, e)
	}
}
