package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/sqlstore"
)

// alertNotifier is the alert webhook configured by YUNCANG_ALERT_WEBHOOK_URL
// and its secret (nothing is sent when the URL is unset).
func alertNotifier(log *slog.Logger, now func() time.Time) (*guard.Notifier, error) {
	n := &guard.Notifier{URL: os.Getenv("YUNCANG_ALERT_WEBHOOK_URL"), Log: log, Now: now}
	sec, err := secretFromEnv("YUNCANG_ALERT_WEBHOOK_SECRET")
	if err != nil {
		return nil, err
	}
	n.Secret = []byte(sec)
	if n.URL != "" && len(n.Secret) < 16 {
		return nil, errors.New("YUNCANG_ALERT_WEBHOOK_URL is set: YUNCANG_ALERT_WEBHOOK_SECRET (16+ bytes) must be too, so receivers can trust the alerts")
	}
	return n, nil
}

// RuleBreakGlass names the alert raised when the operator at the server
// host does on the command line what the API gives only to two people.
const RuleBreakGlass = "break_glass"

// raiseBreakGlass records an open alert about u (and its audit record) for
// the security officers and platform admins to review, and sends it to the
// alert webhook: the break glass is never quiet. It waits for the webhook.
func raiseBreakGlass(ctx context.Context, db *sqlstore.DB, u *yuncang.User, response string) error {
	n, err := alertNotifier(slog.Default(), db.Now)
	if err != nil {
		return err
	}
	al := &yuncang.Alert{At: db.Now(), UserID: u.ID, Username: u.Username, Role: u.Role, TenantID: u.TenantID, Rule: RuleBreakGlass,
		Severity: guard.Alert.String(), Response: response,
		Detail: "done on the server host's command line without a second person: review why, and what the account did since"}
	ev := &yuncang.Event{UserID: u.ID, Username: u.Username, Role: u.Role, TenantID: u.TenantID, Kind: yuncang.EventGuardAlert,
		Outcome: yuncang.OutcomeAlert, Source: "cli", Detail: RuleBreakGlass + " (" + response + ")"}
	if err := db.RecordAlert(ctx, al, ev); err != nil {
		return err
	}
	n.Notify(al)
	n.Wait()
	return nil
}
