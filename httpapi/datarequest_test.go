package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// A data-subject request end to end: found by phone through the blind
// index, due in 15 working days; an access answer only after each order
// was revealed for it; a deletion erases the orders' recipients; a refusal
// needs a reason; the audit log names no phone.
func TestDataRequests(t *testing.T) {
	f := newFixture(t)
	cs := f.tokens["customer_service"]
	a := f.createOrder(t, f.a, "DSR-1")
	b := f.createOrder(t, f.a, "DSR-2")
	f.createOrder(t, f.b, "DSR-B") // the same phone at another merchant: not found
	other := f.do(t, "POST", "/api/v1/orders", f.tokens["merchant_admin@ta"], orderJSON("DSR-3", "15900001111"))
	if other.Code != 201 {
		t.Fatal(other.Body)
	}
	openAs := func(token, kind string) httpapi.DataRequestJSON {
		t.Helper()
		rec := f.do(t, "POST", "/api/v1/data-requests?tenant=ta", token, `{"kind":"`+kind+`","phone":"138 1234 5678"}`)
		if rec.Code != 201 {
			t.Fatalf("record %s: %d %s", kind, rec.Code, rec.Body)
		}
		var d httpapi.DataRequestJSON
		must(t, json.Unmarshal(rec.Body.Bytes(), &d))
		return d
	}
	open := func(kind string) httpapi.DataRequestJSON { return openAs(cs, kind) }
	// The purpose is for answering a request: none is open yet.
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", a), cs,
		`{"purpose":"data_subject_request","note":"no request"}`, "X-Yuncang-Device", f.desks[cs]); rec.Code != 409 || !strings.Contains(rec.Body.String(), "access request") {
		t.Fatalf("data_subject_request reveal without a request: %d %s", rec.Code, rec.Body)
	}
	acc := open("access")
	if fmt.Sprint(acc.OrderIDs) != fmt.Sprint([]int64{b, a, f.orderA}) || acc.Status != "open" || acc.Overdue {
		t.Fatalf("access request: %+v", acc)
	}
	if days := acc.DueAt.Sub(acc.ReceivedAt).Hours() / 24; days < 19 || days > 21 {
		t.Fatalf("due %v after receipt: 15 working days are 21 calendar days (19 if received on a weekend)", days)
	}
	closeReq := func(id int64, body string) (int, string) {
		rec := f.do(t, "POST", fmt.Sprintf("/api/v1/data-requests/%d/close?tenant=ta", id), cs, body, "X-Yuncang-Device", f.desks[cs])
		return rec.Code, rec.Body.String()
	}
	if code, body := closeReq(acc.ID, `{"outcome":"answered"}`); code != 409 || !strings.Contains(body, "data_subject_request") {
		t.Fatalf("answered before any reveal: %d %s", code, body)
	}
	for _, id := range acc.OrderIDs {
		rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", id), cs,
			`{"purpose":"data_subject_request","note":"access request"}`, "X-Yuncang-Device", f.desks[cs])
		if rec.Code != 200 {
			t.Fatalf("reveal for the request: %d %s", rec.Code, rec.Body)
		}
	}
	if code, body := closeReq(acc.ID, `{"outcome":"answered"}`); code != 200 {
		t.Fatalf("answered: %d %s", code, body)
	}
	if code, _ := closeReq(acc.ID, `{"outcome":"answered"}`); code != 409 {
		t.Fatalf("closed twice: %d", code)
	}
	ref := open("correction")
	fixed := `{"outcome":"corrected","recipient":{"name":"欧阳娜","phone":"13987654321","address":"浙江省杭州市西湖区文三路90号"}}`
	// Four eyes: whoever recorded a correction request does not also write
	// the new recipient in (one person could otherwise redirect parcels).
	if code, body := closeReq(ref.ID, fixed); code != 403 || !strings.Contains(body, "different person") {
		t.Fatalf("a correction closed as corrected by the person who recorded it: %d %s", code, body)
	}
	if code, body := closeReq(ref.ID, `{"outcome":"refused"}`); code != 400 || !strings.Contains(body, "reason") {
		t.Fatalf("refused without a reason: %d %s", code, body)
	}
	if code, body := closeReq(ref.ID, `{"outcome":"erased"}`); code != 400 {
		t.Fatalf("a correction closed as erased: %d %s", code, body)
	}
	if code, body := closeReq(ref.ID, `{"outcome":"refused","reason":"the platform holds the address; correct it there, tel 13812345678"}`); code != 200 || strings.Contains(body, "13812345678") {
		t.Fatalf("refused: %d %s", code, body)
	}
	// A correction re-seals the recipient of every order the phone found:
	// the new phone finds them, the old one only through requests made
	// before; the reveal shows the corrected values.
	cor := openAs(f.tokens["merchant_staff@ta"], "correction")
	if code, body := closeReq(cor.ID, `{"outcome":"corrected"}`); code != 400 || !strings.Contains(body, "recipient") {
		t.Fatalf("corrected without a recipient: %d %s", code, body)
	}
	if code, body := closeReq(acc.ID, fixed); code != 409 && code != 400 {
		t.Fatalf("an access request corrected: %d %s", code, body)
	}
	// Correcting rewrites a recipient: the person's own office desk, as for a reveal.
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/data-requests/%d/close?tenant=ta", cor.ID), cs, fixed); rec.Code != 403 || !strings.Contains(rec.Body.String(), "office desk") {
		t.Fatalf("corrected from no device: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/data-requests/%d/close?tenant=ta", cor.ID), cs, fixed, "X-Yuncang-Device", f.desks[f.tokens["merchant_staff@ta"]]); rec.Code != 403 {
		t.Fatalf("corrected from another person's desk: %d %s", rec.Code, rec.Body)
	}
	if code, body := closeReq(cor.ID, fixed); code != 200 || !strings.Contains(body, `"corrected"`) || strings.Contains(body, "13987654321") {
		t.Fatalf("corrected: %d %s", code, body)
	}
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", a), cs,
		`{"purpose":"customer_callback","note":"check the correction"}`, "X-Yuncang-Device", f.desks[cs])
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "13987654321") || !strings.Contains(rec.Body.String(), "文三路90号") {
		t.Fatalf("reveal after correction: %d %s", rec.Code, rec.Body)
	}
	search := f.do(t, "POST", "/api/v1/orders/search?tenant=ta", cs, `{"phone":"13987654321"}`)
	if search.Code != 200 || strings.Count(search.Body.String(), `"merchant_order_id"`) != 3 || !strings.Contains(search.Body.String(), "杭州市") {
		t.Fatalf("search by the corrected phone: %d %s", search.Code, search.Body)
	}
	if d := open("access"); len(d.OrderIDs) != 0 {
		t.Fatalf("the old phone still finds %v after the correction", d.OrderIDs)
	}
	// The deletion request is made by the corrected phone.
	rec = f.do(t, "POST", "/api/v1/data-requests?tenant=ta", cs, `{"kind":"deletion","phone":"13987654321"}`)
	var del httpapi.DataRequestJSON
	if rec.Code != 201 {
		t.Fatal(rec.Body)
	}
	must(t, json.Unmarshal(rec.Body.Bytes(), &del))
	if code, body := closeReq(del.ID, `{"outcome":"erased"}`); code != 200 {
		t.Fatalf("erased: %d %s", code, body)
	}
	for _, id := range acc.OrderIDs {
		if rec := f.reveal(t, cs, id); rec.Code != 409 {
			t.Fatalf("reveal of an erased order: %d %s", rec.Code, rec.Body)
		}
		rec := f.do(t, "GET", fmt.Sprintf("/api/v1/orders/%d?tenant=ta", id), f.tokens["merchant_admin@ta"], "")
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), yuncang.Erased) {
			t.Fatalf("erased order's view: %d %s", rec.Code, rec.Body)
		}
	}
	// The erased phone no longer finds anything.
	rec = f.do(t, "POST", "/api/v1/orders/search?tenant=ta", cs, `{"phone":"13987654321"}`)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "merchant_order_id") {
		t.Fatalf("the erased phone still finds: %s", rec.Body)
	}
	list := f.do(t, "GET", "/api/v1/data-requests?tenant=ta", cs, "")
	if list.Code != 200 || strings.Count(list.Body.String(), `"id"`) != 5 {
		t.Fatalf("list: %d %s", list.Code, list.Body)
	}
	evs, err := f.db.Events(context.Background(), yuncang.EventFilter{Limit: 500})
	must(t, err)
	n := 0
	for _, e := range evs {
		if e.Kind == yuncang.EventDataRequest || e.Kind == yuncang.EventDataRequestClose {
			n++
		}
		if s := fmt.Sprintf("%+v", *e); strings.Contains(s, "13812345678") || strings.Contains(s, "12345678") || strings.Contains(s, "欧阳") ||
			strings.Contains(s, "13987654321") || strings.Contains(s, "87654321") || strings.Contains(s, "文三路") {
			t.Errorf("audit record %d (%s) holds the requester's data", e.ID, e.Kind)
		}
	}
	if n != 9 {
		t.Fatalf("%d data-request audit records, want 9 (5 recorded, 4 closed)", n)
	}
}

