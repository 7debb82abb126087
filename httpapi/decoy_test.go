package httpapi_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// importCSV imports orders of tenant ta as its merchant admin; moids name
// the orders (one SKU-1 line each, generated recipients).
func (f *fixture) importCSV(t *testing.T, moids []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity,remarks\n")
	names := []string{"张伟", "王芳", "李娜", "刘洋", "陈静"}
	for i, m := range moids {
		fmt.Fprintf(&b, "%s,%s,1390000%04d,浙江省杭州市西湖区文三路%d号,SKU-1,%d,\n", m, names[i%len(names)], i%10000, 10+i%90, 1+i%3)
	}
	rec := f.do(t, "POST", "/api/v1/orders/import", f.tokens["merchant_admin@ta"], b.String(), "Content-Type", "text/csv")
	if rec.Code != http.StatusOK && rec.Code != http.StatusCreated {
		t.Fatalf("import: %d %s", rec.Code, rec.Body)
	}
}

// gapped returns n merchant order ids prefix + 4 digits from start, with
// gaps at random (the merchant's other channels take numbers too), and the
// next start. The gaps keep no pattern: a decoy may take any skipped number.
func gapped(prefix string, start, n int) ([]string, int) {
	var ids []string
	for range n {
		start = nextGapped(start)
		ids = append(ids, fmt.Sprintf("%s%04d", prefix, start))
	}
	return ids, start
}

// nextGapped is the number after n: n+1, or a few more one time in three,
// drawn from n so that the fixture's data is the same on every run.
func nextGapped(n int) int {
	r := mrand.New(mrand.NewPCG(uint64(n), 0x9e3779b97f4a7c15))
	if r.IntN(3) == 0 {
		return n + 2 + r.IntN(3)
	}
	return n + 1
}

// taOrders lists tenant ta's orders as its merchant admin sees them.
func (f *fixture) taOrders(t *testing.T) []httpapi.OrderJSON {
	t.Helper()
	var all []httpapi.OrderJSON
	cursor := ""
	for {
		var page httpapi.OrderPage
		f.api(t, 200, "GET", "/api/v1/orders?limit=200&cursor="+cursor, "merchant_admin@ta", "", &page)
		all = append(all, page.Items...)
		if page.Next == "" {
			return all
		}
		cursor = page.Next
	}
}

// TestDecoysIndistinguishable schedules decoys, lets the merchant import
// its orders, and runs the distinguishers an insider could: the merchant
// order id pattern and number range, database id adjacency, creation
// times, lines. Each must flag decoys no more often than real orders
// (within a margin); on the old code (decoys "M"+hex, made in one batch of
// their own) every one of them separated the decoys perfectly.
func TestDecoysIndistinguishable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if rec := f.do(t, "POST", "/api/v1/canaries?tenant=ta", f.tokens["security_officer"], `{"count":8}`); rec.Code != 201 {
		t.Fatalf("schedule: %d %s", rec.Code, rec.Body)
	}
	// The merchant's numbering: date + 6-digit sequence with gaps (its
	// other channels take numbers too).
	seq := 1000
	for batch := 0; batch < 40; batch++ {
		var moids []string
		for range 20 + batch%17 {
			seq = nextGapped(seq)
			moids = append(moids, fmt.Sprintf("YWG-20261128-%06d", seq))
		}
		f.importCSV(t, moids)
		f.createOrder(t, f.b, fmt.Sprintf("B-%d", batch)) // another merchant in between
		f.clock.Advance(time.Duration(7+batch%13) * time.Second)
	}
	canaries, err := f.db.CanaryIDs(ctx)
	must(t, err)
	decoy := map[int64]bool{}
	for _, id := range canaries {
		decoy[id] = true
	}
	if len(decoy) < 6 {
		t.Fatalf("%d of 8 decoys made among 40 imports of 20 to 36 orders", len(decoy))
	}
	orders := f.taOrders(t)
	slices.SortFunc(orders, func(a, b httpapi.OrderJSON) int { return int(a.ID - b.ID) })
	pattern := regexp.MustCompile(`^YWG-20261128-\d{6}$`)
	lo, hi := math.MaxInt, 0
	created := map[time.Time]int{}
	for _, o := range orders {
		created[o.CreatedAt]++
		if !decoy[o.ID] && pattern.MatchString(o.MerchantOrderID) {
			n, _ := strconv.Atoi(o.MerchantOrderID[13:])
			lo, hi = min(lo, n), max(hi, n)
		}
	}
	isDecoy := func(i int) bool { return decoy[orders[i].ID] }
	features := map[string]func(i int) bool{
		"id off the merchant's pattern": func(i int) bool { return !pattern.MatchString(orders[i].MerchantOrderID) },
		"number outside the merchant's range": func(i int) bool {
			n, err := strconv.Atoi(strings.TrimPrefix(orders[i].MerchantOrderID, "YWG-20261128-"))
			return err != nil || n < lo || n > hi
		},
		"alone at its creation time": func(i int) bool { return created[orders[i].CreatedAt] == 1 },
		"last of its creation time":  func(i int) bool { return i == len(orders)-1 || !orders[i+1].CreatedAt.Equal(orders[i].CreatedAt) },
		"next to a decoy by id": func(i int) bool {
			return (i > 0 && isDecoy(i-1)) || (i+1 < len(orders) && isDecoy(i+1))
		},
		"masked recipient unlike the others": func(i int) bool {
			r := orders[i].Recipient
			return !strings.Contains(r.Name, "*") || !strings.Contains(r.Phone, "******")
		},
		"lines off the catalogue": func(i int) bool {
			for _, l := range orders[i].Lines {
				if l.SKU != "SKU-1" {
					return true
				}
			}
			return len(orders[i].Lines) == 0
		},
	}
	for name, flag := range features {
		var d, r, nd, nr float64
		for i := range orders {
			if isDecoy(i) {
				nd++
				if flag(i) {
					d++
				}
			} else {
				nr++
				if flag(i) {
					r++
				}
			}
		}
		if d/nd > r/nr+0.35 {
			t.Errorf("%q tells decoys apart: %.0f%% of decoys, %.0f%% of real orders", name, 100*d/nd, 100*r/nr)
		}
	}
	// Decoys sit among real orders: a real order of the merchant before
	// and after every one.
	for i := range orders {
		if isDecoy(i) && (i == 0 || i == len(orders)-1) {
			t.Errorf("decoy %d at the edge of the merchant's orders", orders[i].ID)
		}
	}
}

