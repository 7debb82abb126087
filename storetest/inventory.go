package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/fulfil"
	"github.com/yuncang/yuncang/sqlstore"
)

func testInventory(t *testing.T, h Harness) {
	t.Run("Flow", func(t *testing.T) { testInventoryFlow(t, h) })
	t.Run("Oversell", func(t *testing.T) { testOversell(t, h) })
	t.Run("CountsAndCancel", func(t *testing.T) { testCountsAndCancel(t, h) })
}

// books fails the test if the ledger and the balances disagree anywhere.
func books(t *testing.T, w *world, tenants ...*yuncang.Tenant) {
	t.Helper()
	for _, tn := range tenants {
		diffs, err := w.db.CheckBooks(context.Background(), tn.ID)
		must(t, err)
		if len(diffs) > 0 {
			t.Fatalf("books of %s do not balance:\n%s", tn.Code, strings.Join(diffs, "\n"))
		}
	}
}

// order stores and pays an order for the tenant to a province.
func payOrder(t *testing.T, w *world, tn *yuncang.Tenant, moid string, prov, city string, lines ...yuncang.OrderLine) int64 {
	t.Helper()
	ctx := context.Background()
	p := prepared(tn, moid, people[0], 1)
	p.Lines = lines
	p.Destination = yuncang.Region{Province: "省" + prov, ProvinceCode: prov, City: "市", CityCode: city}
	res, ok, err := w.db.CreateOrders(ctx, tn.ID, []*yuncang.PreparedOrder{p}, true, nil)
	must(t, err)
	if !ok || res[0].Outcome != yuncang.IntakeCreated {
		t.Fatalf("create order: %+v", res[0])
	}
	id := res[0].Order.ID
	if _, err := w.db.TransitionOrder(ctx, tn.ID, id, yuncang.OrderPaid, "payment_confirmed"); err != nil {
		t.Fatal(err)
	}
	return id
}

func line(sku string, q int) yuncang.OrderLine { return yuncang.OrderLine{SKUCode: sku, Quantity: q} }

