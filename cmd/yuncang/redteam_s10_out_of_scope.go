package main

import (
	"context"
	"fmt"
	"time"
)

// (10) Staff reach outside their scope, as a rented insider account would:
// a merchant's staff asks for another merchant's orders by id and by name,
// a warehouse operator for another warehouse's shipments and stock.
func init() {
	registerScenario(scenario{ID: "10", Name: "out of scope: another merchant's orders, another warehouse's parcels", Target: target{MaxLeaked: 0, NoneAccepted: true},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("yiwu-goods-staff")
			a.as("operator1")
			rt.at(1, 10, 0)
			office := rt.logins["yiwu-goods-staff"].device()
			ms, err := rt.mustLogin("yiwu-goods-staff", "X-Yuncang-Device", office)
			if err != nil {
				return err
			}
			station := rt.logins["operator1"].device()
			op, err := rt.mustLogin("operator1", "X-Yuncang-Device", station)
			if err != nil {
				return err
			}
			for i := 0; i < 10 && !a.cutOff(); i++ {
				rt.clock.Advance(20 * time.Second)
				other := rt.pick("hz-fresh")
				a.try("GET", fmt.Sprintf("/api/v1/orders/%d", other), ms, "", "X-Yuncang-Device", office)
				a.try("GET", "/api/v1/orders?tenant=hz-fresh&limit=200", ms, "", "X-Yuncang-Device", office)
				a.try("POST", fmt.Sprintf("/api/v1/orders/%d/reveal", other), ms, revealBody, "X-Yuncang-Device", office)
				a.try("GET", fmt.Sprintf("/api/v1/warehouses/GZ01/shipments/%d", i+1), op, "", "X-Yuncang-Device", station)
				a.try("GET", "/api/v1/orders?tenant=yiwu-goods&limit=200", op, "", "X-Yuncang-Device", station)
			}
			return nil
		}})
}
