package main

import (
	"context"
	"time"
)

// (1a) A remote-control program on a packing PC at 03:00 rides the logged-in
// operator's session and tries to pull recipients: reveals, order lists.
func init() {
	registerScenario(scenario{ID: "1a", Name: "stolen operator session at 03:00", Target: target{MaxLeaked: 10},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("operator1")
			rt.at(0, 2, 50)
			station := rt.logins["operator1"].device()
			tok, err := rt.mustLogin("operator1", "X-Yuncang-Device", station)
			if err != nil {
				return err
			}
			rt.at(0, 3, 0)
			for i := 0; i < 500 && !a.cutOff(); i++ {
				rt.clock.Advance(5 * time.Second)
				a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), tok, revealBody, "X-Yuncang-Device", station)
				if a.cutOff() {
					break
				}
				a.try("GET", "/api/v1/orders?tenant=yiwu-goods&limit=200", tok, "", "X-Yuncang-Device", station)
			}
			return nil
		}})

	// (1b) The same at a customer-service desk, in the worst case: the
	// agent has just logged in with a second factor, so the session is
	// freshly stepped up when the program takes it over.
	registerScenario(scenario{ID: "1b", Name: "stolen customer-service session at 03:00", Target: target{MaxLeaked: 10},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("cs1")
			rt.at(0, 2, 58)
			desk := rt.logins["cs1"].device()
			tok, err := rt.mustLogin("cs1", "X-Yuncang-Device", desk)
			if err != nil {
				return err
			}
			rt.at(0, 3, 0)
			for i := 0; i < 500 && !a.cutOff(); i++ {
				rt.clock.Advance(10 * time.Second)
				a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), tok, revealBody, "X-Yuncang-Device", desk)
			}
			return nil
		}})
}
