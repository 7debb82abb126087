package httpapi_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net/http"
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

// TestDecoysNeverAllocated: paid or not, asked for by id or swept up with
// every paid order, a decoy never gets a plan or a parcel.
func TestDecoysNeverAllocated(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.api(t, 200, "PUT", "/api/v1/planning-config", "merchant_admin@ta", `{"carriers":[{"code":"ZTO","name":"中通快递","max_weight_g":30000,"max_volume_cm3":150000,"cutoff":"18:00",
		"rates":[{"from":"*","to":"*","first_fen":800,"additional_fen":200,"days":2}]}]}`, nil)
	f.api(t, 200, "PUT", "/api/v1/warehouses/YW1/stock?tenant=ta", "operator", `{"sku":"SKU-1","on_hand":1000}`, nil)
	if rec := f.do(t, "POST", "/api/v1/canaries?tenant=ta", f.tokens["security_officer"], `{"count":2}`); rec.Code != 201 {
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
	d := ids[0]
	// Whoever pays everything…
	for _, o := range f.taOrders(t) {
		f.api(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", o.ID), "merchant_admin@ta", `{"status":"paid","reason":"payment_confirmed"}`, nil)
	}
	// …cannot allocate the decoy by id…
	if rec := f.do(t, "POST", "/api/v1/allocations", f.tokens["merchant_admin@ta"], fmt.Sprintf(`{"order_ids":[%d]}`, d)); rec.Code < 400 {
		t.Fatalf("allocating a decoy by id: %d %s", rec.Code, rec.Body)
	}
	// …nor with every paid order.
	f.api(t, 200, "POST", "/api/v1/allocations", "merchant_admin@ta", `{}`, nil)
	st, err := f.db.OrderState(ctx, f.a.ID, d)
	must(t, err)
	if st.Status != yuncang.OrderPaid || len(st.Parcels) != 0 || st.Plan != nil {
		t.Fatalf("decoy after allocation: %s, %d parcels", st.Status, len(st.Parcels))
	}
}
