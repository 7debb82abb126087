package httpapi_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/intake"
)

// freeTextRemarks carries every free-text form of issue 10 item 1.
const freeTextRemarks = "收件人王佳，文三路4号5幢3单元601室，门牌 7-7-707，电话幺三八 一二三四 五六七八，" +
	"邮箱 wangjia@example.com，微信 wangjia_88，单号 SF049665595097"

var freeTextSecrets = []string{"王佳", "4号5幢", "601室", "7-7-707", "幺三八", "一二三四", "wangjia@", "wangjia_88"}

func orderWithRemarks(moid, remarks string) string {
	b, _ := json.Marshal(map[string]any{
		"merchant_order_id": moid, "lines": []map[string]any{{"sku": "SKU-1", "quantity": 1}},
		"recipient": map[string]string{"name": "欧阳娜娜", "phone": "13812345678", "address": "浙江省金华市义乌市稠城街道工人北路1088号3单元502室"},
		"remarks":   remarks,
	})
	return string(b)
}

// TestRemarksMaskedInEveryView: an order's remarks, in the create answer,
// the order, a list page and a phone search, show none of the free-text
// forms; the waybill number in them is left alone.
func TestRemarksMaskedInEveryView(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens["merchant_admin@ta"]
	rec := f.do(t, "POST", "/api/v1/orders", tok, orderWithRemarks("FT-1", freeTextRemarks))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	id := strings.TrimPrefix(rec.Header().Get("Location"), "/api/v1/orders/")
	views := map[string]string{"create": rec.Body.String()}
	views["get"] = f.do(t, "GET", "/api/v1/orders/"+id, tok, "").Body.String()
	views["list"] = f.do(t, "GET", "/api/v1/orders?limit=200", tok, "").Body.String()
	views["search"] = f.do(t, "POST", "/api/v1/orders/search", tok, `{"phone":"13812345678","limit":200}`).Body.String()
	for name, body := range views {
		if !strings.Contains(body, "收件人王*") || !strings.Contains(body, "SF049665595097") {
			t.Errorf("%s: remarks not masked as expected: %s", name, body)
		}
		for _, s := range freeTextSecrets {
			if strings.Contains(body, s) {
				t.Errorf("%s shows %q: %s", name, s, body)
			}
		}
	}
}

