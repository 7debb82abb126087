package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// (3) A temporary hire pages through order lists and phone searches all day.
func init() {
	registerScenario(scenario{ID: "3", Name: "temporary hire paging through lists and searches", Target: target{MaxLeaked: 0},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			if _, err := rt.addStaff(ctx, "temp-cs9", yuncang.RoleCustomerService); err != nil {
				return err
			}
			a.as("temp-cs9")
			rt.at(1, 10, 0)
			tok, err := rt.mustLogin("temp-cs9")
			if err != nil {
				return err
			}
			tenants := []string{"yiwu-goods", "hz-fresh"}
			for i := 0; i < 400 && !a.cutOff(); i++ {
				rt.clock.Advance(20 * time.Second)
				var st int
				var body string
				if i%3 == 2 {
					st, body = a.try("POST", "/api/v1/orders/search?tenant="+tenants[i%2], tok, fmt.Sprintf(`{"phone":"138%08d"}`, rt.rnd.IntN(1e8)))
				} else {
					st, body = a.try("GET", "/api/v1/orders?limit=200&tenant="+tenants[i%2], tok, "")
				}
				if st == 403 && strings.Contains(body, `"totp"`) {
					rt.stepUp("temp-cs9", tok) // an insider has the phone
				}
			}
			return nil
		}})
}
