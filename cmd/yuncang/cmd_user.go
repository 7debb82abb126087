package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

func init() {
	register("user add", "create an account (bootstraps the first platform admin)", runUserAdd)
}

func runUserAdd(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("user add", "user add --username NAME --role ROLE [--tenant CODE] [--password-stdin] [--break-glass]\n\n"+
		"Bootstraps the first platform admin: whoever runs it holds the database and its keys.\n"+
		"Without --password-stdin a random password is generated and printed once. Every account\n"+
		"made here is in the audit log. Once an active platform admin exists, accounts that can\n"+
		"reveal, resolve or administer are created over the API, where a second person approves\n"+
		"them and the person enrols themselves; --break-glass overrides that, audited as an alert\n"+
		"and raised as an open alert for another person to review.", s)
	c.bind(fs, false)
	username := fs.String("username", "", "login name (required)")
	role := fs.String("role", "", "one of: "+strings.Join(yuncang.Roles, ", "))
	tenant := fs.String("tenant", "", "merchant code, for merchant roles")
	warehouses := fs.String("warehouses", "", "comma-separated warehouse codes, for warehouse-scoped roles")
	employment := fs.String("employment", "", "permanent (default), temporary or contractor")
	end := fs.String("end", "", "end date (2006-01-02), required for temporary staff")
	manager := fs.String("manager", "", "merchant admin username, for merchant staff")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	breakGlass := fs.Bool("break-glass", false, "create a revealing or administering account although a platform admin exists (audited, alert raised)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *username == "" || *role == "" {
		fs.Usage()
		return errUsage
	}
	password := ""
	if *role != yuncang.RoleCarrier {
		if *fromStdin {
			line, err := bufio.NewReader(s.in).ReadString('\n')
			if err != nil && line == "" {
				return fmt.Errorf("no password on standard input")
			}
			password = strings.TrimRight(line, "\r\n")
		} else {
			for password = demoPassword(); auth.CheckPasswordPolicy(*username, password) != nil; {
				password = demoPassword() // astronomically rare: a random word hit a rule
			}
		}
		if err := auth.CheckPasswordPolicy(*username, password); err != nil {
			return fmt.Errorf("%s: %s", yuncang.ErrorField(err), yuncang.ErrorMessage(err))
		}
	}
	db, _, err := openConfigured(ctx, &c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	u := &yuncang.User{Username: *username, Role: *role, EmploymentType: *employment}
	if *end != "" {
		t, err := time.ParseInLocation("2006-01-02", *end, auth.DefaultPolicy().ShiftZone)
		if err != nil {
			return fmt.Errorf("--end must be a date like 2006-01-02")
		}
		u.EndAt = t
	}
	for _, code := range strings.Split(*warehouses, ",") {
		if code == "" {
			continue
		}
		w, err := db.WarehouseByCode(ctx, code)
		if err != nil {
			return fmt.Errorf("warehouse %q: %s", code, yuncang.ErrorMessage(err))
		}
		u.Warehouses = append(u.Warehouses, w.ID)
	}
	if *manager != "" {
		m, err := db.UserByUsername(ctx, *manager)
		if err != nil {
			return fmt.Errorf("manager: %s", yuncang.ErrorMessage(err))
		}
		u.ManagerID = m.ID
	}
	if *tenant != "" {
		t, err := tenantByCode(ctx, db, "tenant", *tenant)
		if err != nil {
			return err
		}
		u.TenantID = t.ID
	}
	if err := u.Validate(); err != nil {
		return fmt.Errorf("%s %s", yuncang.ErrorField(err), yuncang.ErrorMessage(err))
	}
	outcome, detail := yuncang.OutcomeOK, "created on the command line by the operator (bootstrap)"
	if yuncang.GrantNeedsApproval(u.Role) {
		admins, err := activePlatformAdmins(ctx, db)
		if err != nil {
			return err
		}
		if admins > 0 {
			if !*breakGlass {
				return fmt.Errorf("a platform admin exists: create this account over the API (POST /api/v1/users), where a second person approves it and the person enrols themselves; --break-glass overrides, audited as an alert")
			}
			outcome, detail = yuncang.OutcomeAlert, "break glass: created on the command line although a platform admin exists"
		}
	}
	hash := ""
	if password != "" {
		if hash, err = auth.HashPassword(password); err != nil {
			return err
		}
	}
	if err := db.CreateUser(ctx, u, hash); err != nil {
		return fmt.Errorf("%s %s", yuncang.ErrorField(err), yuncang.ErrorMessage(err))
	}
	if err := db.RecordEvent(ctx, &yuncang.Event{UserID: u.ID, Username: u.Username, Role: u.Role, TenantID: u.TenantID,
		Kind: yuncang.EventUserCreate, Outcome: outcome, Source: "cli", Detail: detail}); err != nil {
		return err
	}
	if outcome == yuncang.OutcomeAlert {
		if err := raiseBreakGlass(ctx, db, u, "account created on the command line"); err != nil {
			return err
		}
	}
	fmt.Fprintf(s.out, "created %s (%s)\n", u.Username, u.Role)
	if password != "" && !*fromStdin {
		fmt.Fprintf(s.out, "password: %s\n", password)
	}
	if u.Role != yuncang.RoleCarrier {
		secret, err := auth.New(db, db.Vault()).EnrolTOTP(ctx, u.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "second factor (TOTP, shown once): %s\n%s\n", secret, auth.TOTPURI("yuncang", u.Username, secret))
	}
	return nil
}

// activePlatformAdmins counts the platform admins that can still act.
func activePlatformAdmins(ctx context.Context, db interface {
	Users(ctx context.Context, tenantID int64) ([]*yuncang.User, error)
}) (int, error) {
	us, err := db.Users(ctx, 0)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, u := range us {
		if u.Role == yuncang.RolePlatformAdmin && u.Status == yuncang.UserActive {
			n++
		}
	}
	return n, nil
}
