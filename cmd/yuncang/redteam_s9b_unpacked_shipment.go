package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// (9b) Shipments for any order: an operator creates shipments in its
// warehouse for orders that were never paid, allocated, picked or packed,
// prints them and hands them to the carrier in a manifest; the carrier (in
// league, or its key stolen) reads the manifest and resolves the virtual
// numbers on it. Every one of those orders is a side-door record.
func init() {
	registerScenario(scenario{ID: "9b", Name: "shipment and manifest for orders never packed",
		Target: target{MaxLeaked: 0},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("operator1")
			a.as("carrier-sf")
			rt.at(2, 10, 0)
			station := rt.logins["operator1"].device()
			dev := []string{"X-Yuncang-Device", station}
			op, err := rt.mustLogin("operator1", dev...)
			if err != nil {
				return err
			}
			for _, tenant := range []string{"yiwu-goods", "hz-fresh"} {
				for _, oid := range rt.orders[tenant][:5] { // imported, never paid nor packed
					rt.clock.Advance(time.Minute)
					st, body := a.try("POST", "/api/v1/warehouses/YW01/shipments?tenant="+tenant, op,
						fmt.Sprintf(`{"order_id":%d,"carrier":"SF","weight_g":800,"sender":%s}`, oid, senderJSON), dev...)
					if st != 201 {
						continue
					}
					var sh struct{ ID int64 }
					json.Unmarshal([]byte(body), &sh)
					a.try("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d/label?format=zpl", sh.ID), op, "", dev...)
				}
			}
			rt.clock.Advance(time.Minute)
			a.try("POST", "/api/v1/warehouses/YW01/manifests", op, `{"carrier":"SF"}`, dev...)
			// The carrier's side.
			carrier := rt.logins["carrier-sf"]
			id, err := age.ParseX25519Identity(carrier.CarrierKey)
			if err != nil {
				return err
			}
			_, list := a.try("GET", "/api/v1/carrier/manifests", carrier.APIToken, "")
			var ms struct {
				Items []struct{ ID int64 } `json:"items"`
			}
			json.Unmarshal([]byte(list), &ms)
			phoneRE := regexp.MustCompile(`"phone":"(\d{11}),(\d{4})"`)
			for _, m := range ms.Items {
				st, body := a.try("GET", fmt.Sprintf("/api/v1/carrier/manifests/%d", m.ID), carrier.APIToken, "")
				if st != 200 {
					continue
				}
				var mj struct {
					Age string `json:"age"`
				}
				json.Unmarshal([]byte(body), &mj)
				r, err := age.Decrypt(armor.NewReader(strings.NewReader(mj.Age)), id)
				if err != nil {
					return fmt.Errorf("decrypt manifest: %w", err)
				}
				plain, err := io.ReadAll(r)
				if err != nil {
					return err
				}
				a.inspect(string(plain)) // what the carrier now holds
				for _, mm := range phoneRE.FindAllStringSubmatch(string(plain), -1) {
					rt.clock.Advance(30 * time.Second)
					a.try("POST", "/api/v1/carrier/resolve", carrier.APIToken, fmt.Sprintf(`{"virtual_number":%q,"extension":%q}`, mm[1], mm[2]))
				}
			}
			return nil
		}})
}
