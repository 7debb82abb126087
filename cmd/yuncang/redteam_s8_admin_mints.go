package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/devicekey"
)

// (8) An administrator uses its power instead of the reveal: the merchant
// administrator creates a staff account with a password it chooses,
// receives the second factor, enrols an office device, logs in as that
// account and reveals; it also takes over an existing colleague's second
// factor, and tries to rewrite a recipient alone (a desk of its own, a
// correction request it records and closes itself). Nobody but the person may learn a password or second factor, and
// granting reach to plaintext takes a second person.
//
// The minting steps are in mintRevealer and takeOverFactor only, so that
// they can follow the API when enrolment becomes a one-time link the person
// redeems.
func init() {
	registerScenario(scenario{ID: "8", Name: "administrator mints a revealing account",
		Target: target{MaxLeaked: 0, Figures: map[string]int{"foreign_second_factors_obtained": 0, "recipients_rewritten_alone": 0}},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("yiwu-goods-admin")
			rt.at(1, 14, 0)
			admin, err := rt.mustLogin("yiwu-goods-admin")
			if err != nil {
				return err
			}
			factors := 0
			if takeOverFactor(rt, a, admin, rt.userID(ctx, "yiwu-goods-staff")) {
				factors++
			}
			login, device, ok := mintRevealer(rt, a, admin, "yiwu-goods", "yw-ghost")
			if ok {
				factors++
			}
			a.figure("foreign_second_factors_obtained", factors)
			a.figure("recipients_rewritten_alone", rewriteAlone(ctx, rt, a, admin, "yiwu-goods", "yiwu-goods-admin"))
			if login.Password == "" {
				// The minting was refused: the attack ends here, measured.
				a.try("POST", "/api/v1/login", "", `{"username":"yw-ghost","password":"Chosen-By-The-Boss-7"}`)
				return nil
			}
			rt.logins[login.Username] = login
			a.as(login.Username)
			st, body := a.do("POST", "/api/v1/login", "", rt.loginBody(login.Username), "X-Yuncang-Device", device)
			tok := tokenOf(body)
			for i := 0; i < 5 && !a.cutOff(); i++ {
				rt.clock.Advance(10 * time.Minute)
				if st != 200 {
					a.try("POST", "/api/v1/login", "", rt.loginBody(login.Username), "X-Yuncang-Device", device)
					continue
				}
				rt.stepUp(login.Username, tok, "X-Yuncang-Device", device)
				a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), tok, revealBody, "X-Yuncang-Device", device)
			}
			return nil
		}})
}

// mintRevealer tries every way one administrator has to an account that
// can reveal and whose credentials it knows: create the account (with a
// password of its choosing, if the API still took one), enrol an office
// desk for it with a key pair the administrator generates itself, and
// redeem whatever enrolment code it was handed, setting the password and
// receiving the second factor in the person's place. ok reports whether it
// ended up holding the account's second factor.
func mintRevealer(rt *redteam, a *attack, admin, tenant, name string) (DemoLogin, string, bool) {
	const chosen = "Chosen-By-The-Boss-7"
	l := DemoLogin{Username: name, Role: "merchant_staff"}
	st, body := a.do("POST", "/api/v1/users", admin, fmt.Sprintf(`{"username":%q,"password":%q,"role":"merchant_staff"}`, name, chosen))
	if st/100 != 2 {
		// The API refuses an administrator's password: try without.
		st, body = a.do("POST", "/api/v1/users", admin, fmt.Sprintf(`{"username":%q,"role":"merchant_staff"}`, name))
		if st/100 != 2 {
			return DemoLogin{}, "", false
		}
	}
	var created struct {
		TOTPSecret        string `json:"totp_secret"`
		EnrolmentCode     string `json:"enrolment_code"`
		EnrolmentCodePart string `json:"enrolment_code_part"`
		User              struct {
			Username string `json:"username"`
		} `json:"user"`
	}
	json.Unmarshal([]byte(body), &created)
	// A desk for the ghost, with a key the administrator holds.
	pub, priv, err := devicekey.Generate()
	if err != nil {
		return DemoLogin{}, "", false
	}
	device := ""
	st, body = a.do("POST", "/api/v1/office-devices", admin, fmt.Sprintf(`{"code":"GHOST-PC-%s","name":"office pc","kind":"office_desk","public_key":%q,"assigned_to":%q}`,
		name, devicekey.EncodePublic(pub), name))
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal([]byte(body), &d); st == 201 && d.ID != 0 {
		device = fmt.Sprintf("%d:%s", d.ID, devicekey.EncodePrivate(priv))
	} else {
		device = rt.logins[tenant+"-staff"].device() // the office's existing desk
	}
	if created.TOTPSecret != "" {
		l.Password, l.TOTPSecret = chosen, created.TOTPSecret
		return l, device, true
	}
	// Redeem in the person's place with whatever the administrator holds:
	// the whole code, or its half of a four-eyes code.
	for _, code := range []string{created.EnrolmentCode, created.EnrolmentCodePart} {
		if code == "" {
			continue
		}
		st, body = a.do("POST", "/api/v1/enrolment/redeem", "", fmt.Sprintf(`{"code":%q,"password":%q}`, code, chosen), "X-Yuncang-Device", device)
		var red struct {
			TOTPSecret string `json:"totp_secret"`
		}
		if json.Unmarshal([]byte(body), &red); st == 200 && red.TOTPSecret != "" {
			l.Password, l.TOTPSecret = chosen, red.TOTPSecret
			return l, device, true
		}
	}
	return DemoLogin{}, device, false
}

