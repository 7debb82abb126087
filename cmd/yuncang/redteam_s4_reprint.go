package main

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// (4) A packer prints and reprints labels over and over, to photograph or
// sell them. Every label answer is scanned for the recipients' plaintext.
func init() {
	registerScenario(scenario{ID: "4", Name: "reprint abuse", Target: target{MaxLeaked: 0},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("temp-packer1")
			rt.at(3, 14, 0)
			station := rt.logins["temp-packer1"].device()
			dev := []string{"X-Yuncang-Device", station}
			tok, err := rt.mustLogin("temp-packer1", dev...)
			if err != nil {
				return err
			}
			ids, err := rt.createShipments(tok, station, "yiwu-goods", rt.orders["yiwu-goods"][:25])
			if err != nil {
				return err
			}
			for round := 0; round < 5 && !a.cutOff(); round++ {
				for _, id := range ids {
					rt.clock.Advance(15 * time.Second)
					q := "?format=zpl"
					if round > 0 {
						q += "&reason=damaged"
					}
					st, body := a.try("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d/label%s", id, q), tok, "", dev...)
					if st == 403 && strings.Contains(body, `"totp"`) {
						rt.stepUp("temp-packer1", tok, dev...) // the insider has the phone
					}
					if a.cutOff() {
						break
					}
				}
			}
			return nil
		}})
}
