package printing

import (
	"context"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestReprintWithoutReasonListsTheReasons: a reprint without a reason is
// told which reasons there are, as a wrong reason is (it said only "is
// required: shipment 2 was printed before (a reprint)").
func TestReprintWithoutReasonListsTheReasons(t *testing.T) {
	carriers := map[int64]*yuncang.Carrier{1: {ID: 1, MaxReprints: 2}}
	byID := map[int64]*yuncang.Shipment{2: {ID: 2, CarrierID: 1, Status: yuncang.ShipmentCreated, Prints: 1}}
	_, err := decide(yuncang.LabelPrint{WarehouseID: 1, ShipmentIDs: []int64{2}}, byID, carriers)
	if yuncang.ErrorField(err) != "reason" {
		t.Fatalf("err = %v, want one naming reason", err)
	}
	for _, r := range yuncang.ReprintReasons {
		if !strings.Contains(yuncang.ErrorMessage(err), r) {
			t.Errorf("%q does not list %s", yuncang.ErrorMessage(err), r)
		}
	}
}

// The label print rules, without a database: the storage conformance suite
// runs the same prints against SQLite and PostgreSQL.
func TestDecide(t *testing.T) {
	carriers := map[int64]*yuncang.Carrier{1: {ID: 1, Name: "顺丰速运", MaxReprints: 2}}
	ship := func(id int64, status string, prints int) *yuncang.Shipment {
		return &yuncang.Shipment{ID: id, CarrierID: 1, Status: status, Prints: prints}
	}
	byID := map[int64]*yuncang.Shipment{
		1: ship(1, yuncang.ShipmentCreated, 0),
		2: ship(2, yuncang.ShipmentCreated, 1),
		3: ship(3, yuncang.ShipmentCreated, 3), // printed once and reprinted twice: at the limit
		4: ship(4, yuncang.ShipmentVoided, 0),
	}
	for _, tc := range []struct {
		name     string
		ids      []int64
		reason   string
		code     string // an outright refusal, nothing recorded
		refused  string // a refusal recorded as denied
		prints   int
		reprints int
	}{
		{name: "first print", ids: []int64{1}, prints: 1},
		{name: "reprint without a reason", ids: []int64{1, 2}, code: yuncang.EINVALID},
		{name: "reprint with a reason", ids: []int64{1, 2}, reason: yuncang.ReprintDamaged, prints: 1, reprints: 1},
		{name: "over the reprint limit", ids: []int64{2, 3}, reason: yuncang.ReprintLost, refused: yuncang.EFORBIDDEN},
		{name: "voided", ids: []int64{4}, refused: yuncang.ECONFLICT},
		{name: "another warehouse's", ids: []int64{9}, code: yuncang.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := yuncang.LabelPrint{WarehouseID: 1, ShipmentIDs: tc.ids, Reason: tc.reason}
			d, err := decide(p, byID, carriers)
			if tc.code != "" {
				if yuncang.ErrorCode(err) != tc.code {
					t.Fatalf("err = %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			evs := d.events(p, &yuncang.Event{Username: "op"})
			if tc.refused != "" {
				if yuncang.ErrorCode(d.refusal) != tc.refused || len(evs) != 1 || evs[0].Outcome != yuncang.OutcomeDenied {
					t.Fatalf("refusal = %v events = %+v, want %s recorded as denied", d.refusal, evs, tc.refused)
				}
				return
			}
			if d.refusal != nil || len(d.prints) != tc.prints || len(d.reprints) != tc.reprints || len(d.labels) != len(tc.ids) {
				t.Fatalf("decision = %+v", d)
			}
			for _, e := range evs {
				if e.Kind == yuncang.EventKindLabelReprint && !strings.Contains(e.Detail, "reason: "+tc.reason) {
					t.Errorf("reprint event detail %q names no reason", e.Detail)
				}
			}
		})
	}
}

func TestCheckPrint(t *testing.T) {
	ev := &yuncang.Event{}
	for _, tc := range []struct {
		p     yuncang.LabelPrint
		field string
	}{
		{yuncang.LabelPrint{}, "shipment_ids"},
		{yuncang.LabelPrint{ShipmentIDs: make([]int64, yuncang.MaxLabelBatch+1)}, "shipment_ids"},
		{yuncang.LabelPrint{ShipmentIDs: []int64{5, 5}}, "shipment_ids"},
		{yuncang.LabelPrint{ShipmentIDs: []int64{5}, Reason: "bored"}, "reason"},
	} {
		if err := checkPrint(tc.p, ev); yuncang.ErrorField(err) != tc.field {
			t.Errorf("%+v: err = %v, want field %s", tc.p, err, tc.field)
		}
	}
	if err := checkPrint(yuncang.LabelPrint{ShipmentIDs: []int64{1}}, nil); yuncang.ErrorCode(err) != yuncang.EINTERNAL {
		t.Errorf("a print without an audit event: %v", err)
	}
}

// A refused print is recorded and committed; nothing is counted or opened.
func TestRefusedPrintIsRecordedNotCounted(t *testing.T) {
	tx := &fakeLabelTx{byID: map[int64]*yuncang.Shipment{4: {ID: 4, CarrierID: 1, Status: yuncang.ShipmentVoided}}}
	s := &Service{Store: fakeLabelStore{tx: tx}}
	_, err := s.Release(context.Background(), yuncang.LabelPrint{WarehouseID: 1, ShipmentIDs: []int64{4}}, &yuncang.Event{})
	if yuncang.ErrorCode(err) != yuncang.ECONFLICT || tx.counted != 0 || len(tx.audited) != 1 || tx.audited[0].Outcome != yuncang.OutcomeDenied {
		t.Fatalf("err = %v counted = %d audited = %+v", err, tx.counted, tx.audited)
	}
}

type fakeLabelStore struct {
	Store
	tx *fakeLabelTx
}

func (f fakeLabelStore) InLabelPrintTx(_ context.Context, fn func(yuncang.LabelPrintTx) error) error {
	return fn(f.tx)
}

type fakeLabelTx struct {
	byID    map[int64]*yuncang.Shipment
	counted int
	audited []*yuncang.Event
}

func (f *fakeLabelTx) Shipments(context.Context, int64, []int64) (map[int64]*yuncang.Shipment, error) {
	return f.byID, nil
}
func (f *fakeLabelTx) Carrier(_ context.Context, id int64) (*yuncang.Carrier, error) {
	return &yuncang.Carrier{ID: id, MaxReprints: 1}, nil
}
func (f *fakeLabelTx) CountPrint(context.Context, *yuncang.LabelData) (yuncang.SealedLabel, error) {
	f.counted++
	return nil, nil
}
func (f *fakeLabelTx) Audit(_ context.Context, evs ...*yuncang.Event) error {
	f.audited = append(f.audited, evs...)
	return nil
}
func (f *fakeLabelTx) QueueJob(context.Context, *yuncang.PrintJob) error { return nil }

// TestFailureReasonMasked: a gateway's failure reason is free text that
// goes into the audit log and the job: masked like any note.
func TestFailureReasonMasked(t *testing.T) {
	ev := &yuncang.Event{}
	po, err := outcome(7, Outcome{Reason: "收件人：欧阳娜娜，手机 13812345678，地址 浙江省杭州市西湖区文三路90号3幢501室"}, ev)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{ev.Detail, po.Reason} {
		if strings.Contains(s, "13812345678") || strings.Contains(s, "娜娜") || strings.Contains(s, "501") || !strings.HasPrefix(ev.Detail, "failed: ") {
			t.Errorf("failure reason not masked: %q", s)
		}
	}
}
