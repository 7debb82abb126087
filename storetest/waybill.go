package storetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/fulfil"
	"github.com/yuncang/yuncang/printing"
)

// testWaybills runs the e-waybill storage tests.
func testWaybills(t *testing.T, h Harness) {
	t.Run("Allocation", func(t *testing.T) { testWaybillAllocation(t, h) })
	t.Run("Shipments", func(t *testing.T) { testShipments(t, h) })
}

func newCarrier(t *testing.T, w *world, code, scheme string) *yuncang.Carrier {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	must(t, err)
	c := &yuncang.Carrier{Code: code, Name: "中通快递", CheckDigit: scheme, PublicKey: id.Recipient().String()}
	must(t, w.db.CreateCarrier(context.Background(), c, []byte("webhook-secret-0123456789")))
	return c
}

// testWaybillAllocation: many goroutines take numbers at once; every
// number is handed out once, the serials have no gaps, check digits are
// right, and a rolled-back transaction gives its number back.
func testWaybillAllocation(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "waybills")
	c := newCarrier(t, w, "ZTO", yuncang.CheckMod7)
	must(t, w.db.AddWaybillSegment(ctx, &yuncang.WaybillSegment{CarrierID: c.ID, Prefix: "7390", Width: 8, First: 100, Last: 599}))
	wantCode(t, w.db.AddWaybillSegment(ctx, &yuncang.WaybillSegment{CarrierID: c.ID, Prefix: "7390", Width: 8, First: 599, Last: 700}), yuncang.ECONFLICT)

	const workers, each = 16, 10
	var mu sync.Mutex
	var got []string
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				n := 1 + (g+i)%3 // batches of 1 to 3
				nums, err := w.db.AllocateWaybills(ctx, c.ID, n)
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				got = append(got, nums...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	serials := make([]int, 0, len(got))
	seen := map[string]bool{}
	for _, n := range got {
		if seen[n] {
			t.Fatalf("number %s handed out twice", n)
		}
		seen[n] = true
		if !yuncang.ValidWaybill(n, "7390", yuncang.CheckMod7) || len(n) != 4+8+1 {
			t.Fatalf("number %s has a wrong form or check digit", n)
		}
		s, _ := strconv.Atoi(n[4 : 4+8])
		serials = append(serials, s)
	}
	slices.Sort(serials)
	for i, s := range serials {
		if s != 100+i {
			t.Fatalf("gap: serial %d at position %d (%d numbers)", s, i, len(serials))
		}
	}
	// The range ends: a request larger than what is left fails whole, and
	// takes nothing (no gap); a new range continues.
	left := 500 - len(got)
	_, err := w.db.AllocateWaybills(ctx, c.ID, left+1)
	wantCode(t, err, yuncang.ECONFLICT)
	nums, err := w.db.AllocateWaybills(ctx, c.ID, left)
	must(t, err)
	if len(nums) != left || nums[0] != yuncang.WaybillNumber("7390", 8, int64(100+len(got)), yuncang.CheckMod7) {
		t.Fatalf("after a failed allocation: %v", nums[:1])
	}
	must(t, w.db.AddWaybillSegment(ctx, &yuncang.WaybillSegment{CarrierID: c.ID, Prefix: "7391", Width: 8, First: 1, Last: 10}))
	nums, err = w.db.AllocateWaybills(ctx, c.ID, 1)
	must(t, err)
	if nums[0] != yuncang.WaybillNumber("7391", 8, 1, yuncang.CheckMod7) {
		t.Fatalf("second range starts with %s", nums[0])
	}
	segs, err := w.db.WaybillSegments(ctx, c.ID)
	must(t, err)
	if len(segs) != 2 || segs[0].Next != 600 || segs[1].Next != 2 {
		t.Fatalf("segments: %+v %+v", segs[0], segs[1])
	}
}

