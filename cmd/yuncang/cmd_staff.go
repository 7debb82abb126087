package main

import (
	"context"
	"fmt"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/pii"
)

func init() {
	register("staff offboard", "disable an account and revoke every session and token at once", runStaffOffboard)
	register("staff sweep", "disable temporary accounts past their end and accounts unused for the inactivity period", runStaffSweep)
}

func runStaffOffboard(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("staff offboard", "staff offboard --username NAME --reason TEXT", s)
	c.bind(fs, false)
	username := fs.String("username", "", "the account to offboard (required)")
	reason := fs.String("reason", "", "why, for the security events (required)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *username == "" || *reason == "" {
		fs.Usage()
		return errUsage
	}
	db, _, err := openConfigured(ctx, &c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByUsername(ctx, *username)
	if err != nil {
		return fmt.Errorf("%s", yuncang.ErrorMessage(err))
	}
	masked, _ := pii.MaskText(*reason)
	a := auth.New(db, db.Vault())
	if err := db.Disable(ctx, u.ID, "offboarded: "+masked, a.Now(), &yuncang.Event{UserID: u.ID, Username: u.Username, Role: u.Role,
		TenantID: u.TenantID, Kind: yuncang.EventOffboard, Outcome: yuncang.OutcomeOK, Source: "cli", Detail: "by command line: " + masked}); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "offboarded %s: account disabled, every session and token revoked\n", u.Username)
	return nil
}

func runStaffSweep(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("staff sweep", "staff sweep", s)
	c.bind(fs, false)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	db, _, err := openConfigured(ctx, &c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	us, err := sweepAccounts(ctx, db, auth.New(db, db.Vault()))
	for _, u := range us {
		fmt.Fprintf(s.out, "disabled %s (%s)\n", u.Username, u.DisabledReason)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "%d accounts disabled\n", len(us))
	return nil
}