func testInventoryFlow(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "inventory-flow")
	a := w.a
	// Locations: two zones, two aisles each, laid out for an S-shaped walk.
	var locs []*yuncang.Location
	for _, z := range []string{"A", "B"} {
		for _, aisle := range []string{"01", "02"} {
			for _, bin := range []string{"1", "2", "10"} {
				locs = append(locs, &yuncang.Location{Zone: z, Aisle: aisle, Bin: bin})
			}
		}
	}
	must(t, w.db.CreateLocations(ctx, w.whYiwu.ID, locs))
	wantCode(t, w.db.CreateLocations(ctx, w.whYiwu.ID, []*yuncang.Location{{Zone: "A", Aisle: "01", Bin: "1"}}), yuncang.ECONFLICT)
	wantCode(t, w.db.CreateLocations(ctx, w.whYiwu.ID, []*yuncang.Location{{Zone: "A B", Aisle: "01", Bin: "1"}}), yuncang.EINVALID)
	all, err := w.db.Locations(ctx, w.whYiwu.ID)
	must(t, err)
	var walk []string
	for _, l := range all {
		walk = append(walk, l.Code)
	}
	if got := strings.Join(walk[:6], " "); got != "A-01-1 A-01-2 A-01-10 A-02-10 A-02-2 A-02-1" {
		t.Fatalf("walking order: %s", got)
	}
	must(t, w.db.SetLotTracking(ctx, a.ID, "SKU-3", true))

	// Inbound: an ASN, received short on one line, over on another, with damage.
	asn := &yuncang.ASN{TenantID: a.ID, WarehouseID: w.whYiwu.ID, Ref: "ASN-001", Lines: []yuncang.ASNLine{
		{SKUCode: "SKU-1", Expected: 10}, {SKUCode: "SKU-2", Expected: 5}, {SKUCode: "SKU-3", Expected: 6}}}
	must(t, w.db.CreateASN(ctx, asn))
	wantCode(t, w.db.CreateASN(ctx, &yuncang.ASN{TenantID: a.ID, WarehouseID: w.whYiwu.ID, Ref: "ASN-001", Lines: asn.Lines}), yuncang.ECONFLICT)
	_, err = w.db.Receive(ctx, a.ID, asn.ID, []yuncang.ReceiptLine{{SKUCode: "SKU-3", Qty: 3}})
	wantCode(t, err, yuncang.EINVALID) // lot-tracked without a lot
	_, err = w.db.Receive(ctx, w.b.ID, asn.ID, []yuncang.ReceiptLine{{SKUCode: "SKU-1", Qty: 3}})
	wantCode(t, err, yuncang.ENOTFOUND) // another tenant's ASN
	got, err := w.db.Receive(ctx, a.ID, asn.ID, []yuncang.ReceiptLine{
		{SKUCode: "SKU-1", Qty: 8, Damaged: 1},
		{SKUCode: "SKU-2", Qty: 7},
		{SKUCode: "SKU-3", Qty: 2, Lot: "L2", Expiry: "2027-03-01"},
		{SKUCode: "SKU-3", Qty: 3, Lot: "L1", Expiry: "2027-01-15"},
	})
	must(t, err)
	books(t, w, a)
	if l := got.Lines[0]; l.Received != 8 || l.Damaged != 1 || l.Short() != 2 {
		t.Fatalf("SKU-1 line: %+v", l)
	}
	if l := got.Lines[1]; l.Over() != 2 {
		t.Fatalf("SKU-2 line: %+v", l)
	}
	closed, err := w.db.CloseASN(ctx, a.ID, asn.ID)
	must(t, err)
	if closed.Status != yuncang.ASNClosed {
		t.Fatal(closed.Status)
	}
	_, err = w.db.Receive(ctx, a.ID, asn.ID, []yuncang.ReceiptLine{{SKUCode: "SKU-1", Qty: 1}})
	wantCode(t, err, yuncang.ECONFLICT)

	// Putaway from the dock.
	for _, m := range []yuncang.Transfer{
		{SKUCode: "SKU-1", To: "A-02-10", Qty: 8},
		{SKUCode: "SKU-2", To: "A-01-2", Qty: 7},
		{SKUCode: "SKU-3", Lot: "L2", To: "B-01-1", Qty: 2},
		{SKUCode: "SKU-3", Lot: "L1", To: "B-02-1", Qty: 3},
	} {
		must(t, w.db.Move(ctx, a.ID, w.whYiwu.ID, m))
		books(t, w, a)
	}
	wantCode(t, w.db.Move(ctx, a.ID, w.whYiwu.ID, yuncang.Transfer{SKUCode: "SKU-1", To: "A-01-1", Qty: 1}), yuncang.EINVALID) // dock is empty
	wantCode(t, w.db.Move(ctx, a.ID, w.whYiwu.ID, yuncang.Transfer{SKUCode: "SKU-1", From: "A-02-10", To: "PACK", Qty: 1}), yuncang.EINVALID)
	// The other warehouse gets stock the old way; the ledger books it.
	must(t, w.db.SetStock(ctx, a.ID, "SH1", "SKU-1", 5, nil))
	must(t, w.db.SetStock(ctx, a.ID, "SH1", "SKU-1", 4, nil))
	books(t, w, a)
	moves, err := w.db.Ledger(ctx, yuncang.LedgerFilter{TenantID: a.ID, WarehouseID: w.whSH.ID})
	must(t, err)
	if len(moves) != 2 || moves[0].Kind != yuncang.MoveAdjust || moves[0].DOnHand != -1 || moves[1].DOnHand != 5 {
		t.Fatalf("SetStock ledger: %+v", moves)
	}
	if _, err := w.db.Ledger(ctx, yuncang.LedgerFilter{TenantID: w.b.ID}); err != nil {
		t.Fatal(err)
	}

	// Orders: one fits Yiwu alone, one needs both warehouses (split).
	o1 := payOrder(t, w, a, "F-1", "33", "3301", line("SKU-1", 2), line("SKU-3", 4))
	o2 := payOrder(t, w, a, "F-2", "31", "3101", line("SKU-1", 9), line("SKU-2", 1))
	unpaid := func() int64 {
		p := prepared(a, "F-UNPAID", people[1], 1)
		res, _, err := w.db.CreateOrders(ctx, a.ID, []*yuncang.PreparedOrder{p}, true, nil)
		must(t, err)
		return res[0].Order.ID
	}()
	_, err = allocate.New(w.db).Allocate(ctx, a.ID, []int64{unpaid})
	wantCode(t, err, yuncang.ECONFLICT) // unpaid orders are never allocated
	states, err := allocate.New(w.db).Allocate(ctx, a.ID, []int64{o1, o2})
	must(t, err)
	books(t, w, a)
	s1, s2 := states[0], states[1]
	if s1.Status != yuncang.OrderAllocated || len(s1.Parcels) != 1 || s1.Plan == nil || s1.Plan.Explanation == "" {
		t.Fatalf("order 1: %+v", s1)
	}
	if s2.Status != yuncang.OrderAllocated || len(s2.Parcels) < 2 {
		t.Fatalf("order 2 should split across warehouses: %+v %+v", s2, s2.Plan)
	}
	whs := map[string]bool{}
	for _, p := range s2.Parcels {
		whs[p.Warehouse] = true
		if p.Explanation == "" || p.Carrier == "" || p.CostFen <= 0 {
			t.Fatalf("parcel without explanation or carrier: %+v", p)
		}
	}
	if !whs["YW1"] || !whs["SH1"] {
		t.Fatalf("order 2 parcels: %+v", s2.Parcels)
	}
	if again, err := allocate.New(w.db).Allocate(ctx, a.ID, nil); err != nil || len(again) != 0 {
		t.Fatalf("second allocation of nothing: %v %v", again, err)
	}
	// A wave for the Yiwu parcels of the earliest carrier, and another for the rest.
	var waves []*yuncang.Wave
	for {
		wv, err := (&fulfil.Waves{Store: w.db, Cutoffs: allocate.New(w.db)}).Create(ctx, a.ID, w.whYiwu.ID, yuncang.WaveInput{})
		if yuncang.ErrorCode(err) == yuncang.ECONFLICT { // nothing left waiting
			break
		}
		must(t, err)
		books(t, w, a)
		waves = append(waves, wv)
	}
	if len(waves) == 0 {
		t.Fatal("no wave")
	}
	for _, wv := range waves {
		// The pick list follows the walking order of the locations.
		pos := map[string]int{}
		for i, code := range walk {
			pos[code] = i
		}
		for i := 1; i < len(wv.Picks); i++ {
			if pos[wv.Picks[i-1].Location] > pos[wv.Picks[i].Location] {
				t.Fatalf("pick list not in walking order: %+v", wv.Picks)
			}
		}
		// Lot-tracked SKU-3 comes from the earliest expiry first: all 3 of L1, then 1 of L2.
		for _, pl := range wv.Picks {
			if pl.SKUCode == "SKU-3" && pl.Lot == "L2" && pl.Qty != 1 {
				t.Fatalf("FEFO: %+v", wv.Picks)
			}
		}
		// A short pick is refused; full picks go through.
		_, err := w.db.ConfirmPick(ctx, a.ID, w.whYiwu.ID, wv.ID, yuncang.PickConfirm{Location: wv.Picks[0].Location, SKUCode: wv.Picks[0].SKUCode, Lot: wv.Picks[0].Lot, Qty: wv.Picks[0].Qty + 1})
		wantCode(t, err, yuncang.EINVALID)
		_, err = w.db.ConfirmPick(ctx, a.ID, w.whSH.ID, wv.ID, yuncang.PickConfirm{Location: wv.Picks[0].Location, SKUCode: wv.Picks[0].SKUCode, Qty: wv.Picks[0].Qty})
		wantCode(t, err, yuncang.ENOTFOUND) // the wave is in another warehouse
		for _, pl := range wv.Picks {
			_, err := w.db.ConfirmPick(ctx, a.ID, w.whYiwu.ID, wv.ID, yuncang.PickConfirm{Location: pl.Location, SKUCode: pl.SKUCode, Lot: pl.Lot, Qty: pl.Qty})
			must(t, err)
			books(t, w, a)
		}
		after, err := w.db.Wave(ctx, a.ID, w.whYiwu.ID, wv.ID)
		must(t, err)
		if after.Status != yuncang.WavePicked {
			t.Fatalf("wave status %s", after.Status)
		}
	}
	// The Shanghai parcel: stock set with SetStock lies in the unlocated bucket and is picked from there.
	wsh, err := (&fulfil.Waves{Store: w.db, Cutoffs: allocate.New(w.db)}).Create(ctx, a.ID, w.whSH.ID, yuncang.WaveInput{})
	must(t, err)
	for _, pl := range wsh.Picks {
		if pl.Location != yuncang.LocUnlocated {
			t.Fatalf("Shanghai picks from %s", pl.Location)
		}
		_, err := w.db.ConfirmPick(ctx, a.ID, w.whSH.ID, wsh.ID, yuncang.PickConfirm{Location: pl.Location, SKUCode: pl.SKUCode, Qty: pl.Qty})
		must(t, err)
	}
	books(t, w, a)

	// Pack, weigh, ship, deliver every parcel.
	barcode := map[string]string{"SKU-1": "6901234500001", "SKU-2": "6901234500002", "SKU-3": "6901234500003"}
	weight := map[string]int{"SKU-1": 100, "SKU-2": 200, "SKU-3": 300}
	for _, oid := range []int64{o1, o2} {
		st, err := w.db.OrderState(ctx, a.ID, oid)
		must(t, err)
		if st.Status != yuncang.OrderPicking {
			t.Fatalf("order %d is %s after picking", oid, st.Status)
		}
		for _, p := range st.Parcels {
			_, err := w.db.ShipParcel(ctx, a.ID, p.ID, yuncang.ShipInput{WaybillNo: "YT0001"})
			wantCode(t, err, yuncang.ECONFLICT) // not packed
			var scans []string
			for _, l := range p.Lines {
				for i := 0; i < l.Quantity; i++ {
					scans = append(scans, barcode[l.SKUCode])
				}
			}
			_, err = w.db.PackParcel(ctx, a.ID, p.WarehouseID, p.ID, append(append([]string{}, scans...), "6999999999999"))
			wantCode(t, err, yuncang.EINVALID) // wrong item
			_, err = w.db.PackParcel(ctx, a.ID, p.WarehouseID, p.ID, scans[1:])
			wantCode(t, err, yuncang.EINVALID) // one missing
			_, err = w.db.PackParcel(ctx, a.ID, p.WarehouseID, p.ID, append(append([]string{}, scans...), scans[0]))
			wantCode(t, err, yuncang.EINVALID) // one too many
			_, err = w.db.PackParcel(ctx, a.ID, otherWarehouse(w, p.WarehouseID), p.ID, scans)
			wantCode(t, err, yuncang.ENOTFOUND)
			_, err = w.db.PackParcel(ctx, a.ID, p.WarehouseID, p.ID, scans)
			must(t, err)
			net := 0
			for _, l := range p.Lines {
				net += weight[l.SKUCode] * l.Quantity
			}
			_, err = w.db.WeighParcel(ctx, a.ID, p.WarehouseID, p.ID, net+400+300, 300)
			wantCode(t, err, yuncang.EINVALID) // 400 g too heavy
			_, err = w.db.WeighParcel(ctx, a.ID, p.WarehouseID, p.ID, net+320, 300)
			must(t, err)
			books(t, w, a)
			sp, err := w.db.ShippableParcel(ctx, a.ID, p.ID)
			must(t, err)
			if sp.Carrier == "" || sp.WeighedG != net+20 || sp.ProvinceCode == "" {
				t.Fatalf("shippable parcel: %+v", sp)
			}
			_, err = w.db.ShipParcel(ctx, a.ID, p.ID, yuncang.ShipInput{WaybillNo: fmt.Sprintf("YT%08d", p.ID)})
			must(t, err)
			_, err = w.db.ShipParcel(ctx, a.ID, p.ID, yuncang.ShipInput{WaybillNo: fmt.Sprintf("YT%08d", p.ID)})
			must(t, err) // a repeat is a no-op
			books(t, w, a)
		}
		_, err = w.db.TransitionOrder(ctx, a.ID, oid, yuncang.OrderCancelled, "customer_request")
		wantCode(t, err, yuncang.ECONFLICT) // shipped orders are not cancelled
		st, err = w.db.OrderState(ctx, a.ID, oid)
		must(t, err)
		if st.Status != yuncang.OrderShipped {
			t.Fatalf("order %d is %s after shipping", oid, st.Status)
		}
		late := time.Time{}
		for i, p := range st.Parcels {
			at := p.ShippedAt.Add(24 * time.Hour)
			if i == 1 {
				late = p.DueAt.Add(time.Hour)
				at = late
			}
			_, err := w.db.DeliverParcel(ctx, a.ID, p.ID, at)
			must(t, err)
		}
		st, err = w.db.OrderState(ctx, a.ID, oid)
		must(t, err)
		if st.Status != yuncang.OrderDelivered {
			t.Fatalf("order %d is %s after delivery", oid, st.Status)
		}
		// Every transition is recorded.
		var seen []string
		for _, c := range st.History {
			if c.ParcelID == 0 {
				seen = append(seen, c.To)
			}
		}
		if strings.Join(seen, ",") != "paid,allocated,picking,packed,shipped,delivered" {
			t.Fatalf("order history: %v", seen)
		}
	}
	books(t, w, a, w.b)
	stock, err := w.db.Stock(ctx, a.ID)
	must(t, err)
	for _, s := range stock {
		if s.Reserved != 0 {
			t.Fatalf("reservations left after shipping: %+v", s)
		}
	}

	// The merchant's reveal ceiling follows orders shipped, not orders
	// received: a batch of imported orders does not move it.
	week := w.db.Now().AddDate(0, 0, -7)
	shipped, err := w.db.TenantDailyShippedMax(ctx, a.ID, week)
	must(t, err)
	if shipped != 2 {
		t.Fatalf("busiest shipping day: %d orders, want 2", shipped)
	}
	var batch []*yuncang.PreparedOrder
	for i := range 30 {
		batch = append(batch, prepared(a, fmt.Sprintf("BULK-%03d", i), people[0], 1))
	}
	_, _, err = w.db.CreateOrders(ctx, a.ID, batch, true, nil)
	must(t, err)
	if n, err := w.db.TenantDailyShippedMax(ctx, a.ID, week); err != nil || n != 2 {
		t.Fatalf("after importing 30 orders the busiest shipping day is %d (%v), want 2", n, err)
	}
	if n, err := w.db.TenantDailyShippedMax(ctx, w.b.ID, week); err != nil || n != 0 {
		t.Fatalf("tenant b shipped nothing, got %d (%v)", n, err)
	}

	// Analytics: two orders, one split, costs, on-time.
	rows, err := w.db.LogisticsStats(ctx, yuncang.StatsFilter{TenantID: a.ID, From: time.Now().Add(-300 * 24 * time.Hour), To: time.Now().Add(24 * time.Hour), GroupBy: yuncang.DimMerchant})
	must(t, err)
	parcels, orders, split, delivered, onTime := 0, 0, 0, 0, 0
	for _, r := range rows {
		if r.Key != a.Code {
			t.Fatalf("analytics row of another merchant: %+v", r)
		}
		parcels, orders, split, delivered, onTime = parcels+r.Parcels, orders+r.Orders, split+r.SplitOrders, delivered+r.Delivered, onTime+r.OnTime
	}
	if parcels != len(s1.Parcels)+len(s2.Parcels) || orders != 2 || split != 1 || delivered != parcels || onTime != parcels-1 {
		t.Fatalf("analytics: parcels %d orders %d split %d delivered %d on time %d", parcels, orders, split, delivered, onTime)
	}
	rows, err = w.db.LogisticsStats(ctx, yuncang.StatsFilter{TenantID: w.b.ID, From: time.Now().Add(-300 * 24 * time.Hour), To: time.Now().Add(24 * time.Hour)})
	must(t, err)
	if len(rows) != 0 {
		t.Fatalf("tenant b sees tenant a's logistics: %+v", rows)
	}
	if _, err := w.db.LogisticsStats(ctx, yuncang.StatsFilter{GroupBy: "recipient"}); yuncang.ErrorCode(err) != yuncang.EINVALID {
		t.Fatalf("group by recipient: %v", err)
	}
	// The ledger is append-only, in the database itself.
	if _, err := sqlstore.BaselineOf(w.db).Exec(ctx, `UPDATE stock_moves SET d_on_hand = 0`); err == nil {
		t.Fatal("the stock ledger accepted an UPDATE")
	}
	if _, err := sqlstore.BaselineOf(w.db).Exec(ctx, `DELETE FROM stock_moves`); err == nil {
		t.Fatal("the stock ledger accepted a DELETE")
	}
}

