package allocate

import (
	"context"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/plan"
)

// fakeStore is the Store in memory: enough rows to plan with, and a
// transaction that is undone when its function fails. It stands in for
// storage only to test the rules; the storage conformance suite runs the
// same use case against SQLite and PostgreSQL.
type fakeStore struct {
	whs     []*yuncang.Warehouse
	skus    []*yuncang.SKU
	cfg     []byte
	orders  map[int64]*yuncang.AllocationCandidate
	free    map[[2]int64]int // warehouse id, sku id → free units
	parcels map[int64][]*yuncang.PlannedParcel
	plans   map[int64]*yuncang.OrderPlan
	history []string
	// steal, when set, takes units away before the next transaction
	// begins, as a concurrent allocation would.
	steal func(f *fakeStore)
}

func newFake() *fakeStore {
	return &fakeStore{
		whs:     []*yuncang.Warehouse{{ID: 7, Code: "SH1", Name: "上海仓", ProvinceCode: "31", CityCode: "3101"}},
		skus:    []*yuncang.SKU{{ID: 3, Code: "TEA", WeightG: 500, VolumeCM3: 1000, TempClass: "ambient"}},
		orders:  map[int64]*yuncang.AllocationCandidate{},
		free:    map[[2]int64]int{},
		parcels: map[int64][]*yuncang.PlannedParcel{},
		plans:   map[int64]*yuncang.OrderPlan{},
	}
}

func (f *fakeStore) addOrder(id int64, status, province string, qty int) {
	f.orders[id] = &yuncang.AllocationCandidate{ID: id, Status: status, ProvinceCode: province, CityCode: province + "01",
		Lines: []yuncang.OrderLine{{SKUCode: "TEA", Quantity: qty}}}
}

func (f *fakeStore) Warehouses(context.Context) ([]*yuncang.Warehouse, error) { return f.whs, nil }
func (f *fakeStore) SKUs(context.Context, int64) ([]*yuncang.SKU, error)      { return f.skus, nil }
func (f *fakeStore) Now() time.Time                                           { return time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) }
func (f *fakeStore) PlanningConfig(_ context.Context, id int64) (*yuncang.PlanningConfig, error) {
	return &yuncang.PlanningConfig{TenantID: id, Body: f.cfg, Default: f.cfg == nil}, nil
}
func (f *fakeStore) StorePlanningConfig(_ context.Context, _ int64, body []byte) error {
	f.cfg = body
	return nil
}

