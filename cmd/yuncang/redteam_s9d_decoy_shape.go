package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// (9d) Decoys give themselves away: an insider lists the merchant's orders
// (masked) and looks for the ones whose order id does not look like the
// merchant's own, to avoid them. Measured: how many real decoys the shape
// alone singles out (the attacker suspects an order when its id's shape,
// letters as A and digits as 9, is rarer than one in twenty).
func init() {
	registerScenario(scenario{ID: "9d", Name: "decoys recognised by their shape",
		Target: target{MaxLeaked: 0, Figures: map[string]int{"decoys_recognised_by_shape": 0}},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("yiwu-goods-staff")
			rt.at(1, 10, 0)
			tok, err := rt.mustLogin("yiwu-goods-staff")
			if err != nil {
				return err
			}
			type row struct {
				ID   int64  `json:"id"`
				MOID string `json:"merchant_order_id"`
			}
			var all []row
			cursor := ""
			for page := 0; page < 50; page++ {
				rt.clock.Advance(time.Minute)
				st, body := a.try("GET", "/api/v1/orders?limit=200&cursor="+url.QueryEscape(cursor), tok, "")
				if st != 200 {
					break
				}
				var p struct {
					Items []row  `json:"items"`
					Next  string `json:"next"`
				}
				json.Unmarshal([]byte(body), &p)
				all = append(all, p.Items...)
				if cursor = p.Next; cursor == "" {
					break
				}
			}
			if len(all) == 0 {
				return fmt.Errorf("the merchant's staff could not list its orders")
			}
			shapes := map[string]int{}
			for _, o := range all {
				shapes[idShape(o.MOID)]++
			}
			decoys := map[int64]bool{}
			for _, id := range rt.canary["yiwu-goods"] {
				decoys[id] = true
			}
			recognised, suspected := 0, 0
			for _, o := range all {
				if shapes[idShape(o.MOID)]*20 < len(all) {
					suspected++
					if decoys[o.ID] {
						recognised++
					}
				}
			}
			a.figure("decoys_recognised_by_shape", recognised)
			a.figure("orders_suspected", suspected)
			return nil
		}})
}

// idShape maps letters to A and digits to 9: YWG-20261128-000123 → AAA-99999999-999999.
func idShape(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsDigit(r):
			return '9'
		case unicode.IsLetter(r):
			return 'A'
		}
		return r
	}, s)
}
