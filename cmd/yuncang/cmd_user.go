package main

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

func init() {
	register("user add", "create an account (bootstraps the first platform admin)", runUserAdd)
}

func runUserAdd(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("user add", "user add --username NAME --role ROLE [--tenant CODE] [--password-stdin]\n\n"+
		"Without --password-stdin a random password is generated and printed once.", s)
	c.bind(fs, false)
	username := fs.String("username", "", "login name (required)")
	role := fs.String("role", "", "one of: "+strings.Join(yuncang.Roles, ", "))
	tenant := fs.String("tenant", "", "merchant code, for merchant roles")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
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
	u := &yuncang.User{Username: *username, Role: *role}
	if *tenant != "" {
		t, err := db.TenantByCode(ctx, *tenant)
		if err != nil {
			return fmt.Errorf("tenant: %s", yuncang.ErrorMessage(err))
		}
		u.TenantID = t.ID
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
	fmt.Fprintf(s.out, "created %s (%s)\n", u.Username, u.Role)
	if password != "" && !*fromStdin {
		fmt.Fprintf(s.out, "password: %s\n", password)
	}
	return nil
}
