package main

import (
	"context"
	"fmt"
	"time"

	"github.com/yuncang/yuncang"
)

// (6) The carrier's API key in the wrong hands: resolving virtual numbers
// in bulk (guessing extensions), and looking parcels up by number.
func init() {
	registerScenario(scenario{ID: "6", Name: "carrier key: bulk virtual-number resolve and waybill lookup", Target: target{MaxLeaked: 10},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("carrier-sf")
			rt.at(4, 10, 0)
			if _, err := rt.addStaff(ctx, "packer2", yuncang.RoleOperator); err != nil {
				return err
			}
			desk := rt.logins["packer2"].device()
			tok, err := rt.mustLogin("packer2", "X-Yuncang-Device", desk)
			if err != nil {
				return err
			}
			if _, err := rt.createShipments(tok, desk, "yiwu-goods", rt.orders["yiwu-goods"][:20]); err != nil {
				return err
			}
			key := rt.logins["carrier-sf"].APIToken
			for i := 0; i < 2000 && !a.cutOff(); i++ {
				rt.clock.Advance(2 * time.Second)
				main := fmt.Sprintf("170%08d", 10000000+(i%20)*7919)
				a.try("POST", "/api/v1/carrier/resolve", key, fmt.Sprintf(`{"virtual_number":%q,"extension":"%04d"}`, main, rt.rnd.IntN(10000)))
				if i%10 == 9 && !a.cutOff() { // and lookups of parcels by id, as by waybill number
					a.try("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d", 1+i/10), key, "")
				}
			}
			return nil
		}})
}
