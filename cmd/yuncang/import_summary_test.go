package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
)

// TestImportSummaryAddsUp: `yuncang import` of a 4-order CSV where one row
// has a bad quantity, phone and address and another a bad phone prints
// orders 4 = created 2 + rejected 2, and every invalid field of the bad row
// with its merchant order id. It printed "orders: 3  created: 2 ...
// rejected: 2" and only "row 4: quantity: ..." before.
func TestImportSummaryAddsUp(t *testing.T) {
	useDB(t)
	ctx := context.Background()
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	c := Config{DataDir: os.Getenv("YUNCANG_DATA"), MasterKey: os.Getenv("YUNCANG_MASTER_KEY")}
	mk, _ := masterKeys(&c)
	db, err := openStore(ctx, &c, mk, false)
	must(t, err)
	tn := &yuncang.Tenant{Code: "yiwu-goods", Name: "x"}
	must(t, db.CreateTenant(ctx, tn, nil))
	sku := demodata.SKUs("yiwu-goods")[0]
	sku.TenantID = tn.ID
	must(t, db.CreateSKU(ctx, sku, nil))
	db.Close()

	csv := "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity,remarks\n" +
		"A,张三,13812345678,北京市东城区东华门街道南池子大街7号院2号楼301室,SKU,1,\n" +
		"B,李四,13912345678,北京市东城区东华门街道南池子大街7号院2号楼302室,SKU,2,\n" +
		"C,王五,12,火星基地,SKU,lots,\n" +
		"D,赵六,99,北京市东城区东华门街道南池子大街7号院2号楼303室,SKU,1,\n"
	file := filepath.Join(t.TempDir(), "orders.csv")
	must(t, os.WriteFile(file, []byte(strings.ReplaceAll(csv, ",SKU,", ","+sku.Code+",")), 0o600))

	// All or nothing: nothing stored, and the good orders are counted as
	// not committed so that the counts still add up (they printed
	// "orders: 4  created: 0  duplicates: 0  rejected: 2" before).
	code, out, errOut := runCmd(t, "", "import", "--tenant", "yiwu-goods", "--quiet", "--all-or-nothing", file)
	if code != 1 || !strings.Contains(out, "orders: 4  created: 0  existing: 0  rejected: 2  not committed: 2") {
		t.Fatalf("import --all-or-nothing: exit %d %q %q", code, out, errOut)
	}

	code, out, errOut = runCmd(t, "", "import", "--tenant", "yiwu-goods", "--quiet", file)
	if code != 1 || !strings.Contains(errOut, "2 orders rejected") {
		t.Fatalf("import: exit %d %q %q", code, out, errOut)
	}
	for _, want := range []string{
		"orders: 4  created: 2  existing: 0  rejected: 2",
		"row 4 (C): quantity: must be a positive integer",
		"row 4 (C): recipient.phone: ",
		"row 4 (C): recipient.address: ",
		"row 5 (D): recipient.phone: ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "火星基地") || strings.Contains(out, "13812345678") {
		t.Error("import output contains personal data")
	}
	// One rejected order is "1 order rejected", not "1 orders".
	one := filepath.Join(t.TempDir(), "one.csv")
	must(t, os.WriteFile(one, []byte(strings.Join(strings.Split(csv, "\n")[:1], "")+"\n"+strings.Split(csv, "\n")[4]+"\n"), 0o600))
	if code, out, errOut = runCmd(t, "", "import", "--tenant", "yiwu-goods", "--quiet", one); code != 1 || !strings.Contains(errOut, "1 order rejected") {
		t.Errorf("import of one bad order: exit %d %q %q", code, out, errOut)
	}
}
