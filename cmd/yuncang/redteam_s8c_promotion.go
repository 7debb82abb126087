package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/yuncang/yuncang/devicekey"
)

// (8c) An administrator launders an account through an honest approval: a
// warehouse supervisor alone creates a harmless operator, redeems its
// enrolment code himself (so he knows its password and second factor), and
// lets colleagues promote it to customer service in good faith (a security
// officer asks, a platform administrator approves). He then enrols an office
// desk for it with a key he made, logs in as it and reveals. The grant must
// leave whoever set the old credentials with nothing.
func init() {
	registerScenario(scenario{ID: "8c", Name: "an administrator launders an account it enrolled through an honest promotion",
		Target: target{MaxLeaked: 0, Figures: map[string]int{"foreign_second_factors_kept": 0}},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("rt-ghost")
			rt.at(2, 10, 0)
			sup, err := rt.mustLogin("supervisor-yw")
			if err != nil {
				return err
			}
			end := rt.clock.Now().Add(10 * 24 * time.Hour).Format(time.RFC3339)
			st, body := a.do("POST", "/api/v1/users", sup, fmt.Sprintf(`{"username":"rt-ghost","role":"operator","warehouses":["YW01"],"employment_type":"temporary","end_at":%q}`, end))
			var created struct {
				ID            int64  `json:"id"`
				EnrolmentCode string `json:"enrolment_code"`
			}
			if json.Unmarshal([]byte(body), &created); st != 201 || created.EnrolmentCode == "" {
				return fmt.Errorf("set-up: the supervisor could not create an operator: %d %s", st, body)
			}
			const chosen = "Chosen-By-The-Supervisor-7"
			st, body = a.do("POST", "/api/v1/enrolment/redeem", "", fmt.Sprintf(`{"code":%q,"password":%q}`, created.EnrolmentCode, chosen))
			var red struct {
				TOTPSecret string `json:"totp_secret"`
			}
			if json.Unmarshal([]byte(body), &red); st != 200 || red.TOTPSecret == "" {
				return fmt.Errorf("set-up: redeeming the operator's code: %d %s", st, body)
			}
			// Colleagues promote the account in good faith (set-up, not the attack).
			so, err := rt.mustLogin("security1")
			if err != nil {
				return err
			}
			_, body = rt.call("PUT", fmt.Sprintf("/api/v1/users/%d/role", created.ID), so, `{"role":"customer_service"}`)
			var req struct {
				Approval struct{ ID int64 } `json:"approval"`
			}
			json.Unmarshal([]byte(body), &req)
			pa, err := rt.mustLogin("admin")
			if err != nil {
				return err
			}
			if st, body := rt.call("POST", fmt.Sprintf("/api/v1/approvals/%d/approve", req.Approval.ID), pa, `{"note":"agreed with the team lead"}`); st != 200 {
				return fmt.Errorf("set-up: the promotion was not approved: %d %s", st, body)
			}
			// The supervisor enrols a desk for the account with his own key.
			pub, priv, err := devicekey.Generate()
			if err != nil {
				return err
			}
			st, body = a.do("POST", "/api/v1/warehouses/YW01/devices", sup, fmt.Sprintf(`{"code":"GHOST-DESK","name":"desk","kind":"office_desk","public_key":%q,"assigned_to":"rt-ghost"}`, devicekey.EncodePublic(pub)))
			var d struct {
				ID int64 `json:"id"`
			}
			json.Unmarshal([]byte(body), &d)
			desk := fmt.Sprintf("%d:%s", d.ID, devicekey.EncodePrivate(priv))
			rt.logins["rt-ghost"] = DemoLogin{Username: "rt-ghost", Password: chosen, TOTPSecret: red.TOTPSecret}
			kept := 0
			st, body = a.try("POST", "/api/v1/login", "", rt.loginBody("rt-ghost"), "X-Yuncang-Device", desk)
			if st == 200 {
				kept = 1
				tok := tokenOf(body)
				for i := 0; i < 5 && !a.cutOff(); i++ {
					rt.clock.Advance(10 * time.Minute)
					rt.stepUp("rt-ghost", tok, "X-Yuncang-Device", desk)
					a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), tok, revealBody, "X-Yuncang-Device", desk)
				}
			}
			a.figure("foreign_second_factors_kept", kept)
			return nil
		}})
}
