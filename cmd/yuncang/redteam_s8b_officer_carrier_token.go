package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// (8b) A security officer alone reaches real phones: it re-enables the
// carrier's suspended machine account, issues itself a 720-hour carrier
// token and resolves the virtual numbers printed on the day's labels.
// Carrier tokens should take a second person, be bound to the carrier and
// short-lived, and their resolves be watched like reveals.
//
// The token minting is in mintCarrierToken only, so that it can follow the
// API when carrier tokens need a second person's approval.
func init() {
	registerScenario(scenario{ID: "8b", Name: "security officer alone: re-enable the carrier, mint a carrier token, resolve",
		Target: target{MaxLeaked: 0},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			rt.at(2, 10, 0)
			// The day's work: a packer prints 10 labels, each with a virtual number.
			station := rt.logins["operator1"].device()
			op, err := rt.mustLogin("operator1", "X-Yuncang-Device", station)
			if err != nil {
				return err
			}
			ids, err := rt.createShipments(op, station, "yiwu-goods", rt.orders["yiwu-goods"][:10])
			if err != nil {
				return err
			}
			extRE := regexp.MustCompile(`(\d{11}) 转 (\d{4})`)
			var numbers [][]string
			for _, id := range ids {
				_, zpl := rt.call("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d/label?format=zpl", id), op, "", "X-Yuncang-Device", station)
				if m := extRE.FindStringSubmatch(zpl); m != nil {
					numbers = append(numbers, m[1:])
				}
			}
			if len(numbers) == 0 {
				return fmt.Errorf("no virtual number on the labels")
			}
			// The guard had suspended the carrier's account.
			carrierID := rt.userID(ctx, "carrier-sf")
			if err := rt.m.DB.Disable(ctx, carrierID, "suspended by the guard: scope_probing", rt.clock.Now(), nil); err != nil {
				return err
			}
			a.as("security1")
			a.as("carrier-sf")
			so, err := rt.mustLogin("security1")
			if err != nil {
				return err
			}
			rt.clock.Advance(5 * time.Minute)
			a.do("POST", fmt.Sprintf("/api/v1/users/%d/reenable", carrierID), so, `{"reason":"carrier says it was a glitch"}`)
			tok := mintCarrierToken(a, so)
			for _, n := range numbers {
				rt.clock.Advance(time.Minute)
				a.try("POST", "/api/v1/carrier/resolve", tok, fmt.Sprintf(`{"virtual_number":%q,"extension":%q}`, n[0], n[1]))
				if a.cutOff() {
					break
				}
			}
			return nil
		}})
}

// mintCarrierToken has the officer issue a 720-hour carrier token ("" if refused).
func mintCarrierToken(a *attack, officer string) string {
	st, body := a.do("POST", "/api/v1/tokens", officer, `{"username":"carrier-sf","label":"backup","ttl_hours":720,"scopes":["carrier"]}`)
	if st != 201 {
		return ""
	}
	var out struct {
		Token string `json:"token"`
	}
	json.Unmarshal([]byte(body), &out)
	return out.Token
}