// TestCorrectionRefusedOnceShipped: a correction would rewrite the order
// while its label, the carrier's manifest and the virtual number keep the
// old recipient — one person redirecting a parcel. Once an order has a
// waybill, a correction is refused and changes nothing.
func TestCorrectionRefusedOnceShipped(t *testing.T) {
	f := newWaybillFixture(t, false)
	f.ship(t, f.orderA)
	cs := f.tokens["customer_service"]
	// Recorded by a colleague: whoever records a correction does not close it.
	rec := f.do(t, "POST", "/api/v1/data-requests?tenant=ta", f.tokens["merchant_staff@ta"], `{"kind":"correction","phone":"13812345678"}`)
	if rec.Code != 201 {
		t.Fatalf("record: %d %s", rec.Code, rec.Body)
	}
	var d httpapi.DataRequestJSON
	must(t, json.Unmarshal(rec.Body.Bytes(), &d))
	rec = f.do(t, "POST", fmt.Sprintf("/api/v1/data-requests/%d/close?tenant=ta", d.ID), cs,
		`{"outcome":"corrected","recipient":{"name":"攻击者","phone":"13800138000","address":"广东省深圳市南山区科技园街道深南大道9999号88栋1801室"}}`, "X-Yuncang-Device", f.desks[cs])
	if rec.Code != 409 || !strings.Contains(rec.Body.String(), "waybill") {
		t.Fatalf("correction of a shipped order: %d %s", rec.Code, rec.Body)
	}
	o, err := f.db.Order(context.Background(), f.a.ID, f.orderA, nil)
	must(t, err)
	if o.Recipient.Name == "" || strings.Contains(o.Recipient.Address, "深圳") {
		t.Fatalf("the refused correction changed the order: %+v", o.Recipient)
	}
}