func (f *fakeStore) AllocationCandidates(_ context.Context, _ int64, ids []int64) ([]*yuncang.AllocationCandidate, error) {
	var out []*yuncang.AllocationCandidate
	for id, o := range f.orders {
		if len(ids) == 0 && (o.Status == yuncang.OrderPaid || o.Status == yuncang.OrderBackorder) {
			out = append(out, o)
		}
		for _, x := range ids {
			if x == id {
				out = append(out, o)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (f *fakeStore) FreeStock(context.Context, int64) ([]yuncang.FreeStock, error) {
	var out []yuncang.FreeStock
	for k, n := range f.free {
		if n > 0 {
			out = append(out, yuncang.FreeStock{WarehouseCode: "SH1", SKUCode: "TEA", Qty: n})
			_ = k
		}
	}
	return out, nil
}

func (f *fakeStore) OrderState(_ context.Context, _ int64, id int64) (*yuncang.OrderState, error) {
	o := f.orders[id]
	return &yuncang.OrderState{OrderID: id, Status: o.Status, Plan: f.plans[id]}, nil
}

func (f *fakeStore) InAllocationTx(_ context.Context, fn func(yuncang.AllocationTx) error) error {
	if f.steal != nil { // after planning, before this transaction
		f.steal(f)
		f.steal = nil
	}
	// Undo on failure: keep copies of what a transaction may change.
	free := map[[2]int64]int{}
	for k, v := range f.free {
		free[k] = v
	}
	status := map[int64]string{}
	for id, o := range f.orders {
		status[id] = o.Status
	}
	nh, parcels, plans := len(f.history), map[int64][]*yuncang.PlannedParcel{}, map[int64]*yuncang.OrderPlan{}
	for k, v := range f.parcels {
		parcels[k] = v
	}
	for k, v := range f.plans {
		plans[k] = v
	}
	if err := fn(fakeTx{f}); err != nil {
		f.free, f.history, f.parcels, f.plans = free, f.history[:nh], parcels, plans
		for id, s := range status {
			f.orders[id].Status = s
		}
		return err
	}
	return nil
}

type fakeTx struct{ f *fakeStore }

func (t fakeTx) OrderStatus(_ context.Context, _, id int64) (string, error) {
	return t.f.orders[id].Status, nil
}
func (t fakeTx) MoveOrder(_ context.Context, _, id int64, from, to string) (bool, error) {
	if t.f.orders[id].Status != from {
		return false, nil
	}
	t.f.orders[id].Status = to
	return true, nil
}
func (t fakeTx) Reserve(_ context.Context, _, wh, sku int64, qty int, _ string) (bool, error) {
	k := [2]int64{wh, sku}
	if t.f.free[k] < qty {
		return false, nil
	}
	t.f.free[k] -= qty
	return true, nil
}
func (t fakeTx) AddParcel(_ context.Context, _, id int64, p *yuncang.PlannedParcel) (int64, error) {
	t.f.parcels[id] = append(t.f.parcels[id], p)
	return int64(100*id + int64(len(t.f.parcels[id]))), nil
}
func (t fakeTx) StorePlan(_ context.Context, _, id int64, p *yuncang.OrderPlan) error {
	t.f.plans[id] = p
	return nil
}
func (t fakeTx) RecordChange(_ context.Context, _, id, pid int64, from, to, note string) error {
	t.f.history = append(t.f.history, from+">"+to+":"+note)
	return nil
}

func TestAllocateReservesWhatThePlanTakes(t *testing.T) {
	f := newFake()
	f.free[[2]int64{7, 3}] = 5
	f.addOrder(1, yuncang.OrderPaid, "31", 2)
	states, err := New(f).Allocate(context.Background(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].Status != yuncang.OrderAllocated {
		t.Fatalf("states = %+v", states)
	}
	if f.free[[2]int64{7, 3}] != 3 {
		t.Errorf("free after = %d, want 3", f.free[[2]int64{7, 3}])
	}
	ps := f.parcels[1]
	if len(ps) != 1 || ps[0].WarehouseID != 7 || ps[0].Carrier == "" || len(ps[0].Lines) != 1 || ps[0].Lines[0] != (yuncang.PlannedLine{SKUID: 3, Qty: 2}) {
		t.Fatalf("parcels = %+v", ps)
	}
	want := []string{">allocated:planned", "paid>allocated:allocated"}
	if len(f.history) != 2 || f.history[0] != want[0] || f.history[1] != want[1] {
		t.Errorf("history = %q, want %q", f.history, want)
	}
}

func TestAllocateBackordersWhatCannotShip(t *testing.T) {
	for _, tc := range []struct {
		name, province string
		free, qty      int
		reason         string
	}{
		{"no stock", "31", 0, 1, plan.ReasonNoStock},
		{"outside the mainland", "71", 5, 1, "no_destination"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			f.free[[2]int64{7, 3}] = tc.free
			f.addOrder(1, yuncang.OrderPaid, tc.province, tc.qty)
			states, err := New(f).Allocate(context.Background(), 1, []int64{1})
			if err != nil {
				t.Fatal(err)
			}
			if states[0].Status != yuncang.OrderBackorder || states[0].Plan == nil || states[0].Plan.Reason != tc.reason {
				t.Fatalf("state = %+v plan = %+v, want backorder for %s", states[0], states[0].Plan, tc.reason)
			}
			if len(f.parcels) != 0 || f.free[[2]int64{7, 3}] != tc.free {
				t.Errorf("a back-ordered order took stock or parcels")
			}
		})
	}
}

// A concurrent allocation takes the units between planning and reserving:
// the order is planned again against what is left, and nothing is half
// done.
func TestAllocateReplansWhenStockIsTaken(t *testing.T) {
	f := newFake()
	f.free[[2]int64{7, 3}] = 2
	f.addOrder(1, yuncang.OrderPaid, "31", 2)
	f.steal = func(f *fakeStore) { f.free[[2]int64{7, 3}] = 1 }
	states, err := New(f).Allocate(context.Background(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 1 || states[0].Status != yuncang.OrderBackorder {
		t.Fatalf("state = %+v", *states[0])
	}
	if f.free[[2]int64{7, 3}] != 1 || len(f.parcels) != 0 {
		t.Errorf("free = %d parcels = %d after a stale plan", f.free[[2]int64{7, 3}], len(f.parcels))
	}
}

func TestAllocateChecksTheIDs(t *testing.T) {
	f := newFake()
	f.addOrder(1, yuncang.OrderPaid, "31", 1)
	f.addOrder(2, yuncang.OrderCreated, "31", 1)
	for _, tc := range []struct {
		ids   []int64
		code  string
		field string
	}{
		{[]int64{1, 9}, yuncang.EINVALID, "order_ids[1]"},
		{[]int64{2}, yuncang.ECONFLICT, "order_ids[0]"},
		{make([]int64, 501), yuncang.EINVALID, "order_ids"},
	} {
		_, err := New(f).Allocate(context.Background(), 1, tc.ids)
		if yuncang.ErrorCode(err) != tc.code || yuncang.ErrorField(err) != tc.field {
			t.Errorf("ids %v: err = %v, want %s on %s", tc.ids[:min(3, len(tc.ids))], err, tc.code, tc.field)
		}
	}
	if f.orders[1].Status != yuncang.OrderPaid {
		t.Error("a refused call changed an order")
	}
}

func TestConfig(t *testing.T) {
	f := newFake()
	s := New(f)
	c, err := s.Config(context.Background(), 1)
	if err != nil || !c.Default || len(c.Body) == 0 {
		t.Fatalf("default config = %+v, %v", c, err)
	}
	for _, tc := range []struct{ body, field string }{
		{`{"warehouses":[{"code":"Z","province":"33"}],"carriers":[]}`, "warehouses"},
		{`{"carriers":[]}`, "carriers"},
	} {
		if err := s.SetConfig(context.Background(), 1, []byte(tc.body)); yuncang.ErrorField(err) != tc.field {
			t.Errorf("%s: err = %v, want field %s", tc.body, err, tc.field)
		}
	}
	if f.cfg != nil {
		t.Fatal("an invalid configuration was stored")
	}
	if err := s.SetConfig(context.Background(), 1, plan.DefaultNetwork()); err != nil {
		t.Fatal(err)
	}
	cut, err := s.Cutoffs(context.Background(), 1)
	if err != nil || len(cut) == 0 {
		t.Fatalf("cutoffs = %v, %v", cut, err)
	}
}

func TestReservationsSumInLockOrder(t *testing.T) {
	ix := index{warehouse: map[string]int64{"B": 2, "A": 1}, sku: map[string]int64{"x": 9, "y": 4}}
	op := &plan.OrderPlan{Parcels: []plan.Parcel{
		{Warehouse: "B", Lines: []plan.Line{{SKU: "x", Qty: 1}, {SKU: "y", Qty: 2}}},
		{Warehouse: "A", Lines: []plan.Line{{SKU: "x", Qty: 3}}},
		{Warehouse: "B", Lines: []plan.Line{{SKU: "x", Qty: 4}}},
	}}
	got := reservations(op, ix)
	want := []reservation{{1, 9, 3}, {2, 4, 2}, {2, 9, 5}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// TestDecoyAnswersAsABackorder: a paid decoy, asked for by id or swept up
// with every paid order, answers as a real paid order whose goods are all
// gone: back-ordered with the planner's no-stock reason and message — even
// with stock free — and takes no stock and no parcel; the real order
// beside it is allocated as ever. An unpaid decoy is refused as an unpaid
// order is. (The old storage hid decoys, so the service answered "no such
// order" for one: an oracle.)
func TestDecoyAnswersAsABackorder(t *testing.T) {
	for _, byID := range []bool{true, false} {
		f := newFake()
		f.free[[2]int64{7, 3}] = 50
		f.addOrder(1, yuncang.OrderPaid, "31", 2)
		f.addOrder(2, yuncang.OrderPaid, "31", 2)
		f.orders[2].Decoy = true
		var ids []int64
		if byID {
			ids = []int64{1, 2}
		}
		states, err := New(f).Allocate(context.Background(), 1, ids)
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]*yuncang.OrderState{}
		for _, s := range states {
			got[s.OrderID] = s
		}
		if got[1] == nil || got[1].Status != yuncang.OrderAllocated {
			t.Fatalf("real order: %+v", got[1])
		}
		d := got[2]
		if d == nil || d.Status != yuncang.OrderBackorder || d.Plan == nil || d.Plan.Reason != plan.ReasonNoStock || d.Plan.Message == "" {
			t.Fatalf("by id %v: decoy answered %+v plan %+v, want a back-order for lack of stock", byID, d, d.Plan)
		}
		if len(f.parcels[2]) != 0 || f.free[[2]int64{7, 3}] != 48 {
			t.Fatalf("decoy took parcels %d or stock (free %d, want 48)", len(f.parcels[2]), f.free[[2]int64{7, 3}])
		}
	}
	f := newFake()
	f.addOrder(3, yuncang.OrderCreated, "31", 1)
	f.addOrder(4, yuncang.OrderCreated, "31", 1)
	f.orders[4].Decoy = true
	_, errReal := New(f).Allocate(context.Background(), 1, []int64{3})
	_, errDecoy := New(f).Allocate(context.Background(), 1, []int64{4})
	if yuncang.ErrorCode(errReal) != yuncang.ECONFLICT || yuncang.ErrorCode(errDecoy) != yuncang.ECONFLICT ||
		strings.Replace(yuncang.ErrorMessage(errReal), "order 3", "order 4", 1) != yuncang.ErrorMessage(errDecoy) {
		t.Fatalf("unpaid real order: %v; unpaid decoy: %v", errReal, errDecoy)
	}
}