// TestRemarksIMECommaPhoneMasked is the outside tester's case: a phone
// typed with a Chinese IME's full-width commas went unmasked into the
// order list. No 6 digits of it may show, commas or not.
func TestRemarksIMECommaPhoneMasked(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens["merchant_admin@ta"]
	rec := f.do(t, "POST", "/api/v1/orders", tok, orderWithRemarks("FT-IME-1", "备用电话 138，1234，5678"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	list := f.do(t, "GET", "/api/v1/orders?limit=200", tok, "").Body.String()
	if !strings.Contains(list, "备用电话 138******78") {
		t.Errorf("remarks not masked as expected: %s", list)
	}
	const phone = "13812345678"
	joined := strings.NewReplacer("，", "", "(", "", ")", "", " ", "").Replace(list)
	for i := 0; i+6 <= len(phone); i++ {
		if strings.Contains(joined, phone[i:i+6]) {
			t.Errorf("order list shows %s of the phone: %s", phone[i:i+6], list)
		}
	}
}

// TestLegacyMaskedRemarksMaskedAgain: an order stored before the scanner
// knew the free-text forms holds a masked copy that shows them; every view
// masks it again.
func TestLegacyMaskedRemarksMaskedAgain(t *testing.T) {
	f := newFixture(t)
	p, err := intake.Prepare(f.a.ID, yuncang.OrderInput{MerchantOrderID: "LEGACY-1",
		Lines:     []yuncang.OrderLine{{SKUCode: "SKU-1", Quantity: 1}},
		Recipient: yuncang.Recipient{Name: "欧阳娜娜", Phone: "13812345678", Address: "浙江省金华市义乌市稠城街道工人北路1088号3单元502室"},
		Remarks:   freeTextRemarks})
	must(t, err)
	p.MaskedRemarks = freeTextRemarks // what the old scanner stored: it found nothing
	res, _, err := f.db.CreateOrders(context.Background(), f.a.ID, []*yuncang.PreparedOrder{p}, true, &yuncang.Event{Kind: yuncang.EventOrderCreate, Outcome: "ok"})
	must(t, err)
	if res[0].Order == nil {
		t.Fatalf("seed: %+v", res[0])
	}
	body := f.do(t, "GET", "/api/v1/orders/"+itoa(res[0].Order.ID), f.tokens["merchant_admin@ta"], "").Body.String()
	for _, s := range freeTextSecrets {
		if strings.Contains(body, s) {
			t.Errorf("order shows %q: %s", s, body)
		}
	}
}

// TestOrderIDWithPersonalDataRefused: merchant_order_id is checked like
// remarks and refused, naming the field, without echoing it.
func TestOrderIDWithPersonalDataRefused(t *testing.T) {
	f := newFixture(t)
	for _, moid := range []string{"收件人王佳", "TB-138_1234_5678", "文三路4号601室", "wangjia@example.com",
		"TB-138(1234)5678", "韩梅梅代收-01", "TB-138，1234，5678", "TB-138 OOOO 5678",
		"TB-幺三八幺两三四五六拐八", "TB-138先1234后5678", "TB-138then1234then5678", "谭文鹏-001", "TB-701房间"} {
		rec := f.do(t, "POST", "/api/v1/orders", f.tokens["merchant_admin@ta"], orderWithRemarks(moid, ""))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"merchant_order_id"`) || strings.Contains(rec.Body.String(), moid) {
			t.Errorf("%q: %d %s", moid, rec.Code, rec.Body)
		}
	}
	if rec := f.do(t, "POST", "/api/v1/orders", f.tokens["merchant_admin@ta"], orderWithRemarks("SF049665595097", "")); rec.Code != http.StatusCreated {
		t.Errorf("a waybill-shaped order id was refused: %d %s", rec.Code, rec.Body)
	}
}

// TestImportRefusesOrderIDWithPersonalData: the same check on CSV rows, and
// the report does not repeat the refused id.
func TestImportRefusesOrderIDWithPersonalData(t *testing.T) {
	f := newFixture(t)
	csv := "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity,remarks\n" +
		"IMP-OK,欧阳娜娜,13812345678,浙江省金华市义乌市稠城街道工人北路1088号,SKU-1,1,\n" +
		"收件人王佳,欧阳娜娜,13812345678,浙江省金华市义乌市稠城街道工人北路1088号,SKU-1,1,\n"
	rec := f.do(t, "POST", "/api/v1/orders/import", f.tokens["merchant_admin@ta"], csv, "Content-Type", "text/csv")
	if rec.Code != http.StatusOK {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
	rep := decode[struct {
		Created, Rejected int
		Errors            []struct{ Field, MerchantOrderID string }
	}](t, rec.Body.Bytes())
	if rep.Created != 1 || rep.Rejected != 1 || len(rep.Errors) != 1 || rep.Errors[0].Field != "merchant_order_id" {
		t.Fatalf("report: %s", rec.Body)
	}
	if strings.Contains(rec.Body.String(), "王佳") {
		t.Errorf("report repeats the refused id: %s", rec.Body)
	}
}

// TestJSONRefusesWhatItWouldRepair: invalid UTF-8 and unpaired surrogate
// escapes decode to U+FFFD, which made two order ids one. Both are 400 now.
func TestJSONRefusesWhatItWouldRepair(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens["merchant_admin@ta"]
	for _, moid := range []string{"DUP-\xff", "DUP-\xfe", `DUP-\ud800`, `DUP-\udc00`, `DUP-\ud800\u0041`} {
		rec := f.do(t, "POST", "/api/v1/orders", tok, strings.Replace(orderWithRemarks("MOID", ""), "MOID", moid, 1))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"body"`) {
			t.Errorf("%q: %d %s", moid, rec.Code, rec.Body)
		}
	}
	// A correct pair and an escaped backslash before a u are fine.
	for _, moid := range []string{`PAIR-\ud83d\ude00`, `BS-\\ud800`} {
		rec := f.do(t, "POST", "/api/v1/orders", tok, strings.Replace(orderWithRemarks("MOID", ""), "MOID", moid, 1))
		if rec.Code != http.StatusCreated {
			t.Errorf("%q: %d %s", moid, rec.Code, rec.Body)
		}
	}
}

// TestHiddenCharactersAndFormulasRefused: the API answers 400 naming the
// field for NUL, zero-width and bidi characters and formula-shaped names.
func TestHiddenCharactersAndFormulasRefused(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens["merchant_admin@ta"]
	body := func(name, remarks string) string {
		b, _ := json.Marshal(map[string]any{
			"merchant_order_id": "HID-1", "lines": []map[string]any{{"sku": "SKU-1", "quantity": 1}},
			"recipient": map[string]string{"name": name, "phone": "13812345678", "address": "浙江省金华市义乌市稠城街道工人北路1088号"},
			"remarks":   remarks,
		})
		return string(b)
	}
	for _, c := range []struct{ name, remarks, field string }{
		{"张\u0000三", "", "recipient.name"},
		{"张\u200b三", "", "recipient.name"},
		{"张三\u202e", "", "recipient.name"},
		{`=HYPERLINK("http://x.example","点我")`, "", "recipient.name"},
		{"张三", "电话138\u200b1234\u200b5678", "remarks"},
		{"张三", "\u2067放门口\u2069", "remarks"},
	} {
		rec := f.do(t, "POST", "/api/v1/orders", tok, body(c.name, c.remarks))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"`+c.field+`"`) {
			t.Errorf("%q/%q: %d %s", c.name, c.remarks, rec.Code, rec.Body)
		}
	}
}

// TestImportsAreLimited: while two imports run (here: still sending their
// files), a third is answered 429 with Retry-After and reads nothing.
func TestImportsAreLimited(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens["merchant_admin@ta"]
	var writers []*io.PipeWriter
	var wg sync.WaitGroup
	codes := make(chan int, 2)
	for range 2 {
		pr, pw := io.Pipe()
		writers = append(writers, pw)
		req := httptest.NewRequest("POST", "/api/v1/orders/import", pr)
		req.RemoteAddr = "10.0.0.7:40000"
		req.Header.Set("Content-Type", "text/csv")
		req.Header.Set("Authorization", "Bearer "+tok)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			f.srv.ServeHTTP(rec, req)
			codes <- rec.Code
		}()
		// The handler holds its slot once it starts reading the body.
		if _, err := io.WriteString(pw, "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity,remarks\n"); err != nil {
			t.Fatal(err)
		}
	}
	rec := f.do(t, "POST", "/api/v1/orders/import", tok, "merchant_order_id,sku,quantity\n", "Content-Type", "text/csv")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Errorf("third import: %d, Retry-After %q, %s", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	for _, pw := range writers {
		pw.Close()
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Errorf("running import ended %d", c)
		}
	}
	if rec := f.do(t, "POST", "/api/v1/orders/import", tok, "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n", "Content-Type", "text/csv"); rec.Code != http.StatusOK {
		t.Errorf("import after the others ended: %d %s", rec.Code, rec.Body)
	}
}

// TestImportRefusesZipBomb: an XLSX upload of ~40 KB whose one cell unzips
// to 40 MB is answered 400 naming the file (it was accepted, at about five
// times its unzipped size in memory).
func TestImportRefusesZipBomb(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	parts := map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
		"_rels/.rels":                `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml":            `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
	}
	for name, body := range parts {
		w, err := zw.Create(name)
		must(t, err)
		_, err = io.WriteString(w, body)
		must(t, err)
	}
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	must(t, err)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
	for i, h := range []string{"merchant_order_id", "recipient_name", "recipient_phone", "recipient_address", "sku", "quantity", "remarks"} {
		io.WriteString(w, `<c r="`+string(rune('A'+i))+`1" t="inlineStr"><is><t>`+h+`</t></is></c>`)
	}
	io.WriteString(w, `</row><row r="2"><c r="A2" t="inlineStr"><is><t>BOMB-1</t></is></c><c r="G2" t="inlineStr"><is><t>`)
	chunk := strings.Repeat("A", 1<<16)
	for range 40 << 20 >> 16 {
		io.WriteString(w, chunk)
	}
	io.WriteString(w, `</t></is></c></row></sheetData></worksheet>`)
	must(t, zw.Close())
	rec := f.do(t, "POST", "/api/v1/orders/import", f.tokens["merchant_admin@ta"], buf.String(),
		"Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"field":"file"`) {
		t.Fatalf("zip bomb (%d KB): %d %s", buf.Len()>>10, rec.Code, rec.Body)
	}
}

// TestRedteam3RemarksAndOrderIDs: the third outside tester's remarks (a
// phone cut by words, line breaks or emoji, told tail first; a name beside
// a phone; a unit-room tail; an e-mail with at and dot spelled out) show
// none of it in the order list, and ordinary merchant order ids are still
// accepted.
func TestRedteam3RemarksAndOrderIDs(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens["merchant_admin@ta"]
	remarks := "打 138 先 1234 后 5678；电话139\n2345\n6789；尾号5678，前面1371234；电话 13812345678（谭文鹏）；" +
		"地址文三路8号3-2-301；tan.wenpeng at qq dot com；单号 SF049665595097"
	rec := f.do(t, "POST", "/api/v1/orders", tok, orderWithRemarks("RT3-1", remarks))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	list := f.do(t, "GET", "/api/v1/orders?limit=200", tok, "").Body.String()
	if !strings.Contains(list, "SF049665595097") || !strings.Contains(list, `打 138 先 **** 后 **78`) {
		t.Errorf("remarks not masked as expected: %s", list)
	}
	for _, s := range []string{"1234 后 5678", `2345\n6789`, "1371234", "谭文鹏", "文鹏", "3-2-301", "-2-301", "wenpeng"} {
		if strings.Contains(list, s) {
			t.Errorf("order list shows %q: %s", s, list)
		}
	}
	for _, moid := range []string{"YWG-20261128-000123", "TB123456789012", "JD-2026-0001", "SO_88231"} {
		if rec := f.do(t, "POST", "/api/v1/orders", tok, orderWithRemarks(moid, "")); rec.Code != http.StatusCreated {
			t.Errorf("%q refused: %d %s", moid, rec.Code, rec.Body)
		}
	}
}

// TestTrainingNoteMasked: a training record's note is free text an officer
// types, masked before it is stored like every other note; a note stored
// unmasked before is masked again on the way out.
func TestTrainingNoteMasked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	body, _ := json.Marshal(map[string]string{"username": "operator", "topic": "security_awareness",
		"trained_at": "2026-11-20T00:00:00Z", "expires_at": "2027-11-20T00:00:00Z", "note": freeTextRemarks})
	rec := f.do(t, "POST", "/api/v1/compliance/training", f.tokens["security_officer"], string(body))
	if rec.Code != http.StatusCreated {
		t.Fatalf("record training: %d %s", rec.Code, rec.Body)
	}
	stored, err := f.db.TrainingRecords(ctx) // newest first
	must(t, err)
	if len(stored) == 0 || stored[0].Username != "operator" || !strings.Contains(stored[0].Note, "收件人王*") || !strings.Contains(stored[0].Note, "SF049665595097") {
		t.Fatalf("stored note not masked as expected: %+v", stored[0])
	}
	// One stored the old way, unmasked.
	now := f.clock.Now()
	must(t, f.db.RecordTraining(ctx, &yuncang.TrainingRecord{UserID: f.users["operator"].ID, Topic: yuncang.TrainingIncident,
		TrainedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour), RecordedBy: 1, Note: freeTextRemarks}, nil))
	views := map[string]string{"create": rec.Body.String(), "stored": stored[0].Note}
	views["list"] = f.do(t, "GET", "/api/v1/compliance/training", f.tokens["auditor"], "").Body.String()
	for name, v := range views {
		for _, s := range freeTextSecrets {
			if strings.Contains(v, s) {
				t.Errorf("%s shows %q: %s", name, s, v)
			}
		}
	}
	if n := strings.Count(views["list"], "收件人王*"); n != 2 {
		t.Errorf("list shows %d masked notes, want 2: %s", n, views["list"])
	}
}