// TestDataSubjectRevealFindsItsRequestAmongMany: the purpose check finds the
// open access request naming the order however many open requests the
// merchant has before it (it once read only the first 500 of the list).
func TestDataSubjectRevealFindsItsRequestAmongMany(t *testing.T) {
	f := newFixture(t)
	cs := f.tokens["customer_service"]
	o := f.createOrder(t, f.a, "DSR-MANY")
	ctx := context.Background()
	now := f.clock.Now()
	for i := range 501 {
		d := &yuncang.DataRequest{TenantID: f.a.ID, Kind: yuncang.DataRequestCorrection, OrderIDs: []int64{o + 1000},
			ReceivedAt: now, DueAt: now.Add(time.Duration(i) * time.Minute), CreatedBy: "cs"}
		must(t, f.db.CreateDataRequest(ctx, d, nil))
	}
	acc := &yuncang.DataRequest{TenantID: f.a.ID, Kind: yuncang.DataRequestAccess, OrderIDs: []int64{o},
		ReceivedAt: now, DueAt: now.AddDate(0, 0, 21), CreatedBy: "cs"}
	must(t, f.db.CreateDataRequest(ctx, acc, nil))
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", o), cs,
		`{"purpose":"data_subject_request","note":"access request"}`, "X-Yuncang-Device", f.desks[cs])
	if rec.Code != 200 {
		t.Fatalf("reveal for the 502nd open request: %d %s", rec.Code, rec.Body)
	}
}