// testShipments: concurrent shipments get distinct waybills and distinct
// virtual numbers; the binding resolves only for its carrier while valid;
// nothing personal is stored in plaintext.
func testShipments(t *testing.T, h Harness) {
	ctx := context.Background()
	w := newWorld(t, h, "shipments")
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	w.db.SetNow(func() time.Time { return now })
	c := newCarrier(t, w, "ZTO", yuncang.CheckLuhn)
	other := newCarrier(t, w, "SF", yuncang.CheckNone)
	must(t, w.db.AddWaybillSegment(ctx, &yuncang.WaybillSegment{CarrierID: c.ID, Prefix: "", Width: 11, First: 1, Last: 1000}))
	n, err := w.db.AddVirtualNumbers(ctx, []string{"17099990000", "17099990001"})
	if err != nil || n != 2 {
		t.Fatalf("pool: %d %v", n, err)
	}
	var batch []*yuncang.PreparedOrder
	for i := range 12 {
		batch = append(batch, prepared(w.a, fmt.Sprintf("S-%d", i), people[i%len(people)], 1))
	}
	res, _, err := w.db.CreateOrders(ctx, w.a.ID, batch, true, nil)
	must(t, err)
	var orderIDs []int64
	for _, r := range res {
		orderIDs = append(orderIDs, r.Order.ID)
	}
	sender := yuncang.Sender{Name: "王小明", Phone: "0579-85123456", Address: "浙江省金华市义乌市福田街道国际商贸城五区12号"}
	// An order the warehouse never handled gets no shipment.
	_, err = w.db.CreateShipment(ctx, &yuncang.ShipmentInput{TenantID: w.a.ID, ParcelID: 999999, OrderID: orderIDs[0], WarehouseID: w.whYiwu.ID, CarrierCode: "ZTO", Sender: sender})
	wantCode(t, err, yuncang.ENOTFOUND)
	parcels := weighedParcels(t, w, w.a, "ZTO", orderIDs)
	ships := make([]*yuncang.Shipment, len(res))
	var wg sync.WaitGroup
	for i, r := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := w.db.CreateShipment(ctx, &yuncang.ShipmentInput{TenantID: w.a.ID, ParcelID: parcels[i], OrderID: r.Order.ID, WarehouseID: w.whYiwu.ID,
				CarrierCode: "ZTO", Sender: sender})
			if err != nil {
				t.Error(err)
				return
			}
			ships[i] = s
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// Another tenant's order, or one in no tenant: not found.
	_, err = w.db.CreateShipment(ctx, &yuncang.ShipmentInput{TenantID: w.b.ID, ParcelID: parcels[0], WarehouseID: w.whYiwu.ID, CarrierCode: "ZTO", WeightG: 1, Sender: sender})
	wantCode(t, err, yuncang.ENOTFOUND)
	// One live shipment per parcel; another warehouse's parcel is not found there.
	_, err = w.db.CreateShipment(ctx, &yuncang.ShipmentInput{TenantID: w.a.ID, ParcelID: parcels[0], WarehouseID: w.whYiwu.ID, CarrierCode: "ZTO", Sender: sender})
	wantCode(t, err, yuncang.ECONFLICT)
	_, err = w.db.CreateShipment(ctx, &yuncang.ShipmentInput{TenantID: w.a.ID, ParcelID: parcels[1], WarehouseID: w.whSH.ID, CarrierCode: "ZTO", Sender: sender})
	wantCode(t, err, yuncang.ENOTFOUND)

	ev := func() *yuncang.Event {
		return &yuncang.Event{UserID: 5, Username: "op", Role: yuncang.RoleOperator, Kind: yuncang.EventKindLabelPrint, Outcome: yuncang.OutcomeOK}
	}
	var ids []int64
	for _, s := range ships {
		ids = append(ids, s.ID)
		if !s.HasVirtual || !yuncang.ValidWaybill(s.Waybill, "", yuncang.CheckLuhn) {
			t.Fatalf("shipment %+v", s)
		}
	}
	labels, err := (&printing.Service{Store: w.db}).Release(ctx, yuncang.LabelPrint{WarehouseID: w.whYiwu.ID, ShipmentIDs: ids}, ev())
	must(t, err)
	phones := map[string]bool{}
	for _, l := range labels {
		if phones[l.VirtualPhone] || len(l.VirtualPhone) != 11+len("转")+4 || l.Sender != sender {
			t.Fatalf("label data: %q %+v", l.VirtualPhone, l.Sender)
		}
		phones[l.VirtualPhone] = true
	}
	// The same shipments in another warehouse: not found.
	_, err = (&printing.Service{Store: w.db}).Release(ctx, yuncang.LabelPrint{WarehouseID: w.whSH.ID, ShipmentIDs: ids[:1]}, ev())
	wantCode(t, err, yuncang.ENOTFOUND)

	main, ext, _ := cut(labels[0].VirtualPhone, "转")
	rev := func() *yuncang.Event {
		return &yuncang.Event{UserID: 9, Username: "zto", Role: yuncang.RoleCarrier, Kind: yuncang.EventKindVirtualResolve, Outcome: yuncang.OutcomeOK}
	}
	// Not handed over yet: the carrier gets nothing.
	_, err = w.db.ResolveVirtualNumber(ctx, c.ID, main, ext, rev())
	wantCode(t, err, yuncang.ENOTFOUND)
	_, err = w.db.CreateManifest(ctx, labels[0].Shipment.WarehouseID, c.ID, []string{labels[0].Shipment.Waybill}, func(b []byte) ([]byte, error) { return b, nil },
		&yuncang.Event{UserID: 9, Username: "op", Role: yuncang.RoleOperator, Kind: yuncang.EventKindCarrierHandover, Outcome: yuncang.OutcomeOK})
	must(t, err)
	r, err := w.db.ResolveVirtualNumber(ctx, c.ID, main, ext, rev())
	must(t, err)
	want := people[0].phone
	for i, s := range ships {
		if s.ID == labels[0].Shipment.ID {
			want = people[i%len(people)].phone
		}
	}
	if r.Phone != want {
		t.Fatalf("resolved to another phone")
	}
	_, err = w.db.ResolveVirtualNumber(ctx, other.ID, main, ext, rev())
	wantCode(t, err, yuncang.ENOTFOUND)

	// Delivery starts the clock; after it the binding is refused and erased.
	// (The carrier picks up only what a manifest handed over: see above.)
	id := labels[0].Shipment.ID
	_, _, err = w.db.ApplyTrackingEvent(ctx, c.ID, &yuncang.TrackingEvent{EventID: "ev-early", Waybill: labels[1].Shipment.Waybill, Status: yuncang.ShipmentPickedUp, At: now})
	wantCode(t, err, yuncang.ECONFLICT)
	for i, st := range []string{yuncang.ShipmentPickedUp, yuncang.ShipmentDelivered} {
		s, dup, err := w.db.ApplyTrackingEvent(ctx, c.ID, &yuncang.TrackingEvent{EventID: fmt.Sprint("ev", i), Waybill: labels[0].Shipment.Waybill, Status: st, At: now})
		must(t, err)
		if dup || s.Status != st || s.ID != id {
			t.Fatalf("tracking: %+v %v", s, dup)
		}
	}
	now = now.Add(16 * 24 * time.Hour)
	_, err = w.db.ResolveVirtualNumber(ctx, c.ID, main, ext, rev())
	wantCode(t, err, yuncang.ENOTFOUND)
	if n, err := w.db.ReleaseExpiredBindings(ctx); err != nil || n != 1 {
		t.Fatalf("release: %d %v", n, err)
	}
	// Voided: never printed again.
	_, err = w.db.VoidShipment(ctx, w.whYiwu.ID, ids[1], "repacked", nil)
	must(t, err)
	_, err = (&printing.Service{Store: w.db}).Release(ctx, yuncang.LabelPrint{WarehouseID: w.whYiwu.ID, ShipmentIDs: ids[1:2], Reason: yuncang.ReprintDamaged}, ev())
	wantCode(t, err, yuncang.ECONFLICT)

	raw := h.Raw(t, "shipments")
	if !bytes.Contains(raw, []byte(labels[0].Shipment.Waybill)) {
		t.Fatal("raw dump lacks a waybill number; the harness reads nothing")
	}
	for _, s := range []string{people[0].phone, people[0].name, people[1].phone, people[0].street, sender.Name, sender.Phone, "国际商贸城"} {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("raw storage holds plaintext (%d bytes of a personal field)", len(s))
		}
	}
	verifyLog(t, w.db)
}

