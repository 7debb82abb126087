package main

import (
	"context"
	"fmt"
	"time"

	"github.com/yuncang/yuncang/devicekey"
)

// (9c) The device check is a copyable shared secret: a customer-service
// agent reveals from its own PC with the packing station's secret, copied
// off the station. A reveal should need an office device assigned to the
// person, proving itself with a key it keeps.
//
// The device proof is in copiedDeviceHeaders only, so that it can follow
// the API when devices sign requests.
func init() {
	registerScenario(scenario{ID: "9c", Name: "copied device: reveal with the packing station's key, a colleague's desk key, or a forged key",
		Target: target{MaxLeaked: 0},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("cs5")
			rt.at(2, 10, 0)
			// Each copied key is a separate try: a session opened with it,
			// then reveals through that session.
			for _, dev := range copiedDeviceHeaders(rt) {
				st, body := a.try("POST", "/api/v1/login", "", rt.loginBody("cs5"), dev...)
				if st != 200 {
					continue
				}
				tok := tokenOf(body)
				for i := 0; i < 2; i++ {
					rt.clock.Advance(20 * time.Minute)
					rt.stepUp("cs5", tok, dev...)
					a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), tok, revealBody, dev...)
				}
			}
			return nil
		}})
}

// copiedDeviceHeaders are what a thief brings: the packing station's key
// file copied off the station, a colleague's desk key copied off the
// colleague's PC, and the agent's own desk id signed with a key made on
// another machine (its own key never left its desk).
func copiedDeviceHeaders(rt *redteam) [][]string {
	own := rt.logins["cs5"]
	_, forged, _ := devicekey.Generate()
	return [][]string{
		{"X-Yuncang-Device", rt.logins["operator1"].device()},
		{"X-Yuncang-Device", rt.logins["cs1"].device()},
		{"X-Yuncang-Device", fmt.Sprintf("%d:%s", own.DeviceID, devicekey.EncodePrivate(forged))},
	}
}