// TestDecoyCreatedAtomically: if the decoy cannot be flagged, neither it
// nor the real orders of its batch are created; the import fails.
func TestDecoyCreatedAtomically(t *testing.T) {
	f := newFixture(t)
	raw, err := sql.Open("sqlite", "file:"+f.path)
	must(t, err)
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TRIGGER canaries_down BEFORE INSERT ON canaries BEGIN SELECT RAISE(ABORT, 'flagging unavailable'); END`); err != nil {
		t.Fatal(err)
	}
	if rec := f.do(t, "POST", "/api/v1/canaries?tenant=ta", f.tokens["security_officer"], `{"count":1}`); rec.Code != 201 {
		t.Fatalf("schedule: %d", rec.Code)
	}
	count := func() int {
		var n int
		must(t, raw.QueryRow(`SELECT COUNT(*) FROM orders`).Scan(&n))
		return n
	}
	failed := false
	for i := 0; i < 40 && !failed; i++ {
		before := count()
		moids, _ := gapped(fmt.Sprintf("AT%02d-", i), 0, 60)
		var b strings.Builder
		b.WriteString("merchant_order_id,recipient_name,recipient_phone,recipient_address,sku,quantity\n")
		for _, m := range moids {
			fmt.Fprintf(&b, "%s,张伟,13900001111,浙江省杭州市西湖区文三路8号,SKU-1,1\n", m)
		}
		rec := f.do(t, "POST", "/api/v1/orders/import", f.tokens["merchant_admin@ta"], b.String(), "Content-Type", "text/csv")
		switch {
		case rec.Code >= 500:
			failed = true
			if n := count(); n != before {
				t.Fatalf("a failed decoy flag left %d orders behind", n-before)
			}
		case count() != before+len(moids):
			// More would be a decoy stored without its flag.
			t.Fatalf("import without a decoy created %d orders, want %d", count()-before, len(moids))
		}
	}
	if !failed {
		t.Fatal("no import tried to place the decoy")
	}
}

// decoyWorld gives tenant ta a carrier, stock of SKU-1 and one decoy made
// among its imported orders, all unpaid; it returns the decoy and a real
// order of the same import.
func decoyWorld(t *testing.T, f *fixture, stock int) (decoy, real int64) {
	t.Helper()
	ctx := context.Background()
	f.api(t, 200, "PUT", "/api/v1/planning-config", "merchant_admin@ta", `{"carriers":[{"code":"ZTO","name":"中通快递","max_weight_g":30000,"max_volume_cm3":150000,"cutoff":"18:00",
		"rates":[{"from":"*","to":"*","first_fen":800,"additional_fen":200,"days":2}]}]}`, nil)
	f.api(t, 200, "PUT", "/api/v1/warehouses/YW1/stock?tenant=ta", "operator", fmt.Sprintf(`{"sku":"SKU-1","on_hand":%d}`, stock), nil)
	if rec := f.do(t, "POST", "/api/v1/canaries?tenant=ta", f.tokens["security_officer"], `{"count":1}`); rec.Code != 201 {
		t.Fatalf("schedule: %d", rec.Code)
	}
	var ids []int64
	for i := 0; i < 40 && len(ids) == 0; i++ {
		moids, _ := gapped(fmt.Sprintf("NA%02d-", i), 0, 60)
		f.importCSV(t, moids)
		var err error
		ids, err = f.db.CanaryIDs(ctx)
		must(t, err)
	}
	if len(ids) == 0 {
		t.Fatal("no decoy made")
	}
	for _, o := range f.taOrders(t) {
		if o.ID != ids[0] && o.Status == yuncang.OrderCreated {
			return ids[0], o.ID
		}
	}
	t.Fatal("no real order")
	return 0, 0
}

// sameAnswer fails unless the two answers agree in what tells an order's
// state — HTTP status, the JSON fields present, statuses, reasons, error
// codes and messages (its own id set aside) — which is what an insider
// compares; values that differ between any two real orders (ids, times,
// recipients, lines) are set aside.
func sameAnswer(t *testing.T, what string, a, b *httptest.ResponseRecorder, ids ...string) {
	t.Helper()
	keep := map[string]bool{"status": true, "reason": true, "code": true, "title": true, "type": true, "detail": true, "problem": true, "field": true, "method": true}
	var walk func(key string, v any) any
	walk = func(key string, v any) any {
		switch x := v.(type) {
		case map[string]any:
			out := map[string]any{}
			for k, e := range x {
				if k != "street" && k != "street_code" { // present when the address names one, real or decoy
					out[k] = walk(k, e)
				}
			}
			return out
		case []any:
			set := map[string]any{}
			for _, e := range x {
				n := walk(key, e)
				b, _ := json.Marshal(n)
				set[string(b)] = n
			}
			return set
		case string:
			if keep[key] {
				return regexp.MustCompile(`\d+`).ReplaceAllString(x, "N")
			}
		}
		return "·"
	}
	norm := func(rec *httptest.ResponseRecorder) string {
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			return fmt.Sprintf("%d %s", rec.Code, rec.Body)
		}
		b, _ := json.Marshal(walk("", v))
		return fmt.Sprintf("%d %s", rec.Code, b)
	}
	if x, y := norm(a), norm(b); x != y {
		t.Errorf("%s: a decoy answers\n  %s\nwhere a real order answers\n  %s\n(%s\n %s)", what, x, y, a.Body, b.Body)
	}
}

// TestDecoyAnswersAsARealOrder: every route that takes an order id answers
// for a decoy as for a real order in the same status — unpaid, refused by
// allocation with the same conflict (the old code said "no such order": an
// oracle); paid, back-ordered for lack of stock as a real order is when
// its goods are gone — while the decoy never takes stock, a parcel or a
// plan's reservation.
func TestDecoyAnswersAsARealOrder(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	d, r := decoyWorld(t, f, 0)
	di, ri := itoa(d), itoa(r)
	ma := f.tokens["merchant_admin@ta"]
	alloc := func(id int64) *httptest.ResponseRecorder {
		return f.do(t, "POST", "/api/v1/allocations", ma, fmt.Sprintf(`{"order_ids":[%d]}`, id))
	}
	sameAnswer(t, "GET order", f.do(t, "GET", "/api/v1/orders/"+di, ma, ""), f.do(t, "GET", "/api/v1/orders/"+ri, ma, ""), di, ri)
	sameAnswer(t, "allocating an unpaid order", alloc(d), alloc(r), di, ri)
	pay := `{"status":"paid","reason":"payment_confirmed"}`
	sameAnswer(t, "paying", f.do(t, "POST", "/api/v1/orders/"+di+"/status", ma, pay), f.do(t, "POST", "/api/v1/orders/"+ri+"/status", ma, pay), di, ri)
	sameAnswer(t, "paying twice", f.do(t, "POST", "/api/v1/orders/"+di+"/status", ma, pay), f.do(t, "POST", "/api/v1/orders/"+ri+"/status", ma, pay), di, ri)
	// No stock: the real order is back-ordered; so is the decoy.
	sameAnswer(t, "allocating a paid order without stock", alloc(d), alloc(r), di, ri)
	sameAnswer(t, "fulfilment", f.do(t, "GET", "/api/v1/orders/"+di+"/fulfilment", ma, ""), f.do(t, "GET", "/api/v1/orders/"+ri+"/fulfilment", ma, ""), di, ri)
	// Stock arrives: the real order is allocated, the decoy stays back-ordered
	// (as a real order whose goods another order took), swept up or asked for.
	f.api(t, 200, "PUT", "/api/v1/warehouses/YW1/stock?tenant=ta", "operator", `{"sku":"SKU-1","on_hand":1000}`, nil)
	f.api(t, 200, "POST", "/api/v1/allocations", "merchant_admin@ta", `{}`, nil)
	var out struct{ Orders []httpapi.FulfilmentJSON }
	f.api(t, 200, "POST", "/api/v1/allocations", "merchant_admin@ta", fmt.Sprintf(`{"order_ids":[%d]}`, d), &out)
	if len(out.Orders) != 1 || out.Orders[0].Status != yuncang.OrderBackorder || out.Orders[0].Plan == nil || out.Orders[0].Plan.Reason != "no_stock" {
		t.Fatalf("decoy allocated by id: %+v", out.Orders)
	}
	for id, want := range map[int64]string{d: yuncang.OrderBackorder, r: yuncang.OrderAllocated} {
		st, err := f.db.OrderState(ctx, f.a.ID, id)
		must(t, err)
		if st.Status != want || (id == d) != (len(st.Parcels) == 0) {
			t.Fatalf("order %d after allocation: %s with %d parcels, want %s", id, st.Status, len(st.Parcels), want)
		}
	}
}

// TestDecoyMovedByHandAlerts: paying, allocating or cancelling a decoy by
// its id is a touch: each raises a canary alert naming the person, while
// the answer stays a real order's (the account is not suspended: a
// refusal would tell which order was the decoy). The same moves of a real
// order, and allocating every paid order at once, raise nothing. On the
// old code none of these raised an alert.
func TestDecoyMovedByHandAlerts(t *testing.T) {
	f, sink := newGuardFixture(t)
	d, r := decoyWorld(t, f, 0)
	ma := f.tokens["merchant_admin@ta"]
	alerts := func() []httpapi.AlertJSON {
		var page struct{ Items []httpapi.AlertJSON }
		f.api(t, 200, "GET", "/api/v1/alerts?status=open", "security_officer", "", &page)
		return page.Items
	}
	moves := []struct{ name, path, body string }{
		{"pay", "/api/v1/orders/%d/status", `{"status":"paid","reason":"payment_confirmed"}`},
		{"allocate", "/api/v1/allocations", `{"order_ids":[%d]}`},
		{"cancel", "/api/v1/orders/%d/status", `{"status":"cancelled","reason":"buyer_cancelled"}`},
	}
	do := func(path, body string, id int64) *httptest.ResponseRecorder {
		if strings.Contains(path, "%d") {
			path = fmt.Sprintf(path, id)
		} else {
			body = fmt.Sprintf(body, id)
		}
		return f.do(t, "POST", path, ma, body)
	}
	for _, m := range moves {
		if rec := do(m.path, m.body, r); rec.Code != 200 {
			t.Fatalf("%s a real order: %d %s", m.name, rec.Code, rec.Body)
		}
	}
	f.api(t, 200, "POST", "/api/v1/allocations", "merchant_admin@ta", `{}`, nil)
	if n := len(alerts()); n != 0 {
		t.Fatalf("moving real orders raised %d alerts", n)
	}
	for i, m := range moves {
		if rec := do(m.path, m.body, d); rec.Code != 200 {
			t.Fatalf("%s the decoy: %d %s (a real order answers 200)", m.name, rec.Code, rec.Body)
		}
		al := alerts()
		if len(al) != i+1 || al[0].Rule != "canary" || al[0].Username != "merchant_admin-ta" || al[0].Response != "alerted" {
			t.Fatalf("%s the decoy: alerts %+v", m.name, al)
		}
	}
	if rec := f.do(t, "GET", "/api/v1/me", ma, ""); rec.Code != 200 {
		t.Fatalf("the account after moving a decoy: %d", rec.Code)
	}
	f.notifier.Wait()
	if len(sink.alerts) != len(moves) || sink.bad != 0 {
		t.Fatalf("webhook: %d alerts (bad %d)", len(sink.alerts), sink.bad)
	}
}
