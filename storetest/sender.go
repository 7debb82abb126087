package storetest

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
)

// testSenderAddresses: a merchant's sender is kept per warehouse, replaced
// in place, and never read under another merchant or warehouse.
func testSenderAddresses(t *testing.T, h Harness) {
	w := newWorld(t, h, "senders")
	ctx := context.Background()
	if a, err := w.db.SenderAddress(ctx, w.a.ID, w.whYiwu.ID); err != nil || a != nil {
		t.Fatalf("before any: %+v, %v", a, err)
	}
	first := yuncang.Sender{Name: "义乌玩具商行", Phone: "0579-85123456", Address: "浙江省金华市义乌市福田街道国际商贸城五区12号"}
	second := yuncang.Sender{Name: "义乌玩具退货组", Phone: "13800138000", Address: "浙江省金华市义乌市稠城街道工人北路1088号"}
	must(t, w.db.StoreSenderAddress(ctx, &yuncang.SenderAddress{TenantID: w.a.ID, WarehouseID: w.whYiwu.ID, Sender: first}))
	must(t, w.db.StoreSenderAddress(ctx, &yuncang.SenderAddress{TenantID: w.a.ID, WarehouseID: w.whYiwu.ID, Sender: second}))
	a, err := w.db.SenderAddress(ctx, w.a.ID, w.whYiwu.ID)
	if err != nil || a == nil || a.Sender != second || a.UpdatedAt.IsZero() {
		t.Fatalf("read back %+v, %v; want the replacement", a, err)
	}
	for _, k := range [][2]int64{{w.b.ID, w.whYiwu.ID}, {w.a.ID, w.whSH.ID}} {
		if other, err := w.db.SenderAddress(ctx, k[0], k[1]); err != nil || other != nil {
			t.Errorf("tenant %d warehouse %d reads %+v, %v", k[0], k[1], other, err)
		}
	}
}
