package main

import (
	"context"
	"time"
)

// (9c) The device check is a copyable shared secret: a customer-service
// agent reveals from its own PC with the packing station's secret, copied
// off the station. A reveal should need an office device assigned to the
// person, proving itself with a key it keeps.
//
// The device proof is in copiedDeviceHeaders only, so that it can follow
// the API when devices sign requests.
func init() {
	registerScenario(scenario{ID: "9c", Name: "copied device secret: reveal with the packing station's secret", Open: "issue 10 §5 (device kinds, device keys)",
		Target: target{MaxLeaked: 0},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("cs5")
			rt.at(2, 10, 0)
			dev := copiedDeviceHeaders(rt)
			tok, err := rt.mustLogin("cs5", dev...)
			if err != nil {
				return err
			}
			for i := 0; i < 5 && !a.cutOff(); i++ {
				rt.clock.Advance(20 * time.Minute)
				rt.stepUp("cs5", tok, dev...)
				a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), tok, revealBody, dev...)
			}
			return nil
		}})
}

// copiedDeviceHeaders are what a thief copied off the packing station.
func copiedDeviceHeaders(rt *redteam) []string {
	return []string{"X-Yuncang-Device", rt.logins["operator1"].DeviceSecret}
}
