package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// pick returns a random real order of a tenant.
func (rt *redteam) pick(tenant string) int64 {
	ids := rt.orders[tenant]
	return ids[rt.rnd.IntN(len(ids))]
}

// cutoff returns seconds of simulated time since start.
func (rt *redteam) since(start time.Time) int64 { return int64(rt.clock.Now().Sub(start).Seconds()) }

// suspendedBy reports the account's disabled reason ("" if active).
func (rt *redteam) suspendedBy(ctx context.Context, name string) string {
	u, err := rt.m.DB.UserByUsername(ctx, name)
	if err != nil || u.Status == yuncang.UserActive {
		return ""
	}
	return u.DisabledReason
}

// (1a) A remote-control program on a packing PC at 03:00 rides the logged-in
// operator's session and tries to pull recipients.
func (rt *redteam) stolenOperatorSession(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "1a stolen operator session at 03:00"}
	rt.at(0, 2, 50)
	station := rt.logins["operator1"].device()
	tok, st := rt.login("operator1", true, "X-Yuncang-Device", station)
	if st != 200 {
		return r, fmt.Errorf("operator login: %d", st)
	}
	start := rt.at(0, 3, 0)
	for i := 0; i < 500; i++ {
		rt.clock.Advance(5 * time.Second)
		r.RecordsAttempted++
		st, ok := rt.reveal(tok, station, "yiwu-goods", rt.pick("yiwu-goods"))
		if ok {
			r.FullRecords++
		}
		if st == 401 {
			break
		}
		if st, _ := rt.call("GET", "/api/v1/orders?tenant=yiwu-goods&limit=200", tok, "", "X-Yuncang-Device", station); st == 200 {
			r.MaskedSeen += 200
		}
	}
	r.SecondsToCutoff = rt.since(start)
	r.StoppedBy = "role cannot reveal or list recipients; " + orDefault(rt.suspendedBy(ctx, "operator1"), "not suspended")
	return r, nil
}

// (1b) The same at a customer-service desk, in the worst case: the agent
// (on a night shift) has just logged in with a second factor, so the
// session is freshly stepped up when the program takes it over.
func (rt *redteam) stolenServiceSession(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "1b stolen customer-service session at 03:00"}
	rt.at(0, 2, 58)
	desk := rt.logins["cs1"].device()
	tok, st := rt.login("cs1", true, "X-Yuncang-Device", desk)
	if st != 200 {
		return r, fmt.Errorf("cs1 login: %d", st)
	}
	start := rt.at(0, 3, 0)
	for i := 0; i < 500; i++ {
		rt.clock.Advance(10 * time.Second)
		r.RecordsAttempted++
		st, ok := rt.reveal(tok, desk, "yiwu-goods", rt.pick("yiwu-goods"))
		if ok {
			r.FullRecords++
		}
		if st == 401 || (st == 403 && rt.suspendedBy(ctx, "cs1") != "") {
			break
		}
		if st == 403 { // a step-up is demanded: the thief has no phone; keep trying anyway
			continue
		}
	}
	r.SecondsToCutoff = rt.since(start)
	r.StoppedBy = orDefault(rt.suspendedBy(ctx, "cs1"), "step-up demanded at night; thief has no second factor")
	return r, nil
}

// (2) A departed employee tries the old password (with the phone still in
// the pocket), the old session, and a carrier's old API token.
func (rt *redteam) departedEmployee(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "2 departed employee: password, old session, old API token"}
	rt.at(1, 9, 0)
	desk := rt.logins["cs2"].device()
	old, st := rt.login("cs2", true, "X-Yuncang-Device", desk)
	if st != 200 {
		return r, fmt.Errorf("cs2 login: %d", st)
	}
	carrierToken := rt.logins["carrier-sf"].APIToken
	so, st := rt.login("security1", true)
	if st != 200 {
		return r, fmt.Errorf("security1 login: %d", st)
	}
	for _, name := range []string{"cs2", "carrier-sf"} {
		u, err := rt.m.DB.UserByUsername(ctx, name)
		if err != nil {
			return r, err
		}
		if st, body := rt.call("POST", fmt.Sprintf("/api/v1/users/%d/offboard", u.ID), so, `{"reason":"left the company"}`); st != 200 {
			return r, fmt.Errorf("offboard %s: %d %s", name, st, body)
		}
	}
	for i := 0; i < 20; i++ {
		rt.clock.Advance(31 * time.Second)
		r.RecordsAttempted += 3
		if _, ok := rt.reveal(old, desk, "yiwu-goods", rt.pick("yiwu-goods")); ok {
			r.FullRecords++
		}
		if tok, st := rt.login("cs2", true, "X-Yuncang-Device", desk); st == 200 {
			if _, ok := rt.reveal(tok, desk, "yiwu-goods", rt.pick("yiwu-goods")); ok {
				r.FullRecords++
			}
		}
		if st, _ := rt.call("GET", "/api/v1/me", carrierToken, ""); st == 200 {
			r.FullRecords++ // the token itself working counts as a breach here
		}
	}
	r.SecondsToCutoff = 0
	r.StoppedBy = "offboarding disabled the account and revoked every session and token at once"
	return r, nil
}