func otherWarehouse(w *world, id int64) int64 {
	if id == w.whYiwu.ID {
		return w.whSH.ID
	}
	return w.whYiwu.ID
}

// testOversell fires many concurrent orders at the last units: exactly as
// many are allocated as there are units, the rest wait, and the books
// balance.
func testOversell(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "oversell")
	a := w.a
	const units, buyers = 7, 40
	must(t, w.db.SetStock(ctx, a.ID, "YW1", "SKU-1", units, nil))
	must(t, w.db.SetStock(ctx, a.ID, "SH1", "SKU-1", 0, nil))
	ids := make([]int64, buyers)
	for i := range ids {
		ids[i] = payOrder(t, w, a, fmt.Sprintf("RUSH-%d", i), "33", "3307", line("SKU-1", 1))
	}
	var wg sync.WaitGroup
	errs := make(chan error, buyers)
	start := make(chan struct{})
	for _, id := range ids {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			<-start
			_, err := allocate.New(w.db).Allocate(ctx, a.ID, []int64{id})
			errs <- err
		}(id)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	allocated, waiting := 0, 0
	for _, id := range ids {
		st, err := w.db.OrderState(ctx, a.ID, id)
		must(t, err)
		switch st.Status {
		case yuncang.OrderAllocated:
			allocated++
		case yuncang.OrderBackorder, yuncang.OrderPaid:
			waiting++
		default:
			t.Fatalf("order %d is %s", id, st.Status)
		}
	}
	stock, err := w.db.Stock(ctx, a.ID)
	must(t, err)
	for _, s := range stock {
		if s.WarehouseCode == "YW1" && s.SKUCode == "SKU-1" && (s.Reserved != units || s.OnHand != units) {
			t.Fatalf("stock after the rush: %+v", s)
		}
	}
	if allocated != units || waiting != buyers-units {
		t.Fatalf("allocated %d, waiting %d; want %d and %d", allocated, waiting, units, buyers-units)
	}
	books(t, w, a)
	// Back-ordered orders are allocated when stock arrives.
	must(t, w.db.SetStock(ctx, a.ID, "YW1", "SKU-1", units+3, nil))
	states, err := allocate.New(w.db).Allocate(ctx, a.ID, nil)
	must(t, err)
	n := 0
	for _, s := range states {
		if s.Status == yuncang.OrderAllocated {
			n++
		}
	}
	if n != 3 {
		t.Fatalf("re-allocation after restock: %d allocated, want 3", n)
	}
	books(t, w, a)
}

