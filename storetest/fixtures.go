package storetest

import (
	"context"
	"fmt"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

// world is a small data set: two tenants, two warehouses, SKUs and stock.
type world struct {
	db     *sqlstore.DB
	master *vault.MasterKeys
	a, b   *yuncang.Tenant
	whYiwu *yuncang.Warehouse
	whSH   *yuncang.Warehouse
}

func newWorld(t *testing.T, h Harness, name string) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{master: NewMasterKeys(t, "m1")}
	w.db = h.Open(t, name, w.master)
	w.a = &yuncang.Tenant{Code: "toys", Name: "义乌玩具商行"}
	w.b = &yuncang.Tenant{Code: "tea", Name: "杭州茶叶"}
	w.whYiwu = &yuncang.Warehouse{Code: "YW1", Name: "义乌一号仓", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"}
	w.whSH = &yuncang.Warehouse{Code: "SH1", Name: "上海仓", ProvinceCode: "31", CityCode: "3101", DistrictCode: "310115"}
	must(t, w.db.CreateTenant(ctx, w.a, nil))
	must(t, w.db.CreateTenant(ctx, w.b, nil))
	must(t, w.db.CreateWarehouse(ctx, w.whYiwu, nil))
	must(t, w.db.CreateWarehouse(ctx, w.whSH, nil))
	for _, tn := range []*yuncang.Tenant{w.a, w.b} {
		for i := 1; i <= 3; i++ {
			must(t, w.db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: fmt.Sprintf("SKU-%d", i),
				Barcode: fmt.Sprintf("69012345%05d", i), Name: "商品", WeightG: 100 * i, VolumeCM3: 500 * i}, nil))
		}
	}
	return w
}

// person is a recipient with known plaintext, to look for at rest.
type person struct {
	name, phone, address, street, remarks string
}

var people = []person{
	{"欧阳娜娜", "13812345678", "浙江省金华市义乌市稠城街道工人北路1088号3单元502室", "工人北路1088号", "请放门卫 电话13812345678"},
	{"张三丰", "15900001111", "上海市浦东新区张江镇碧波路690号12幢1801室", "碧波路690号", "周末送货"},
	{"李雷", "18657901234", "北京市东城区东华门街道南池子大街7号院2号楼", "南池子大街7号院", ""},
}

// prepared returns a prepared order for tenant with the person's data. The
// masks are written by hand: storage must not care how they were derived.
func prepared(tenant *yuncang.Tenant, moid string, p person, qty int) *yuncang.PreparedOrder {
	return &yuncang.PreparedOrder{
		TenantID:        tenant.ID,
		MerchantOrderID: moid,
		Lines:           []yuncang.OrderLine{{SKUCode: "SKU-1", Quantity: qty}, {SKUCode: "SKU-2", Quantity: 1}},
		Recipient:       yuncang.Recipient{Name: p.name, Phone: p.phone, Address: p.address},
		Remarks:         p.remarks,
		Masked:          yuncang.MaskedRecipient{Name: string([]rune(p.name)[:1]) + "**", Phone: p.phone[:3] + "******" + p.phone[9:], Address: "某省某市某区****"},
		MaskedRemarks:   "masked:" + moid,
		Destination:     yuncang.Region{Province: "浙江省", ProvinceCode: "33", City: "金华市", CityCode: "3307", District: "义乌市", DistrictCode: "330782"},
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := yuncang.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}