// TestErasureNeedsDeskAndWaitsForDelivery: closing a deletion request as
// erased takes the reveal's device (the person's own enrolled office desk)
// and is refused, naming the order and changing nothing, while an order is
// on its way (its parcel would lose its recipient in transit); once the
// order is delivered the same request erases it. Then a reveal says it was
// erased by that deletion request (not by retention).
func TestErasureNeedsDeskAndWaitsForDelivery(t *testing.T) {
	f := newWaybillFixture(t, false)
	cs := f.tokens["customer_service"]
	pid := f.weighedParcel(t, f.orderA)
	var sh httpapi.ShipmentJSON
	f.api(t, 201, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/shipment?tenant=ta", pid), "operator", `{"sender":`+senderJSON+`}`, &sh)
	if l := f.label(t, sh.ID, "format=zpl"); l.code != 200 {
		t.Fatalf("label: %d %s", l.code, l.body)
	}
	rec := f.do(t, "POST", "/api/v1/data-requests?tenant=ta", cs, `{"kind":"deletion","phone":"13812345678"}`)
	if rec.Code != 201 {
		t.Fatalf("record: %d %s", rec.Code, rec.Body)
	}
	var d httpapi.DataRequestJSON
	must(t, json.Unmarshal(rec.Body.Bytes(), &d))
	closePath := fmt.Sprintf("/api/v1/data-requests/%d/close?tenant=ta", d.ID)
	if rec := f.do(t, "POST", closePath, cs, `{"outcome":"erased"}`); rec.Code != 403 || !strings.Contains(rec.Body.String(), "office desk") {
		t.Fatalf("erased from no device: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "POST", closePath, cs, `{"outcome":"erased"}`, "X-Yuncang-Device", f.desks[cs]); rec.Code != 409 ||
		!strings.Contains(rec.Body.String(), fmt.Sprintf("order %d is in fulfilment (packed)", f.orderA)) || !strings.Contains(rec.Body.String(), "delivered") {
		t.Fatalf("erased while the parcel is on its way: %d %s", rec.Code, rec.Body)
	}
	o, err := f.db.Order(context.Background(), f.a.ID, f.orderA, nil)
	must(t, err)
	if o.Recipient.Name == "" || o.Recipient.Name == yuncang.Erased {
		t.Fatalf("the refused erasure erased the order: %+v", o.Recipient)
	}
	list := f.do(t, "GET", "/api/v1/data-requests?tenant=ta", cs, "")
	if !strings.Contains(list.Body.String(), `"status":"open"`) {
		t.Fatalf("the refused erasure closed the request: %s", list.Body)
	}
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/parcels/%d/ship?tenant=ta", pid), "operator", fmt.Sprintf(`{"waybill_no":%q}`, sh.Waybill), nil)
	if rec := f.do(t, "POST", closePath, cs, `{"outcome":"erased"}`, "X-Yuncang-Device", f.desks[cs]); rec.Code != 409 || !strings.Contains(rec.Body.String(), "(shipped)") {
		t.Fatalf("erased while shipped: %d %s", rec.Code, rec.Body)
	}
	f.handOver(t, sh.Waybill)
	for _, st := range []string{"picked_up", "in_transit", "delivered"} {
		if r := f.webhook(t, "EV-"+st, sh.Waybill, st, 0, false); r.code != 200 {
			t.Fatalf("webhook %s: %d %s", st, r.code, r.body)
		}
	}
	if rec := f.do(t, "POST", closePath, cs, `{"outcome":"erased"}`, "X-Yuncang-Device", f.desks[cs]); rec.Code != 200 {
		t.Fatalf("erased once delivered: %d %s", rec.Code, rec.Body)
	}
	rec = f.reveal(t, cs, f.orderA)
	if rec.Code != 409 || strings.Contains(rec.Body.String(), "retention") || !strings.Contains(rec.Body.String(), fmt.Sprintf("erased by data-subject deletion request %d", d.ID)) {
		t.Fatalf("reveal of the order a deletion request erased: %d %s", rec.Code, rec.Body)
	}
}

// TestLabelOfErasedRecipientIsConflict: a label whose order's recipient
// was erased (as a deletion request could, before erasure waited for
// delivery, while the parcel was still in the warehouse) is a 409 that
// says so, in every format, not a 500.
func TestLabelOfErasedRecipientIsConflict(t *testing.T) {
	f := newWaybillFixture(t, false)
	sh := f.ship(t, f.orderA)
	if l := f.label(t, sh.ID, "format=zpl"); l.code != 200 {
		t.Fatalf("label: %d %s", l.code, l.body)
	}
	raw, err := sql.Open("sqlite", "file:"+f.path)
	must(t, err)
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE orders SET name_ct = x'', phone_ct = x'', address_ct = x'', masked_name = ?, masked_phone = ?, masked_address = ? WHERE id = ?`,
		yuncang.Erased, yuncang.Erased, yuncang.Erased, f.orderA); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"zpl", "pdf"} {
		l := f.label(t, sh.ID, "format="+format+"&reason=damaged")
		if l.code != 409 || !strings.Contains(string(l.body), "erased") {
			t.Errorf("%s label of an erased recipient: %d %s", format, l.code, l.body)
		}
	}
}

// TestFreeTextMaskedInAuditExport: free text typed into a data request's
// close reason and an API token's label reaches the audit log (which is
// never erased) masked: the export holds no plain mobile, no name after
// 收件人 and no address tail.
func TestFreeTextMaskedInAuditExport(t *testing.T) {
	f := newFixture(t)
	cs := f.tokens["customer_service"]
	const text = "收件人：欧阳娜娜，手机 13812345678，地址 浙江省杭州市西湖区文三路90号3幢501室"
	rec := f.do(t, "POST", "/api/v1/data-requests?tenant=ta", cs, `{"kind":"deletion","phone":"13812345678"}`)
	if rec.Code != 201 {
		t.Fatalf("record: %d %s", rec.Code, rec.Body)
	}
	var d httpapi.DataRequestJSON
	must(t, json.Unmarshal(rec.Body.Bytes(), &d))
	if rec := f.do(t, "POST", fmt.Sprintf("/api/v1/data-requests/%d/close?tenant=ta", d.ID), cs, `{"outcome":"refused","reason":"`+text+`"}`); rec.Code != 200 {
		t.Fatalf("refuse: %d %s", rec.Code, rec.Body)
	}
	const label = "收件人欧阳娜娜 13812345678 文三路90号3幢501室"
	if rec := f.do(t, "POST", "/api/v1/tokens", f.tokens["merchant_admin@ta"], `{"username":"merchant_staff-ta","label":"`+label+`","scopes":["catalog:read"]}`); rec.Code != 201 {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	exp := f.do(t, "GET", "/api/v1/audit/events?format=jsonl&limit=1000", f.tokens["auditor"], "")
	if exp.Code != 200 {
		t.Fatalf("export: %d", exp.Code)
	}
	body := exp.Body.String()
	if !strings.Contains(body, "data_request_close") || !strings.Contains(body, "token_issue") {
		t.Fatalf("the export lacks the records: %s", body)
	}
	for _, s := range []string{"13812345678", "娜娜", "90号", "501"} {
		if strings.Contains(body, s) {
			t.Errorf("the audit export holds %q", s)
		}
	}
}
