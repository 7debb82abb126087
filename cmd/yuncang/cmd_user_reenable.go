package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/pii"
)

func init() {
	register("user reenable", "re-enable an account the guard suspended; --break-glass for one that needs four eyes (audited, alert raised)", runUserReenable)
}

// runUserReenable is the way back for the account nobody else can
// re-enable over the API: the only security officer or platform admin,
// suspended by the guard, has no second person of a role that may approve
// it. The operator at the server host already holds the database and its
// keys; what the command adds is that doing so is never quiet: the record
// says break glass, and an open alert waits for another person's review.
func runUserReenable(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("user reenable", "user reenable --username NAME --reason TEXT [--break-glass]\n\n"+
		"Re-enables an account the guard suspended (offboarded and expired accounts stay off).\n"+
		"An account that could reveal, resolve or administer is re-enabled over the API with a\n"+
		"second person's approval (POST /api/v1/users/{id}/reenable); when no such person exists\n"+
		"(the only security officer or platform admin was suspended), --break-glass does it here:\n"+
		"audited as an alert, with an open alert raised (and sent to the alert webhook) for\n"+
		"another person to review.", s)
	c.bind(fs, false)
	username := fs.String("username", "", "the suspended account (required)")
	reason := fs.String("reason", "", "why, for the audit record (required; masked)")
	breakGlass := fs.Bool("break-glass", false, "re-enable an account that needs four eyes without a second person (audited, alert raised)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *username == "" || strings.TrimSpace(*reason) == "" {
		fs.Usage()
		return errUsage
	}
	if len(*reason) > 300 {
		return fmt.Errorf("--reason is longer than 300 bytes")
	}
	db, _, err := openConfigured(ctx, &c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByUsername(ctx, *username)
	if err != nil {
		return fmt.Errorf("--username: %s", yuncang.ErrorMessage(err))
	}
	if u.Status != yuncang.UserDisabled || !strings.HasPrefix(u.DisabledReason, "suspended") {
		return fmt.Errorf("--username: only accounts the guard suspended can be re-enabled; offboarded and expired accounts stay off")
	}
	masked, _ := pii.MaskText(*reason)
	outcome, detail := yuncang.OutcomeOK, "by command line: "+masked
	glass := yuncang.GrantNeedsApproval(u.Role)
	if glass {
		if !*breakGlass {
			return fmt.Errorf("%s could reveal, resolve or administer: re-enable it over the API (POST /api/v1/users/%d/reenable), where a second person approves; --break-glass overrides, audited and raised as an alert", u.Username, u.ID)
		}
		outcome, detail = yuncang.OutcomeAlert, "break glass: re-enabled on the command line without a second person: "+masked
		// The alert first: if it cannot be raised, nothing is done.
		if err := raiseBreakGlass(ctx, db, u, "re-enabled on the command line"); err != nil {
			return err
		}
	}
	if err := db.Reenable(ctx, u.ID, &yuncang.Event{UserID: u.ID, Username: u.Username, Role: u.Role, TenantID: u.TenantID,
		Kind: yuncang.EventReenable, Outcome: outcome, Source: "cli", Detail: detail}); err != nil {
		return fmt.Errorf("%s", yuncang.ErrorMessage(err))
	}
	// A fresh start, as over the API: the windows that led to the suspension go.
	if err := db.ForgetGuardWindow(ctx, guard.Key{TenantID: u.TenantID, Subject: u.ID}); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "re-enabled %s (%s)\n", u.Username, u.Role)
	if glass {
		fmt.Fprintf(s.out, "break glass: audited as an alert; an open alert waits for review by another security officer or platform admin\n")
	}
	return nil
}
