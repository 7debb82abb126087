package httpapi_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// The warehouse operations routes in the authorization matrix.
func init() {
	floor := []string{pa, ws, op}
	for route, roles := range map[string][]string{
		"GET /api/v1/warehouses/{warehouse}/locations":               floor,
		"POST /api/v1/warehouses/{warehouse}/locations":              {pa, ws},
		"PUT /api/v1/skus/{sku}/lot-tracking":                        {pa, ma},
		"POST /api/v1/asns":                                          {pa, ma, ms},
		"GET /api/v1/asns":                                           {pa, ma, ms},
		"GET /api/v1/asns/{asn}":                                     {pa, ma, ms},
		"GET /api/v1/warehouses/{warehouse}/asns":                    floor,
		"POST /api/v1/warehouses/{warehouse}/asns/{asn}/receive":     floor,
		"POST /api/v1/warehouses/{warehouse}/asns/{asn}/close":       floor,
		"POST /api/v1/warehouses/{warehouse}/moves":                  floor,
		"POST /api/v1/warehouses/{warehouse}/counts":                 floor,
		"GET /api/v1/warehouses/{warehouse}/location-stock":          {pa, ws, op, ma, ms},
		"GET /api/v1/ledger":                                         {pa, ma, ms},
		"GET /api/v1/ledger/check":                                   {pa, ma, ms},
		"GET /api/v1/planning-config":                                {pa, ma, ms},
		"PUT /api/v1/planning-config":                                {pa, ma},
		"POST /api/v1/allocations":                                   {pa, ma, ms},
		"POST /api/v1/orders/{id}/status":                            {ma, ms},
		"GET /api/v1/orders/{id}/fulfilment":                         {pa, ma, ms, cs},
		"POST /api/v1/warehouses/{warehouse}/waves":                  floor,
		"GET /api/v1/warehouses/{warehouse}/waves":                   floor,
		"GET /api/v1/warehouses/{warehouse}/waves/{wave}":            floor,
		"POST /api/v1/warehouses/{warehouse}/waves/{wave}/picks":     floor,
		"POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/pack":  floor,
		"POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/weigh": floor,
		"POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/ship":  floor,
		"POST /api/v1/parcels/{parcel}/delivered":                    {pa, ca},
		"GET /api/v1/analytics/logistics":                            {pa, ma, ms},
		"GET /api/v1/warehouses/{warehouse}/analytics/logistics":     {pa, ws},
	} {
		allowed[route] = roles
		if !strings.HasPrefix(route, "POST /api/v1/warehouses/{warehouse}/locations") && !strings.HasPrefix(route, "GET /api/v1/warehouses/{warehouse}/locations") &&
			route != "GET /api/v1/warehouses/{warehouse}/analytics/logistics" {
			tenantScoped = append(tenantScoped, route)
		}
		if strings.Contains(route, "{warehouse}") {
			warehouseScoped = append(warehouseScoped, route)
		}
	}
}

// api sends a request and decodes the JSON answer, failing on an
// unexpected status.
func (f *fixture) api(t *testing.T, want int, method, path, actor, body string, out any) {
	t.Helper()
	rec := f.do(t, method, path, f.tokens[actor], body)
	if rec.Code != want {
		t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, actor, rec.Code, want, rec.Body)
	}
	if out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
}

// balanced checks through the API that the tenant's books balance.
func (f *fixture) balanced(t *testing.T, step string) {
	t.Helper()
	var b struct {
		Balanced    bool     `json:"balanced"`
		Differences []string `json:"differences"`
	}
	f.api(t, 200, "GET", "/api/v1/ledger/check", "merchant_admin@ta", "", &b)
	if !b.Balanced {
		t.Fatalf("after %s the books do not balance: %v", step, b.Differences)
	}
}

type parcelView struct {
	ID        int64  `json:"id"`
	Warehouse string `json:"warehouse"`
	Carrier   string `json:"carrier"`
	Status    string `json:"status"`
	WeightG   int    `json:"weight_g"`
	Lines     []struct {
		SKU      string `json:"sku"`
		Quantity int    `json:"quantity"`
	} `json:"lines"`
	Explanation string `json:"explanation"`
}

