package storetest

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/printing"
	"github.com/yuncang/yuncang/retention"
)

// Value is one stored value: a column of a row of a table, as bytes.
type Value struct {
	Table, Column string
	Data          []byte
}

// testErasureReachesCopies: after an erasure, by retention (the order's
// day key destroyed) or by a data-subject deletion, no table holds the
// order's name, phone or address in plaintext: not the order, not the
// carrier's stored manifest (the manifest is sealed with an identity
// "carrier key" here, so what the carrier could read is plain to see), not
// a binding, a tracking event or a print job. A parcel in the same
// manifest whose order was not erased is still handed over whole.
func testErasureReachesCopies(t *testing.T, h Harness) {
	if h.Values == nil {
		t.Skip("the harness cannot list stored values")
	}
	ctx := context.Background()
	w := newWorld(t, h, "erasure-copies")
	now := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	w.db.SetNow(func() time.Time { return now })
	c := newCarrier(t, w, "ZTO", yuncang.CheckLuhn)
	must(t, w.db.AddWaybillSegment(ctx, &yuncang.WaybillSegment{CarrierID: c.ID, Prefix: "", Width: 11, First: 1, Last: 1000}))
	if n, err := w.db.AddVirtualNumbers(ctx, []string{"17099990000"}); err != nil || n != 1 {
		t.Fatalf("pool: %d %v", n, err)
	}
	// X (people[0]) is taken in on day 0 and expires by maximum age;
	// Y and Z come in 80 days later. Z's data subject asks for deletion.
	create := func(moid string, p person) int64 {
		res, _, err := w.db.CreateOrders(ctx, w.a.ID, []*yuncang.PreparedOrder{prepared(w.a, moid, p, 1)}, true, userEvent(w.a, yuncang.EventOrderCreate))
		must(t, err)
		return res[0].Order.ID
	}
	x := create("EC-X", people[0])
	now = now.AddDate(0, 0, yuncang.DefaultRetention.MaxAgeDays-10)
	y := create("EC-Y", people[1])
	z := create("EC-Z", people[2])
	ids := []int64{x, y, z}
	parcels := weighedParcels(t, w, w.a, "ZTO", ids)
	sender := yuncang.Sender{Name: "王小明", Phone: "0579-85123456", Address: "浙江省金华市义乌市福田街道国际商贸城五区12号"}
	var shipIDs []int64
	var waybills []string
	for i, id := range ids {
		s, err := w.db.CreateShipment(ctx, &yuncang.ShipmentInput{TenantID: w.a.ID, ParcelID: parcels[i], OrderID: id, WarehouseID: w.whYiwu.ID,
			CarrierCode: "ZTO", Sender: sender})
		must(t, err)
		shipIDs = append(shipIDs, s.ID)
		waybills = append(waybills, s.Waybill)
	}
	_, err := (&printing.Service{Store: w.db}).Release(ctx, yuncang.LabelPrint{WarehouseID: w.whYiwu.ID, ShipmentIDs: shipIDs},
		&yuncang.Event{UserID: 5, Username: "op", Role: yuncang.RoleOperator, Kind: yuncang.EventKindLabelPrint, Outcome: yuncang.OutcomeOK})
	must(t, err)
	plain := func(b []byte) ([]byte, error) { return bytes.Clone(b), nil }
	m, err := w.db.CreateManifest(ctx, w.whYiwu.ID, c.ID, waybills, plain,
		&yuncang.Event{UserID: 9, Username: "op", Role: yuncang.RoleOperator, Kind: yuncang.EventKindCarrierHandover, Outcome: yuncang.OutcomeOK})
	must(t, err)
	if !bytes.Contains(m.Sealed, []byte(people[0].name)) || !bytes.Contains(m.Sealed, []byte(people[2].address)) {
		t.Fatal("the manifest handed over lacks its recipients; the check below proves nothing")
	}
	found := func(p person) []string {
		var where []string
		for _, v := range h.Values(t, "erasure-copies") {
			for _, s := range []string{p.name, p.phone, p.address, p.street} {
				if bytes.Contains(v.Data, []byte(s)) {
					where = append(where, v.Table+"."+v.Column)
				}
			}
		}
		return where
	}

	// The data subject of Z asks for deletion.
	d := &yuncang.DataRequest{TenantID: w.a.ID, Kind: yuncang.DataRequestDeletion, OrderIDs: []int64{z}, ReceivedAt: now, DueAt: now.AddDate(0, 0, 15), CreatedBy: "dpo"}
	must(t, w.db.CreateDataRequest(ctx, d, userEvent(w.a, yuncang.EventDataRequest)))
	// Not while its parcel is on its way: the request stays open, the
	// order keeps its recipient.
	_, err = w.db.CloseDataRequest(ctx, w.a.ID, d.ID, yuncang.DataRequestErased, "", "dpo", userEvent(w.a, yuncang.EventDataRequest))
	if yuncang.ErrorCode(err) != yuncang.ECONFLICT || !strings.Contains(yuncang.ErrorMessage(err), "in fulfilment") {
		t.Fatalf("erasing an order in fulfilment: %v, want a conflict", err)
	}
	if ds, err := w.db.DataRequests(ctx, w.a.ID); err != nil || len(ds) != 1 || ds[0].Status != yuncang.DataRequestOpen {
		t.Fatalf("after the refused erasure the request is not open: %v", err)
	}
	_, err = w.db.ShipParcel(ctx, w.a.ID, parcels[2], yuncang.ShipInput{WaybillNo: waybills[2]})
	must(t, err)
	_, err = w.db.DeliverParcel(ctx, w.a.ID, parcels[2], now)
	must(t, err)
	_, err = w.db.CloseDataRequest(ctx, w.a.ID, d.ID, yuncang.DataRequestErased, "", "dpo", userEvent(w.a, yuncang.EventDataRequest))
	must(t, err)
	if where := found(people[2]); len(where) > 0 {
		t.Errorf("after a deletion request the order's recipient is still stored in plaintext in %v", where)
	}

	// X's day passes its maximum age: retention destroys its key.
	now = now.AddDate(0, 0, 12)
	rep, err := retention.Run(ctx, w.db, retention.Options{})
	must(t, err)
	if len(rep.Erased) != 1 || rep.Erased[0].Bucket.MinOrderID != x || rep.Swept != 1 {
		t.Fatalf("retention run: %+v", rep)
	}
	if where := found(people[0]); len(where) > 0 {
		t.Errorf("after retention erased the order its recipient is still stored in plaintext in %v", where)
	}
	checkManifestAfterErasure(t, w, c, m.ID, waybills)
}

