package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/yuncang/yuncang/demodata"
)

// floor runs the warehouse flow the proper way (set-up, not an attack):
// the merchant pays and allocates, YW01's staff wave, pick, pack, weigh and
// create the parcel's shipment. Scenarios that need a label of a packed
// parcel use it, so that they keep measuring once the direct shipment
// route is gone.
type floor struct {
	rt       *redteam
	tenant   string
	merchant string // merchant admin session
	op, dev  string // YW01 operator session and station
}

// newFloor logs the merchant's administrator in and plans its parcels with
// SF, the carrier configured in the demo, keeping the default zones and
// rates so that the nearest warehouse ships.
func newFloor(rt *redteam, tenant, op, dev string) (*floor, error) {
	merchant, err := rt.mustLogin(tenant + "-admin")
	if err != nil {
		return nil, err
	}
	st, body := rt.call("GET", "/api/v1/planning-config", merchant, "")
	var got struct {
		Config map[string]any `json:"config"`
	}
	if st != 200 || json.Unmarshal([]byte(body), &got) != nil {
		return nil, fmt.Errorf("planning config: %d %s", st, body)
	}
	carriers, _ := got.Config["carriers"].([]any)
	if len(carriers) == 0 {
		return nil, fmt.Errorf("planning config without carriers")
	}
	sf := carriers[0].(map[string]any)
	sf["code"], sf["name"] = "SF", "顺丰速运"
	got.Config["carriers"] = []any{sf}
	b, _ := json.Marshal(got.Config)
	if st, body := rt.call("PUT", "/api/v1/planning-config", merchant, string(b)); st != 200 {
		return nil, fmt.Errorf("set planning config: %d %s", st, body)
	}
	return &floor{rt: rt, tenant: tenant, merchant: merchant, op: op, dev: dev}, nil
}

// ship takes one imported order to a shipment in YW01 and returns its id.
func (f *floor) ship(orderID int64) (int64, error) {
	rt, q, dev := f.rt, "?tenant="+f.tenant, []string{"X-Yuncang-Device", f.dev}
	step := func(who, method, path, body string, want int, out any, headers ...string) error {
		st, resp := rt.call(method, path, who, body, headers...)
		if st != want {
			return fmt.Errorf("%s %s: %d %s", method, strings.SplitN(path, "?", 2)[0], st, resp)
		}
		if out != nil {
			return json.Unmarshal([]byte(resp), out)
		}
		return nil
	}
	if err := step(f.merchant, "POST", fmt.Sprintf("/api/v1/orders/%d/status", orderID), `{"status":"paid","reason":"payment_confirmed"}`, 200, nil); err != nil {
		return 0, err
	}
	var alloc struct {
		Orders []struct {
			Parcels []struct {
				ID        int64  `json:"id"`
				Warehouse string `json:"warehouse"`
				Lines     []struct {
					SKU      string `json:"sku"`
					Quantity int    `json:"quantity"`
				} `json:"lines"`
			} `json:"parcels"`
		} `json:"orders"`
	}
	if err := step(f.merchant, "POST", "/api/v1/allocations", fmt.Sprintf(`{"order_ids":[%d]}`, orderID), 200, &alloc); err != nil {
		return 0, err
	}
	if len(alloc.Orders) != 1 || len(alloc.Orders[0].Parcels) != 1 || alloc.Orders[0].Parcels[0].Warehouse != "YW01" {
		return 0, fmt.Errorf("order %d was not allocated to one parcel in YW01: %+v", orderID, alloc)
	}
	p := alloc.Orders[0].Parcels[0]
	var wave struct {
		ID    int64 `json:"id"`
		Picks []struct {
			Location string `json:"location"`
			SKU      string `json:"sku"`
			Qty      int    `json:"qty"`
		} `json:"picks"`
	}
	if err := step(f.op, "POST", "/api/v1/warehouses/YW01/waves"+q, `{}`, 201, &wave, dev...); err != nil {
		return 0, err
	}
	for _, pk := range wave.Picks {
		if err := step(f.op, "POST", fmt.Sprintf("/api/v1/warehouses/YW01/waves/%d/picks%s", wave.ID, q),
			fmt.Sprintf(`{"location":%q,"sku":%q,"qty":%d}`, pk.Location, pk.SKU, pk.Qty), 200, nil, dev...); err != nil {
			return 0, err
		}
	}
	var scans []string
	net := 0
	for _, l := range p.Lines {
		for _, s := range demodata.SKUs(f.tenant) {
			if s.Code == l.SKU {
				for range l.Quantity {
					scans = append(scans, s.Barcode)
				}
				net += s.WeightG * l.Quantity
			}
		}
	}
	b, _ := json.Marshal(map[string]any{"barcodes": scans})
	if err := step(f.op, "POST", fmt.Sprintf("/api/v1/warehouses/YW01/parcels/%d/pack%s", p.ID, q), string(b), 200, nil, dev...); err != nil {
		return 0, err
	}
	if err := step(f.op, "POST", fmt.Sprintf("/api/v1/warehouses/YW01/parcels/%d/weigh%s", p.ID, q), fmt.Sprintf(`{"gross_g":%d,"tare_g":200}`, net+210), 200, nil, dev...); err != nil {
		return 0, err
	}
	var sh struct{ ID int64 }
	if err := step(f.op, "POST", fmt.Sprintf("/api/v1/warehouses/YW01/parcels/%d/shipment%s", p.ID, q), `{"sender":`+senderJSON+`}`, 201, &sh, dev...); err != nil {
		return 0, err
	}
	return sh.ID, nil
}
