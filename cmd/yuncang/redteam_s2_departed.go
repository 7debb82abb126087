package main

import (
	"context"
	"fmt"
	"time"
)

// (2) A departed employee tries the old password (with the phone still in
// the pocket) and the old session; a departed merchant employee the ERP API
// token it was given.
func init() {
	registerScenario(scenario{ID: "2", Name: "departed employee: password, old session, old API token", Target: target{MaxLeaked: 0, NoneAccepted: true},
		run: func(ctx context.Context, rt *redteam, a *attack) error {
			a.as("cs2")
			a.as("yiwu-goods-staff")
			rt.at(1, 9, 0)
			desk := rt.logins["cs2"].device()
			dev := []string{"X-Yuncang-Device", desk}
			old, err := rt.mustLogin("cs2", dev...)
			if err != nil {
				return err
			}
			staff, err := rt.m.DB.UserByUsername(ctx, "yiwu-goods-staff")
			if err != nil {
				return err
			}
			erp, _, err := rt.m.Auth.IssueAPIToken(ctx, staff.ID, "erp", []string{"orders:read"}, 30*24*time.Hour)
			if err != nil {
				return err
			}
			so, err := rt.mustLogin("security1")
			if err != nil {
				return err
			}
			ma, err := rt.mustLogin("yiwu-goods-admin")
			if err != nil {
				return err
			}
			for name, admin := range map[string]string{"cs2": so, staff.Username: ma} {
				if st, body := rt.call("POST", fmt.Sprintf("/api/v1/users/%d/offboard", rt.userID(ctx, name)), admin, `{"reason":"left the company"}`); st != 200 {
					return fmt.Errorf("offboard %s: %d %s", name, st, body)
				}
			}
			for i := 0; i < 20; i++ {
				rt.clock.Advance(31 * time.Second)
				a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), old, revealBody, dev...)
				if st, body := a.try("POST", "/api/v1/login", "", rt.loginBody("cs2"), dev...); st == 200 {
					a.try("POST", revealPath("yiwu-goods", rt.pick("yiwu-goods")), tokenOf(body), revealBody, dev...)
				}
				a.try("GET", "/api/v1/orders?limit=200", erp, "")
			}
			return nil
		}})
}
