package fulfil

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
)

// senderMap is the SenderStore in memory, for the rules; the storage
// conformance suite stores and reads senders in both databases.
type senderMap map[[2]int64]yuncang.SenderAddress

func (m senderMap) StoreSenderAddress(_ context.Context, a *yuncang.SenderAddress) error {
	m[[2]int64{a.TenantID, a.WarehouseID}] = *a
	return nil
}

func (m senderMap) SenderAddress(_ context.Context, t, w int64) (*yuncang.SenderAddress, error) {
	a, ok := m[[2]int64{t, w}]
	if !ok {
		return nil, nil
	}
	return &a, nil
}

func TestSenderForShipment(t *testing.T) {
	ctx := context.Background()
	stored := yuncang.Sender{Name: "义乌优品", Phone: "0579-85123456", Address: "浙江省金华市义乌市福田街道国际商贸城五区12号"}
	given := yuncang.Sender{Name: "杭州仓退货组", Phone: "13800138000", Address: "浙江省杭州市余杭区文一西路969号"}
	ss := &Senders{Store: senderMap{}}
	if err := ss.Set(ctx, &yuncang.SenderAddress{TenantID: 1, WarehouseID: 2, Sender: stored}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		tenant, wh  int64
		given, want yuncang.Sender
		field       string
	}{
		{name: "stored is the default", tenant: 1, wh: 2, want: stored},
		{name: "given wins", tenant: 1, wh: 2, given: given, want: given},
		{name: "another warehouse has none", tenant: 1, wh: 3, field: "sender"},
		{name: "another merchant has none", tenant: 9, wh: 2, field: "sender"},
		{name: "a half given sender is not topped up", tenant: 1, wh: 2, given: yuncang.Sender{Name: "x"}, field: "sender.phone"},
		{name: "a bad phone", tenant: 1, wh: 2, given: yuncang.Sender{Name: "x", Phone: "12", Address: given.Address}, field: "sender.phone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ss.ForShipment(ctx, tc.tenant, tc.wh, tc.given)
			if tc.field != "" {
				if yuncang.ErrorField(err) != tc.field {
					t.Fatalf("err = %v, want field %s", err, tc.field)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestSetSenderRefusesBadInput(t *testing.T) {
	m := senderMap{}
	ss := &Senders{Store: m}
	for _, s := range []yuncang.Sender{
		{},
		{Name: "x", Phone: "0579-85123456"},
		{Name: "x", Phone: "0579-85123456", Address: "somewhere"},
	} {
		if err := ss.Set(context.Background(), &yuncang.SenderAddress{TenantID: 1, WarehouseID: 2, Sender: s}); yuncang.ErrorCode(err) != yuncang.EINVALID {
			t.Errorf("%+v: err = %v", s, err)
		}
	}
	if len(m) != 0 {
		t.Fatal("a refused sender was stored")
	}
}