// checkManifestAfterErasure downloads the manifest: the erased parcels
// (first and last) keep their waybill only, the other is whole.
func checkManifestAfterErasure(t *testing.T, w *world, c *yuncang.Carrier, id int64, waybills []string) {
	t.Helper()
	plain := func(b []byte) ([]byte, error) { return bytes.Clone(b), nil }
	got, err := w.db.Manifest(context.Background(), c.ID, id, plain,
		&yuncang.Event{UserID: 9, Username: "zto", Role: yuncang.RoleCarrier, Kind: yuncang.EventKindCarrierHandover, Outcome: yuncang.OutcomeOK})
	must(t, err)
	lines := bytes.Split(bytes.TrimSpace(got.Sealed), []byte("\n"))
	if len(lines) != 3 {
		t.Fatalf("manifest after erasure: %d entries", len(lines))
	}
	for i, l := range lines {
		if !bytes.Contains(l, []byte(waybills[i])) {
			t.Errorf("entry %d lacks its waybill", i)
		}
		erased := bytes.Count(l, []byte(yuncang.Erased)) == 3
		if want := i != 1; erased != want {
			t.Errorf("entry %d: erased %v, want %v", i, erased, want)
		}
	}
	if !bytes.Contains(lines[1], []byte(people[1].address)) || !bytes.Contains(lines[1], []byte(people[1].name)) {
		t.Error("the parcel whose order was not erased lost its recipient")
	}
	for _, p := range []person{people[0], people[2]} {
		if bytes.Contains(got.Sealed, []byte(p.name)) || bytes.Contains(got.Sealed, []byte(p.address)) {
			t.Error("the manifest still hands over an erased recipient")
		}
	}
}

// TableNames lists the tables the query names (one column, a name a row),
// for a harness's Raw and Values.
func TableNames(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return tables
}

// TableValues reads every column of every row of the tables, for a
// harness's Values.
func TableValues(t *testing.T, db *sql.DB, tables []string) []Value {
	t.Helper()
	var out []Value
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM ` + tb)
		if err != nil {
			t.Fatalf("read %s: %v", tb, err)
		}
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("scan %s: %v", tb, err)
			}
			for i, v := range vals {
				var b []byte
				switch v := v.(type) {
				case nil:
					continue
				case []byte:
					b = bytes.Clone(v)
				case string:
					b = []byte(v)
				default:
					b = fmt.Append(nil, v)
				}
				out = append(out, Value{Table: tb, Column: cols[i], Data: b})
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}
