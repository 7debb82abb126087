package main

import (
	"context"
	"time"

	"github.com/yuncang/yuncang"
)

// (5) A customer-service insider reveals just under the fixed daily quota
// (29 of 30), every working day, with the phone for every step-up.
func init() {
	registerScenario(scenario{ID: "5", Name: "customer-service insider, 29 reveals a day for two weeks",
		Target: target{LeakQuota: yuncang.RoleCustomerService, FlagWithin: 24 * time.Hour},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("cs3")
			desk := rt.logins["cs3"].device()
			dev := []string{"X-Yuncang-Device", desk}
			for day := 2; day < 16 && !a.cutOff(); day++ {
				rt.at(day, 9, 0)
				tok, st := rt.login("cs3", dev...)
				if st != 200 {
					a.try("POST", "/api/v1/login", "", rt.loginBody("cs3"), dev...) // measured: refused
					break
				}
				for k := 0; k < 29 && !a.cutOff(); k++ {
					rt.clock.Advance(15 * time.Minute)
					rt.stepUp("cs3", tok, dev...)
					a.try("POST", revealPath("hz-fresh", rt.pick("hz-fresh")), tok, revealBody, dev...)
				}
			}
			return nil
		}})
}
