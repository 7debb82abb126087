package fulfil

import (
	"context"
	"testing"

	"github.com/yuncang/yuncang"
)

func TestFirstTruck(t *testing.T) {
	ps := []*yuncang.Parcel{{Carrier: "ZTO"}, {Carrier: "SF"}, {Carrier: "JD"}, {Carrier: "NONE"}}
	for _, tc := range []struct {
		cut  map[string]string
		want string
	}{
		{map[string]string{"ZTO": "18:00", "SF": "16:30", "JD": "17:00"}, "SF"},
		{map[string]string{"ZTO": "16:30", "SF": "16:30"}, "SF"}, // a tie goes by code
		{map[string]string{}, "JD"},                              // no cut-offs at all: by code
		{map[string]string{"NONE": "", "ZTO": "23:59"}, "ZTO"},   // no cut-off goes last
	} {
		if got := firstTruck(ps, tc.cut); got != tc.want {
			t.Errorf("cut-offs %v: %s, want %s", tc.cut, got, tc.want)
		}
	}
}

func stock(code, kind, zone, sku, expiry string, free int, tracked bool) *yuncang.PickableStock {
	return &yuncang.PickableStock{Location: yuncang.Location{Code: code, Kind: kind, Zone: zone}, SKUCode: sku, Expiry: expiry, Free: free, LotTracked: tracked}
}

func codes(list []*yuncang.PickableStock) []string {
	var out []string
	for _, s := range list {
		out = append(out, s.Location.Code)
	}
	return out
}

func TestPickOrder(t *testing.T) {
	st := []*yuncang.PickableStock{
		stock("RECV", yuncang.LocationReceiving, "", "TEA", "", 50, false),
		stock("UNLOC", yuncang.LocationUnlocated, "", "TEA", "", 50, false),
		stock("A-01", yuncang.LocationStorage, "A", "TEA", "", 5, false),
		stock("B-01", yuncang.LocationStorage, "B", "TEA", "", 9, false),
		stock("A-02", yuncang.LocationStorage, "A", "MILK", "2026-05-01", 1, true),
		stock("A-03", yuncang.LocationStorage, "A", "MILK", "2026-04-01", 9, true),
		stock("RECV", yuncang.LocationReceiving, "", "MILK", "2026-03-01", 9, true),
		stock("A-04", yuncang.LocationStorage, "A", "MILK", "", 9, true),
	}
	by := pickOrder(st, "")
	// Bins (fullest first) before the bucket before the dock.
	if got := codes(by["TEA"]); len(got) != 4 || got[0] != "B-01" || got[1] != "A-01" || got[2] != "UNLOC" || got[3] != "RECV" {
		t.Errorf("TEA order %v", got)
	}
	// Lot-tracked: earliest expiry first wherever it lies, no expiry last.
	if got := codes(by["MILK"]); len(got) != 4 || got[0] != "RECV" || got[1] != "A-03" || got[2] != "A-02" || got[3] != "A-04" {
		t.Errorf("MILK order %v", got)
	}
	// A zone's wave takes only that zone's bins.
	if got := codes(pickOrder(st, "A")["TEA"]); len(got) != 1 || got[0] != "A-01" {
		t.Errorf("zone A TEA %v", got)
	}
}

func TestAssignPicksTakesWholeParcelsOnly(t *testing.T) {
	p1 := &yuncang.Parcel{ID: 1, Lines: []yuncang.OrderLine{{SKUCode: "TEA", Quantity: 4}}}
	p2 := &yuncang.Parcel{ID: 2, Lines: []yuncang.OrderLine{{SKUCode: "TEA", Quantity: 3}, {SKUCode: "MILK", Quantity: 1}}} // no milk in reach
	p3 := &yuncang.Parcel{ID: 3, Lines: []yuncang.OrderLine{{SKUCode: "TEA", Quantity: 2}}}
	p4 := &yuncang.Parcel{ID: 4, Lines: []yuncang.OrderLine{{SKUCode: "TEA", Quantity: 1}}}
	by := map[string][]*yuncang.PickableStock{"TEA": {stock("A-01", yuncang.LocationStorage, "A", "TEA", "", 3, false), stock("A-02", yuncang.LocationStorage, "A", "TEA", "", 4, false)}}
	waved, assigns := assignPicks([]*yuncang.Parcel{p1, p2, p3, p4}, by, 2)
	if len(waved) != 2 || waved[0].ID != 1 || waved[1].ID != 3 {
		t.Fatalf("waved %v", waved)
	}
	total := map[int64]int{}
	for _, a := range assigns {
		total[a.parcel.ID] += a.qty
	}
	if total[1] != 4 || total[3] != 2 || total[2] != 0 {
		t.Errorf("assigned %v", total)
	}
	// p2 gave back the tea it had taken: 1 unit is left for later.
	if by["TEA"][0].Free+by["TEA"][1].Free != 1 {
		t.Errorf("free left %d, %d", by["TEA"][0].Free, by["TEA"][1].Free)
	}
}

func TestCreateWaveRefusesBadSize(t *testing.T) {
	ws := &Waves{}
	for _, n := range []int{-1, 1001} {
		if _, err := ws.Create(context.Background(), 1, 1, yuncang.WaveInput{MaxParcels: n}); yuncang.ErrorField(err) != "max_parcels" {
			t.Errorf("max_parcels %d: %v", n, err)
		}
	}
}
