package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/yuncang/yuncang/auth"
)

func init() {
	register("totp", "print the current one-time code (RFC 6238) for a TOTP secret, as an authenticator app would", runTOTP)
}

// runTOTP is an authenticator for the demo and for scripts: the secret
// comes from --secret or YUNCANG_TOTP_SECRET, the code goes to stdout.
func runTOTP(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("totp --secret SECRET", "totp --secret SECRET\n\nPrints the current 6-digit code for a base32 TOTP secret (the demo's logins print theirs).", s)
	secret := fs.String("secret", os.Getenv("YUNCANG_TOTP_SECRET"), "the base32 TOTP secret (YUNCANG_TOTP_SECRET)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *secret == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	code, err := auth.TOTPCode(strings.TrimSpace(*secret), time.Now())
	if err != nil {
		return errors.New("the secret is not a base32 TOTP secret")
	}
	fmt.Fprintln(s.out, code)
	return nil
}
