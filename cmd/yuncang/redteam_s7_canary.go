package main

import (
	"context"
	"time"
)

// (7) An insider reveals a decoy recipient, then goes on to real ones.
func init() {
	registerScenario(scenario{ID: "7", Name: "canary touch", Target: target{MaxLeaked: 0, FlagByAttempt: 1},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("cs4")
			rt.at(3, 11, 0)
			desk := rt.logins["cs4"].device()
			tok, err := rt.mustLogin("cs4", "X-Yuncang-Device", desk)
			if err != nil {
				return err
			}
			for _, id := range []int64{rt.canary["yiwu-goods"][0], rt.pick("yiwu-goods"), rt.pick("yiwu-goods"), rt.pick("yiwu-goods")} {
				a.try("POST", revealPath("yiwu-goods", id), tok, revealBody, "X-Yuncang-Device", desk)
				if a.cutOff() {
					break
				}
				rt.clock.Advance(time.Minute)
			}
			return nil
		}})
}