func testCountsAndCancel(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "counts")
	a := w.a
	must(t, w.db.CreateLocations(ctx, w.whYiwu.ID, []*yuncang.Location{{Zone: "A", Aisle: "1", Bin: "1"}, {Zone: "A", Aisle: "1", Bin: "2"}}))
	asn := &yuncang.ASN{TenantID: a.ID, WarehouseID: w.whYiwu.ID, Ref: "C-1", Lines: []yuncang.ASNLine{{SKUCode: "SKU-1", Expected: 10}, {SKUCode: "SKU-2", Expected: 4}}}
	must(t, w.db.CreateASN(ctx, asn))
	_, err := w.db.Receive(ctx, a.ID, asn.ID, []yuncang.ReceiptLine{{SKUCode: "SKU-1", Qty: 10}, {SKUCode: "SKU-2", Qty: 4}})
	must(t, err)
	must(t, w.db.Move(ctx, a.ID, w.whYiwu.ID, yuncang.Transfer{SKUCode: "SKU-1", To: "A-1-1", Qty: 10}))
	must(t, w.db.Move(ctx, a.ID, w.whYiwu.ID, yuncang.Transfer{SKUCode: "SKU-2", To: "A-1-2", Qty: 4}))
	o := payOrder(t, w, a, "C-O1", "33", "3307", line("SKU-1", 6))
	_, err = allocate.New(w.db).Allocate(ctx, a.ID, []int64{o})
	must(t, err)
	// Counting 3 where 10 are and 6 reserved is refused; 8 is booked (−2).
	c := &yuncang.CycleCount{Locations: []string{"A-1-1"}, Lines: []yuncang.CountLine{{Location: "A-1-1", SKUCode: "SKU-1", Counted: 3}}}
	wantCode(t, w.db.CycleCount(ctx, a.ID, w.whYiwu.ID, c), yuncang.ECONFLICT)
	c = &yuncang.CycleCount{Locations: []string{"A-1-1", "A-1-2"}, Lines: []yuncang.CountLine{{Location: "A-1-1", SKUCode: "SKU-1", Counted: 8}}}
	must(t, w.db.CycleCount(ctx, a.ID, w.whYiwu.ID, c))
	books(t, w, a)
	if len(c.Lines) != 2 || c.Lines[0].Expected != 10 || c.Lines[1].SKUCode != "SKU-2" || c.Lines[1].Counted != 0 || c.Lines[1].Expected != 4 {
		t.Fatalf("count lines: %+v", c.Lines)
	}
	wantCode(t, w.db.CycleCount(ctx, a.ID, w.whYiwu.ID, &yuncang.CycleCount{Locations: []string{"PACK"}}), yuncang.EINVALID)
	// Cancelling an allocated order releases its reservation.
	_, err = w.db.TransitionOrder(ctx, a.ID, o, yuncang.OrderCancelled, "customer request")
	wantCode(t, err, yuncang.EINVALID) // free text is not a reason code
	st, err := w.db.TransitionOrder(ctx, a.ID, o, yuncang.OrderCancelled, "customer_request")
	must(t, err)
	if st.Status != yuncang.OrderCancelled || st.Parcels[0].Status != yuncang.ParcelCancelled {
		t.Fatalf("cancelled: %+v", st)
	}
	books(t, w, a)
	_, err = w.db.TransitionOrder(ctx, a.ID, o, yuncang.OrderPaid, "")
	wantCode(t, err, yuncang.ECONFLICT)
	stock, err := w.db.Stock(ctx, a.ID)
	must(t, err)
	for _, s := range stock {
		if s.Reserved != 0 {
			t.Fatalf("reservation left: %+v", s)
		}
	}
	// Planning configuration: validated with JSON paths, per tenant.
	wantCode(t, allocate.New(w.db).SetConfig(ctx, a.ID, []byte(`{"carriers":[{"code":"X","rates":[{"from":"*","to":"*","first_fen":"x"}]}]}`)), yuncang.EINVALID)
	wantCode(t, allocate.New(w.db).SetConfig(ctx, a.ID, []byte(`{"warehouses":[{"code":"Z","province":"33"}],"carriers":[]}`)), yuncang.EINVALID)
	cfg := `{"carriers":[{"code":"ONLY","rates":[{"from":"*","to":"*","first_fen":1000,"additional_fen":200,"days":2}]}],"penalties":{"extra_parcel_fen":100,"extra_warehouse_fen":200}}`
	must(t, allocate.New(w.db).SetConfig(ctx, a.ID, []byte(cfg)))
	got, err := allocate.New(w.db).Config(ctx, a.ID)
	must(t, err)
	if got.Default || string(got.Body) != cfg {
		t.Fatalf("config: %+v", got)
	}
	if other, _ := allocate.New(w.db).Config(ctx, w.b.ID); !other.Default {
		t.Fatal("tenant b got tenant a's config")
	}
	o2 := payOrder(t, w, a, "C-O2", "11", "1101", line("SKU-1", 1))
	states, err := allocate.New(w.db).Allocate(ctx, a.ID, []int64{o2})
	must(t, err)
	if states[0].Parcels[0].Carrier != "ONLY" {
		t.Fatalf("the tenant's carriers are not used: %+v", states[0].Parcels[0])
	}
	books(t, w, a)
}