// (3) A temporary hire pages through order lists and phone searches all day.
func (rt *redteam) temporaryHire(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "3 temporary hire paging through lists and searches"}
	if _, err := rt.addStaff(ctx, "temp-cs9", yuncang.RoleCustomerService); err != nil {
		return r, err
	}
	start := rt.at(1, 10, 0)
	tok, st := rt.login("temp-cs9", true)
	if st != 200 {
		return r, fmt.Errorf("temp login: %d", st)
	}
	tenants := []string{"yiwu-goods", "hz-fresh"}
	for i := 0; i < 400; i++ {
		rt.clock.Advance(20 * time.Second)
		var st int
		var body string
		if i%3 == 2 {
			st, body = rt.call("POST", "/api/v1/orders/search?tenant="+tenants[i%2], tok, fmt.Sprintf(`{"phone":"138%08d"}`, rt.rnd.IntN(1e8)))
		} else {
			st, body = rt.call("GET", "/api/v1/orders?limit=200&tenant="+tenants[i%2], tok, "")
		}
		if st == 403 && strings.Contains(body, "totp") {
			rt.stepUp("temp-cs9", tok) // an insider has the phone
			continue
		}
		if st != 200 {
			break
		}
		n := strings.Count(body, `"merchant_order_id"`)
		r.RecordsAttempted += max(n, 1)
		r.MaskedSeen += n
	}
	r.SecondsToCutoff = rt.since(start)
	r.StoppedBy = "lists are masked (GB/T 41833): no full record is ever shown; " + orDefault(rt.suspendedBy(ctx, "temp-cs9"), "not suspended")
	return r, nil
}

// (5) A customer-service insider reveals just under the fixed daily quota
// (29 of 30), every working day, with the phone for every step-up.
func (rt *redteam) slowDrip(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "5 customer-service insider, 29 reveals a day (quota 30)"}
	desk := rt.logins["cs3"].device()
	dev := []string{"X-Yuncang-Device", desk}
	var start time.Time
	quota := ""
	for day := 2; day < 12 && rt.suspendedBy(ctx, "cs3") == ""; day++ {
		rt.at(day, 9, 0)
		if start.IsZero() {
			start = rt.clock.Now()
		}
		tok, st := rt.login("cs3", true, dev...)
		if st != 200 {
			break
		}
		for k := 0; k < 29; k++ {
			rt.clock.Advance(15 * time.Minute)
			rt.stepUp("cs3", tok, dev...) // the insider has the phone
			r.RecordsAttempted++
			st, ok := rt.reveal(tok, desk, "hz-fresh", rt.pick("hz-fresh"))
			if ok {
				r.FullRecords++
			}
			if st == 429 && quota == "" {
				quota = fmt.Sprintf("quota refused reveal %d", r.RecordsAttempted)
			}
			if st == 401 || rt.suspendedBy(ctx, "cs3") != "" {
				break
			}
		}
	}
	r.SecondsToCutoff = rt.since(start)
	r.StoppedBy = rt.firstAlert(ctx, "cs3", start) + "; " + orDefault(quota, "no quota hit") + "; " + orDefault(rt.suspendedBy(ctx, "cs3"), "not suspended")
	return r, nil
}

// firstAlert describes the first guard alert about an account after start.
func (rt *redteam) firstAlert(ctx context.Context, name string, start time.Time) string {
	u, err := rt.m.DB.UserByUsername(ctx, name)
	if err != nil {
		return "not flagged"
	}
	als, err := rt.m.DB.Alerts(ctx, "", 1000)
	if err != nil {
		return "not flagged"
	}
	for i := len(als) - 1; i >= 0; i-- {
		a := als[i]
		if a.UserID == u.ID && !a.At.Before(start) {
			return fmt.Sprintf("flagged (%s, %s) %s after the first reveal", a.Rule, a.Response, a.At.Sub(start).Round(time.Minute))
		}
	}
	return "not flagged"
}