func cut(s, sep string) (string, string, bool) {
	i := bytes.Index([]byte(s), []byte(sep))
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

// weighedParcels takes orders of a tenant through the warehouse flow in
// Yiwu — paid, allocated, waved, picked, packed, weighed — and returns
// their parcels in order: shipments exist only for such parcels.
func weighedParcels(t *testing.T, w *world, tn *yuncang.Tenant, carrier string, orderIDs []int64) []int64 {
	t.Helper()
	ctx := context.Background()
	must(t, allocate.New(w.db).SetConfig(ctx, tn.ID, []byte(`{"carriers":[{"code":"`+carrier+`","name":"c","max_weight_g":30000,"max_volume_cm3":150000,"cutoff":"18:00",
		"rates":[{"from":"*","to":"*","first_fen":800,"additional_fen":200,"days":2}]}]}`)))
	for _, sku := range []string{"SKU-1", "SKU-2"} {
		must(t, w.db.SetStock(ctx, tn.ID, w.whYiwu.Code, sku, 1000, nil))
	}
	for _, id := range orderIDs {
		_, err := w.db.TransitionOrder(ctx, tn.ID, id, yuncang.OrderPaid, "payment_confirmed")
		must(t, err)
	}
	states, err := allocate.New(w.db).Allocate(ctx, tn.ID, orderIDs)
	must(t, err)
	for {
		wv, err := (&fulfil.Waves{Store: w.db, Cutoffs: allocate.New(w.db)}).Create(ctx, tn.ID, w.whYiwu.ID, yuncang.WaveInput{})
		if yuncang.ErrorCode(err) == yuncang.ECONFLICT { // nothing left waiting
			break
		}
		must(t, err)
		for _, pl := range wv.Picks {
			_, err := w.db.ConfirmPick(ctx, tn.ID, w.whYiwu.ID, wv.ID, yuncang.PickConfirm{Location: pl.Location, SKUCode: pl.SKUCode, Lot: pl.Lot, Qty: pl.Qty})
			must(t, err)
		}
	}
	weight := map[string]int{"SKU-1": 100, "SKU-2": 200, "SKU-3": 300}
	byOrder := map[int64]int64{}
	for _, st := range states {
		if len(st.Parcels) != 1 {
			t.Fatalf("order %d planned into %d parcels", st.OrderID, len(st.Parcels))
		}
		p := st.Parcels[0]
		var scans []string
		net := 0
		for _, l := range p.Lines {
			n, _ := strconv.Atoi(strings.TrimPrefix(l.SKUCode, "SKU-"))
			for range l.Quantity {
				scans = append(scans, fmt.Sprintf("69012345%05d", n))
			}
			net += weight[l.SKUCode] * l.Quantity
		}
		_, err := w.db.PackParcel(ctx, tn.ID, w.whYiwu.ID, p.ID, scans)
		must(t, err)
		_, err = w.db.WeighParcel(ctx, tn.ID, w.whYiwu.ID, p.ID, net+300, 300)
		must(t, err)
		byOrder[st.OrderID] = p.ID
	}
	out := make([]int64, len(orderIDs))
	for i, id := range orderIDs {
		out[i] = byOrder[id]
	}
	return out
}
