package httpapi_test

import (
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// TestResubmissionAnswerIgnoresContent: re-submitting an existing merchant
// order id answered 200 when the guessed name, phone, address, lines and
// remarks were exactly right and 409 otherwise, which confirmed guesses.
// Now every re-submission gets the same 409 naming the stored order.
func TestResubmissionAnswerIgnoresContent(t *testing.T) {
	f, _ := newGuardFixture(t)
	ms := f.tokens["merchant_staff@ta"]
	rec := f.do(t, "POST", "/api/v1/orders", ms, orderJSON("GUESS-1", "13812345678"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	id := decode[httpapi.OrderJSON](t, rec.Body.Bytes()).ID
	var bodies []string
	for _, body := range []string{orderJSON("GUESS-1", "13812345678"), orderJSON("GUESS-1", "13900000001"),
		strings.Replace(orderJSON("GUESS-1", "13812345678"), "欧阳娜娜", "欧阳娜", 1)} {
		rec := f.do(t, "POST", "/api/v1/orders", ms, body)
		p := decode[httpapi.Problem](t, rec.Body.Bytes())
		if rec.Code != http.StatusConflict || p.OrderID != id || p.Code != yuncang.ECONFLICT {
			t.Fatalf("re-submission: %d %s", rec.Code, rec.Body)
		}
		p.RequestID = ""
		bodies = append(bodies, fmt.Sprintf("%+v", p))
	}
	if bodies[0] != bodies[1] || bodies[0] != bodies[2] {
		t.Fatalf("the exact repeat and the wrong guesses are told apart:\n%s", strings.Join(bodies, "\n"))
	}
	// Nothing changed and nobody was cut off for retrying.
	u, _ := f.db.UserByID(context.Background(), f.users["merchant_staff-ta"].ID)
	if u.Status != yuncang.UserActive {
		t.Fatalf("a retrying client was suspended: %+v", u.Status)
	}
}

// TestImportOfGuessesIsNamedAndAlerted: an import of 100 rows, each a guess
// at a different existing order, answered per row duplicate (exact) or
// conflict, raised no alert, and was audited as "conflict 100" without naming
// the orders. Now every row is "existing" with the stored order's id whatever
// its content, the guard alerts, and the audit record names the orders.
func TestImportOfGuessesIsNamedAndAlerted(t *testing.T) {
	f, sink := newGuardFixture(t)
	ctx := context.Background()
	ms := f.tokens["merchant_staff@ta"]
	const header = "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity,remarks\n"
	row := func(moid, phone string) string {
		return moid + ",欧阳娜娜," + phone + ",浙江省金华市义乌市稠城街道工人北路1088号3单元502室,SKU-1,1,放门卫\n"
	}
	var seed, guesses strings.Builder
	seed.WriteString(header)
	guesses.WriteString(header)
	for i := 0; i < 100; i++ {
		moid := fmt.Sprintf("PROBE-%03d", i)
		seed.WriteString(row(moid, fmt.Sprintf("138120000%02d", i)))
		phone := fmt.Sprintf("139000000%02d", i) // wrong
		if i%10 == 0 {
			phone = fmt.Sprintf("138120000%02d", i) // exactly right
		}
		guesses.WriteString(row(moid, phone))
	}
	rec := f.do(t, "POST", "/api/v1/orders/import", ms, seed.String(), "Content-Type", "text/csv")
	if rec.Code != http.StatusOK {
		t.Fatalf("seed: %d %s", rec.Code, rec.Body)
	}
	stored := map[string]int64{}
	os, err := f.db.Orders(ctx, yuncang.OrderFilter{TenantID: f.a.ID, Limit: 500}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range os {
		stored[o.MerchantOrderID] = o.ID
	}
	f.notifier.Wait()
	sink.mu.Lock()
	alertsBefore := len(sink.alerts)
	sink.mu.Unlock()

	rec = f.do(t, "POST", "/api/v1/orders/import", ms, guesses.String(), "Content-Type", "text/csv")
	if rec.Code != http.StatusOK {
		t.Fatalf("guesses: %d %s", rec.Code, rec.Body)
	}
	rep := decode[httpapi.ImportResponse](t, rec.Body.Bytes())
	if rep.Orders != 100 || rep.Existing != 100 || rep.Created != 0 || rep.Rejected != 0 || len(rep.Errors) != 0 || len(rep.ExistingOrders) != 100 {
		t.Fatalf("report: %s", rec.Body)
	}
	var want []string
	for _, e := range rep.ExistingOrders {
		if e.OrderID == 0 || stored[e.MerchantOrderID] != e.OrderID {
			t.Fatalf("row %d (%s) names order %d, stored as %d", e.Row, e.MerchantOrderID, e.OrderID, stored[e.MerchantOrderID])
		}
		want = append(want, fmt.Sprintf("order:%d", e.OrderID))
	}
	evs, err := f.db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventOrderImport, TenantID: f.a.ID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || !slices.Equal(evs[0].Targets, want) || !strings.Contains(evs[0].Detail, "exists 100") {
		t.Fatalf("import record: %+v", evs)
	}
	f.notifier.Wait()
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.alerts) == alertsBefore || sink.alerts[len(sink.alerts)-1].Rule != "order_resubmit" {
		t.Fatalf("no order_resubmit alert: %+v", sink.alerts[alertsBefore:])
	}
}

// TestConsoleImportOfGuesses: the console's import job answers existing
// merchant order ids as the API's import does (each listed with the stored
// order, nothing stored, whatever the content) and the guard counts them.
func TestConsoleImportOfGuesses(t *testing.T) {
	f, sink := newGuardFixture(t)
	const header = "merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n"
	var seed, guesses strings.Builder
	seed.WriteString(header)
	guesses.WriteString(header)
	for i := 0; i < 60; i++ {
		fmt.Fprintf(&seed, "CPROBE-%03d,欧阳娜娜,138120000%02d,浙江省金华市义乌市稠城街道工人北路1088号,SKU-1,1\n", i, i)
		fmt.Fprintf(&guesses, "CPROBE-%03d,欧阳娜娜,139000000%02d,浙江省金华市义乌市稠城街道工人北路1088号,SKU-1,1\n", i, i)
	}
	if rec := f.do(t, "POST", "/api/v1/orders/import", f.tokens["merchant_staff@ta"], seed.String(), "Content-Type", "text/csv"); rec.Code != http.StatusOK {
		t.Fatalf("seed: %d %s", rec.Code, rec.Body)
	}
	token := f.pages["merchant_staff@ta"]
	var b strings.Builder
	mw := multipart.NewWriter(&b)
	mw.WriteField(httpapi.CSRFField, httpapi.CSRFToken(token))
	fw, _ := mw.CreateFormFile("file", "orders.csv")
	fw.Write([]byte(guesses.String()))
	mw.Close()
	cookie := httpapi.SessionCookie + "=" + token
	rec := f.do(t, "POST", "/orders/import", "", b.String(), "Cookie", cookie, "Content-Type", mw.FormDataContentType())
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/orders/import/") {
		t.Fatalf("start the import: %d %s", rec.Code, rec.Body)
	}
	var page string
	for i := 0; ; i++ {
		rec := f.do(t, "GET", loc, "", "", "Cookie", cookie)
		if page = rec.Body.String(); strings.Contains(page, `id="import-report"`) {
			break
		}
		if i == 200 {
			t.Fatalf("the import job did not finish: %d %s", rec.Code, page)
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !strings.Contains(page, `<dd id="import-existing">60</dd>`) || !strings.Contains(page, `<dd id="import-created">0</dd>`) ||
		strings.Count(page, "CPROBE-") != 60 {
		t.Fatalf("console import report: %s", page)
	}
	f.notifier.Wait()
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if len(sink.alerts) == 0 || sink.alerts[len(sink.alerts)-1].Rule != "order_resubmit" {
		t.Fatalf("no order_resubmit alert: %+v", sink.alerts)
	}
}