// takeOverFactor resets a colleague's second factor and reports whether
// the administrator was handed the new secret (a working one: it checks the
// secret yields a code).
func takeOverFactor(rt *redteam, a *attack, admin string, userID int64) bool {
	st, body := a.do("POST", fmt.Sprintf("/api/v1/users/%d/totp", userID), admin, "")
	if st != 200 || !strings.Contains(body, `"totp_secret"`) {
		return false
	}
	var out struct {
		TOTPSecret string `json:"totp_secret"`
	}
	json.Unmarshal([]byte(body), &out)
	_, err := auth.TOTPCode(out.TOTPSecret, rt.clock.Now())
	return out.TOTPSecret != "" && err == nil
}

// rewriteAlone is one administrator redirecting a customer's parcel with
// no one else involved: it enrols an office desk for itself (or, refused,
// uses the office's desk, which is a colleague's), records a correction
// request for a customer's phone and closes it as corrected with a recipient
// of its choosing. It returns the orders whose recipient it rewrote.
func rewriteAlone(ctx context.Context, rt *redteam, a *attack, admin, tenant, name string) int {
	// The customer's order (placed by the shop as usual; the administrator
	// knows the phone, as it would from the customer's call).
	g := demodata.NewGenerator(uint64(rt.rnd.IntN(1 << 30)))
	o := g.Order(tenant)
	b, _ := json.Marshal(map[string]any{"merchant_order_id": fmt.Sprintf("RW-%d", rt.rnd.IntN(1<<30)),
		"lines":     []map[string]any{{"sku": demodata.SKUs(tenant)[0].Code, "quantity": 1}},
		"recipient": map[string]string{"name": o.Recipient.Name, "phone": o.Recipient.Phone, "address": o.Recipient.Address}})
	if st, _ := rt.call("POST", "/api/v1/orders", admin, string(b)); st != 201 {
		return 0
	}
	rt.stepUp(name, admin)
	pub, priv, err := devicekey.Generate()
	if err != nil {
		return 0
	}
	device := rt.logins[tenant+"-staff"].device()
	st, body := a.do("POST", "/api/v1/office-devices", admin, fmt.Sprintf(`{"code":"BOSS-PC-%s","name":"my pc","kind":"office_desk","public_key":%q,"assigned_to":%q}`,
		name, devicekey.EncodePublic(pub), name))
	var d struct {
		ID int64 `json:"id"`
	}
	if json.Unmarshal([]byte(body), &d); st == 201 && d.ID != 0 {
		device = fmt.Sprintf("%d:%s", d.ID, devicekey.EncodePrivate(priv))
	}
	st, body = a.do("POST", "/api/v1/data-requests", admin, fmt.Sprintf(`{"kind":"correction","phone":%q}`, o.Recipient.Phone))
	var req struct {
		ID       int64   `json:"id"`
		OrderIDs []int64 `json:"order_ids"`
	}
	if json.Unmarshal([]byte(body), &req); st != 201 || req.ID == 0 {
		return 0
	}
	rt.stepUp(name, admin, "X-Yuncang-Device", device)
	st, _ = a.do("POST", fmt.Sprintf("/api/v1/data-requests/%d/close", req.ID), admin,
		`{"outcome":"corrected","recipient":{"name":"王小二","phone":"13700009999","address":"浙江省金华市义乌市稠城街道工人北路1号"}}`, "X-Yuncang-Device", device)
	if st != 200 {
		return 0
	}
	return len(req.OrderIDs)
}