type fulfilmentView struct {
	OrderID int64        `json:"order_id"`
	Status  string       `json:"status"`
	Parcels []parcelView `json:"parcels"`
	Plan    *struct {
		Explanation string `json:"explanation"`
		CostFen     int64  `json:"cost_fen"`
	} `json:"plan"`
	History []struct {
		ParcelID int64  `json:"parcel_id"`
		To       string `json:"to"`
	} `json:"history"`
}

// TestWarehouseEndToEnd walks one merchant's goods through the API: ASN,
// receiving, putaway, orders, payment, splitting, waves, picking, pack
// scan, weighing, shipping (through this package's own ship endpoint: the
// waybill work hooks ShipParcel when it lands) and delivery, with the
// ledger checked after every step and no recipient data in any answer.
func TestWarehouseEndToEnd(t *testing.T) {
	f := newFixture(t)
	var bodies []string
	keep := func(s string) { bodies = append(bodies, s) }
	const sup, oper, mer = "warehouse_supervisor", "operator", "merchant_admin@ta"

	f.api(t, 201, "POST", "/api/v1/warehouses/YW1/locations", sup, `{"locations":[
		{"zone":"A","aisle":"01","bin":"1"},{"zone":"A","aisle":"01","bin":"2"},
		{"zone":"A","aisle":"02","bin":"1"},{"zone":"A","aisle":"02","bin":"2"}]}`, nil)
	f.api(t, 403, "POST", "/api/v1/warehouses/GZ1/locations", sup, `{"locations":[{"zone":"A","aisle":"1","bin":"1"}]}`, nil)
	f.api(t, 201, "POST", "/api/v1/skus", mer, `{"code":"SKU-2","barcode":"690002","name":"茶具","weight_g":500,"volume_cm3":2000}`, nil)

	var asn struct {
		ID    int64 `json:"id"`
		Lines []struct {
			SKU   string `json:"sku"`
			Over  int    `json:"over"`
			Short int    `json:"short"`
		} `json:"lines"`
	}
	f.api(t, 201, "POST", "/api/v1/asns", mer, `{"warehouse":"YW1","ref":"ASN-E2E","lines":[{"sku":"SKU-1","expected":20},{"sku":"SKU-2","expected":5}]}`, &asn)
	f.api(t, 403, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/asns/%d/receive?tenant=ta", asn.ID), "merchant_admin@ta", `{"lines":[]}`, nil)
	f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/YW1/asns/%d/receive?tenant=ta", asn.ID), oper,
		`{"lines":[{"sku":"SKU-1","qty":18,"damaged":2},{"sku":"SKU-2","qty":6}]}`, &asn)
	if asn.Lines[0].Short != 2 || asn.Lines[1].Over != 1 {
		t.Fatalf("receipt: %+v", asn.Lines)
	}
	f.balanced(t, "receiving")
	f.api(t, 200, "POST", "/api/v1/warehouses/YW1/moves?tenant=ta", oper, `{"sku":"SKU-1","to":"A-02-2","qty":18}`, nil)
	f.api(t, 200, "POST", "/api/v1/warehouses/YW1/moves?tenant=ta", oper, `{"sku":"SKU-2","to":"A-01-1","qty":6}`, nil)
	f.balanced(t, "putaway")
	f.api(t, 200, "PUT", "/api/v1/warehouses/GZ1/stock?tenant=ta", "platform_admin", `{"sku":"SKU-2","on_hand":3}`, nil)
	f.balanced(t, "stock set in GZ1")

	order := func(moid, addr string, lines string) int64 {
		rec := f.do(t, "POST", "/api/v1/orders", f.tokens[mer], `{"merchant_order_id":"`+moid+`","lines":`+lines+`,
			"recipient":{"name":"欧阳娜娜","phone":"13812345678","address":"`+addr+`"}}`)
		if rec.Code != 201 {
			t.Fatalf("order %s: %d %s", moid, rec.Code, rec.Body)
		}
		var o struct {
			ID int64 `json:"id"`
		}
		json.Unmarshal(rec.Body.Bytes(), &o)
		return o.ID
	}
	o1 := order("E2E-1", "浙江省金华市义乌市稠城街道工人北路1088号3单元502室", `[{"sku":"SKU-1","quantity":2}]`)
	o2 := order("E2E-2", "广东省广州市天河区天河南街道体育西路191号2栋1201室", `[{"sku":"SKU-1","quantity":1},{"sku":"SKU-2","quantity":8}]`)
	f.api(t, 409, "POST", "/api/v1/allocations", mer, fmt.Sprintf(`{"order_ids":[%d]}`, o1), nil) // unpaid
	for _, id := range []int64{o1, o2} {
		f.api(t, 200, "POST", fmt.Sprintf("/api/v1/orders/%d/status", id), mer, `{"status":"paid","reason":"payment_confirmed"}`, nil)
	}
	f.api(t, 400, "POST", fmt.Sprintf("/api/v1/orders/%d/status", o1), mer, `{"status":"shipped"}`, nil) // not a merchant's move
	var alloc struct {
		Orders []fulfilmentView `json:"orders"`
	}
	rec := f.do(t, "POST", "/api/v1/allocations", f.tokens[mer], `{}`)
	if rec.Code != 200 {
		t.Fatalf("allocate: %d %s", rec.Code, rec.Body)
	}
	keep(rec.Body.String())
	json.Unmarshal(rec.Body.Bytes(), &alloc)
	if len(alloc.Orders) != 2 {
		t.Fatalf("allocated %d orders", len(alloc.Orders))
	}
	split := alloc.Orders[1]
	if split.Status != "allocated" || len(split.Parcels) < 2 || split.Plan == nil || split.Plan.Explanation == "" {
		t.Fatalf("order 2 not split: %+v", split)
	}
	f.balanced(t, "allocation")

	// Waves, picks, pack, weigh, ship in both warehouses.
	weights := map[string]int{"SKU-1": 100, "SKU-2": 500}
	barcodes := map[string]string{"SKU-1": "690001", "SKU-2": "690002"}
	for _, site := range []struct{ wh, actor string }{{"YW1", oper}, {"GZ1", "platform_admin"}} {
		for {
			var wave struct {
				ID    int64 `json:"id"`
				Picks []struct {
					Location string `json:"location"`
					SKU      string `json:"sku"`
					Qty      int    `json:"qty"`
				} `json:"picks"`
				Parcels []int64 `json:"parcels"`
			}
			rec := f.do(t, "POST", "/api/v1/warehouses/"+site.wh+"/waves?tenant=ta", f.tokens[site.actor], `{}`)
			if rec.Code == 409 {
				// Nothing left waiting: a conflict with the state, not
				// a missing resource (it answered 404).
				if !strings.Contains(rec.Body.String(), "no allocated parcels are waiting") {
					t.Fatalf("wave with nothing waiting: %s", rec.Body)
				}
				break
			}
			if rec.Code != 201 {
				t.Fatalf("wave: %d %s", rec.Code, rec.Body)
			}
			keep(rec.Body.String())
			json.Unmarshal(rec.Body.Bytes(), &wave)
			f.balanced(t, "wave")
			for i, p := range wave.Picks {
				if site.wh == "YW1" && i > 0 && p.Location < wave.Picks[i-1].Location {
					t.Fatalf("pick list out of walking order: %+v", wave.Picks)
				}
				f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/waves/%d/picks?tenant=ta", site.wh, wave.ID), site.actor,
					fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, p.Location, p.SKU, p.Qty), nil)
				f.balanced(t, "pick")
			}
			for _, pid := range wave.Parcels {
				var pv parcelView
				f.api(t, 409, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/ship?tenant=ta", site.wh, pid), site.actor, `{"waybill_no":"YT1"}`, nil)
				var scans []string
				net := 0
				for _, o := range []int64{o1, o2} {
					var st fulfilmentView // fresh: decoding reuses slices
					f.api(t, 200, "GET", fmt.Sprintf("/api/v1/orders/%d/fulfilment", o), mer, "", &st)
					for _, p := range st.Parcels {
						if p.ID == pid {
							pv = p
						}
					}
				}
				for _, l := range pv.Lines {
					for range l.Quantity {
						scans = append(scans, barcodes[l.SKU])
					}
					net += weights[l.SKU] * l.Quantity
				}
				wrong, _ := json.Marshal(map[string]any{"barcodes": append(append([]string{}, scans[1:]...), "999999")})
				f.api(t, 400, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/pack?tenant=ta", site.wh, pid), site.actor, string(wrong), nil)
				short, _ := json.Marshal(map[string]any{"barcodes": scans[1:]})
				if len(scans) > 1 {
					f.api(t, 400, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/pack?tenant=ta", site.wh, pid), site.actor, string(short), nil)
				}
				good, _ := json.Marshal(map[string]any{"barcodes": scans})
				f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/pack?tenant=ta", site.wh, pid), site.actor, string(good), nil)
				f.api(t, 400, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/weigh?tenant=ta", site.wh, pid), site.actor,
					fmt.Sprintf(`{"gross_g":%d,"tare_g":200}`, net+200+net/2+60), nil)
				f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/weigh?tenant=ta", site.wh, pid), site.actor,
					fmt.Sprintf(`{"gross_g":%d,"tare_g":200}`, net+210), nil)
				f.api(t, 200, "POST", fmt.Sprintf("/api/v1/warehouses/%s/parcels/%d/ship?tenant=ta", site.wh, pid), site.actor,
					fmt.Sprintf(`{"waybill_no":"YT%010d"}`, pid), nil)
				f.balanced(t, "ship")
			}
		}
	}
	// The carrier reports deliveries.
	for _, o := range []int64{o1, o2} {
		var st fulfilmentView
		f.api(t, 200, "GET", fmt.Sprintf("/api/v1/orders/%d/fulfilment", o), mer, "", &st)
		if st.Status != "shipped" {
			t.Fatalf("order %d is %s", o, st.Status)
		}
		for _, p := range st.Parcels {
			f.api(t, 200, "POST", fmt.Sprintf("/api/v1/parcels/%d/delivered?tenant=ta", p.ID), "carrier", `{}`, nil)
		}
		f.api(t, 404, "POST", fmt.Sprintf("/api/v1/parcels/%d/delivered?tenant=tb", st.Parcels[0].ID), "carrier", `{}`, nil)
		rec := f.do(t, "GET", fmt.Sprintf("/api/v1/orders/%d/fulfilment", o), f.tokens[mer], "")
		keep(rec.Body.String())
		json.Unmarshal(rec.Body.Bytes(), &st)
		if st.Status != "delivered" {
			t.Fatalf("order %d is %s after delivery", o, st.Status)
		}
		var orderSteps []string
		for _, h := range st.History {
			if h.ParcelID == 0 {
				orderSteps = append(orderSteps, h.To)
			}
		}
		if got := strings.Join(orderSteps, ","); got != "paid,allocated,picking,packed,shipped,delivered" {
			t.Fatalf("order %d history: %s", o, got)
		}
	}
	f.balanced(t, "delivery")
	f.api(t, 409, "POST", fmt.Sprintf("/api/v1/orders/%d/status", o1), mer, `{"status":"cancelled","reason":"customer_request"}`, nil)

	// Analytics, and no personal data anywhere along the way.
	for _, q := range []string{"", "merchant", "warehouse", "carrier", "province"} {
		rec := f.do(t, "GET", "/api/v1/analytics/logistics?from=2026-11-01&to=2026-11-30&group_by="+q, f.tokens[mer], "")
		if rec.Code != 200 {
			t.Fatalf("analytics %s: %d %s", q, rec.Code, rec.Body)
		}
		keep(rec.Body.String())
		if q == "" {
			var st struct {
				Rows []struct {
					Parcels     int     `json:"parcels"`
					Orders      int     `json:"orders"`
					SplitOrders int     `json:"split_orders"`
					OnTimeRate  float64 `json:"on_time_rate"`
				} `json:"rows"`
			}
			json.Unmarshal(rec.Body.Bytes(), &st)
			if len(st.Rows) != 1 || st.Rows[0].Orders != 2 || st.Rows[0].SplitOrders != 1 || st.Rows[0].OnTimeRate != 1 {
				t.Fatalf("analytics: %s", rec.Body)
			}
		}
	}
	rec = f.do(t, "GET", "/api/v1/warehouses/YW1/analytics/logistics?group_by=merchant&from=2026-11-01&to=2026-11-30", f.tokens[sup], "")
	keep(rec.Body.String())
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"key":"ta"`) {
		t.Fatalf("warehouse analytics: %d %s", rec.Code, rec.Body)
	}
	for _, path := range []string{"/api/v1/ledger", "/api/v1/warehouses/YW1/location-stock"} {
		rec := f.do(t, "GET", path, f.tokens[mer], "")
		keep(rec.Body.String())
	}
	for _, b := range bodies {
		for _, pi := range []string{"欧阳", "娜娜", "13812345678", "5678", "工人北路", "体育西路", "502室"} {
			if strings.Contains(b, pi) {
				t.Fatalf("personal data %q in a warehouse answer: %s", pi, b)
			}
		}
	}
}