// (7) Someone touches a decoy recipient.
func (rt *redteam) canaryTouch(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "7 canary touch"}
	start := rt.at(3, 11, 0)
	desk := rt.logins["cs4"].device()
	tok, st := rt.login("cs4", true, "X-Yuncang-Device", desk)
	if st != 200 {
		return r, fmt.Errorf("cs4 login: %d", st)
	}
	canaries := rt.canary["yiwu-goods"]
	if len(canaries) == 0 {
		// Decoys are made among a merchant's imported orders; a tiny demo
		// may not have imported enough of them yet.
		return r, fmt.Errorf("no decoy among yiwu-goods' orders yet: run with more --orders")
	}
	for _, id := range []int64{canaries[0], rt.pick("yiwu-goods"), rt.pick("yiwu-goods")} {
		r.RecordsAttempted++
		st, ok := rt.reveal(tok, desk, "yiwu-goods", id)
		if ok && id != canaries[0] {
			r.FullRecords++
		}
		if st == 401 || rt.suspendedBy(ctx, "cs4") != "" {
			break
		}
		rt.clock.Advance(time.Minute)
	}
	r.SecondsToCutoff = rt.since(start)
	r.StoppedBy = orDefault(rt.suspendedBy(ctx, "cs4"), "not suspended")
	return r, nil
}

// (4) A packer reprints labels over and over (to photograph or sell them).
// Labels are masked, so no full record can leak; the point is how soon the
// abuse is cut off.
func (rt *redteam) reprintAbuse(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "4 reprint abuse"}
	rt.at(3, 14, 0)
	station := rt.logins["temp-packer1"].device()
	dev := []string{"X-Yuncang-Device", station}
	tok, st := rt.login("temp-packer1", true, dev...)
	if st != 200 {
		return r, fmt.Errorf("packer login: %d", st)
	}
	ids, err := rt.shipments("temp-packer1", tok, station, 25)
	if err != nil {
		return r, err
	}
	for _, id := range ids {
		rt.clock.Advance(20 * time.Second)
		if st, body := rt.call("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d/label?format=zpl", id), tok, "", dev...); st != 200 {
			return r, fmt.Errorf("first print: %d %s", st, body)
		}
	}
	start := rt.clock.Now()
	refusedPerLabel := 0
loop:
	for round := 0; round < 4; round++ {
		for _, id := range ids {
			rt.clock.Advance(15 * time.Second)
			r.RecordsAttempted++
			st, body := rt.call("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d/label?format=zpl&reason=damaged", id), tok, "", dev...)
			switch {
			case st == 200:
				if strings.Contains(body, "13") && !strings.Contains(body, "****") {
					r.FullRecords++ // never expected: a label with an unmasked phone
				}
			case st == 403 && strings.Contains(body, "totp"):
				rt.stepUp("temp-packer1", tok, dev...) // the insider has the phone
			case st == 401 || rt.suspendedBy(ctx, "temp-packer1") != "":
				break loop
			default:
				refusedPerLabel++
			}
		}
	}
	r.SecondsToCutoff = rt.since(start)
	r.StoppedBy = fmt.Sprintf("labels are masked; %d reprints refused by the per-label limit; %s", refusedPerLabel,
		orDefault(rt.suspendedBy(ctx, "temp-packer1"), "not suspended"))
	return r, nil
}

// (6) The carrier's API key in the wrong hands: resolving virtual numbers
// in bulk (guessing extensions), and looking parcels up by number.
func (rt *redteam) carrierKey(ctx context.Context) (RedteamResult, error) {
	r := RedteamResult{Scenario: "6 carrier key: bulk virtual-number resolve and waybill lookup"}
	rt.at(4, 10, 0)
	if _, err := rt.addStaff(ctx, "packer2", yuncang.RoleOperator); err != nil {
		return r, err
	}
	desk := rt.logins["packer2"].device()
	tok, st := rt.login("packer2", true, "X-Yuncang-Device", desk)
	if st != 200 {
		return r, fmt.Errorf("packer2 login: %d", st)
	}
	if _, err := rt.shipments("packer2", tok, desk, 40); err != nil {
		return r, err
	}
	key := rt.logins["carrier-sf"].APIToken
	start := rt.clock.Now()
	phones := 0
	for i := 0; i < 2000; i++ {
		rt.clock.Advance(2 * time.Second)
		r.RecordsAttempted++
		main := fmt.Sprintf("170%08d", 10000000+(i%20)*7919)
		st, body := rt.call("POST", "/api/v1/carrier/resolve", key, fmt.Sprintf(`{"virtual_number":%q,"extension":"%04d"}`, main, rt.rnd.IntN(10000)))
		if st == 200 && strings.Contains(body, `"phone"`) {
			phones++
		}
		if i%10 == 9 { // and lookups of parcels by id, as by waybill number
			rt.call("GET", fmt.Sprintf("/api/v1/warehouses/YW01/shipments/%d", 1+i/10), key, "")
		}
		if st == 401 || rt.suspendedBy(ctx, "carrier-sf") != "" {
			break
		}
	}
	r.SecondsToCutoff = rt.since(start)
	r.StoppedBy = fmt.Sprintf("a resolve gives a phone only, never a name or address (%d phones); %s", phones,
		orDefault(rt.suspendedBy(ctx, "carrier-sf"), "not suspended"))
	return r, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
