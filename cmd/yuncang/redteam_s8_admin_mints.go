package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/yuncang/yuncang/auth"
)

// (8) An administrator uses its power instead of the reveal: the merchant
// administrator creates a staff account with a password it chooses,
// receives the second factor, enrols an office device, logs in as that
// account and reveals; it also takes over an existing colleague's second
// factor. Nobody but the person may learn a password or second factor, and
// granting reach to plaintext takes a second person.
//
// The minting steps are in mintRevealer and takeOverFactor only, so that
// they can follow the API when enrolment becomes a one-time link the person
// redeems.
func init() {
	registerScenario(scenario{ID: "8", Name: "administrator mints a revealing account", Open: "issue 10 §2 (four eyes, enrolment links)",
		Target: target{MaxLeaked: 0, Figures: map[string]int{"foreign_second_factors_obtained": 0}},
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

// mintRevealer creates an account that can reveal, with a password the
// administrator chose, and an office device for it; ok reports whether the
// administrator was handed the account's second factor.
func mintRevealer(rt *redteam, a *attack, admin, tenant, name string) (DemoLogin, string, bool) {
	l := DemoLogin{Username: name, Role: "merchant_staff"}
	st, body := a.do("POST", "/api/v1/users", admin, fmt.Sprintf(`{"username":%q,"password":"Chosen-By-The-Boss-7","role":"merchant_staff"}`, name))
	if st != 201 {
		return DemoLogin{}, "", false
	}
	var u struct {
		TOTPSecret string `json:"totp_secret"`
	}
	json.Unmarshal([]byte(body), &u)
	if u.TOTPSecret == "" {
		return DemoLogin{}, "", false
	}
	l.Password, l.TOTPSecret = "Chosen-By-The-Boss-7", u.TOTPSecret
	st, body = a.do("POST", "/api/v1/office-devices", admin, `{"code":"GHOST-PC","name":"office pc"}`)
	var d struct {
		Secret string `json:"secret"`
	}
	json.Unmarshal([]byte(body), &d)
	if st != 201 || d.Secret == "" {
		d.Secret = rt.logins[tenant+"-staff"].DeviceSecret // the office's existing station
	}
	return l, d.Secret, true
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
