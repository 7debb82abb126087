package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/retention"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() {
	register("retention run", "erase recipient data past its merchant's retention period by destroying its keys (--dry-run: say what would go)", runRetention)
	register("retention policy", "show or set a merchant's retention periods", runRetentionPolicy)
	register("retention rekey-legacy", "move orders sealed with the merchant key into their intake day's key (--dry-run: count them)", runRekeyLegacy)
}

func runRekeyLegacy(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("retention rekey-legacy", "retention rekey-legacy [--dry-run] [--batch N] [--rest X]\n\n"+
		"Re-seals orders taken in before retention keys existed (sealed with the merchant's\n"+
		"data key) under the key of their intake day, each with an order key of its own, so\n"+
		"retention erases them by key and deletion requests shred them (docs/compliance/retention.md).\n"+
		"One transaction and audit record per batch, merchant and day. Safe while servers\n"+
		"serve; `retention run` (and serve, hourly) does it too.", s)
	c.bind(fs, false)
	dry := fs.Bool("dry-run", false, "count the orders that would move; change nothing")
	batch := fs.Int("batch", 100, "orders per transaction")
	rest := fs.Float64("rest", 5, "pause after each transaction, in multiples of its duration (0: none)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if *rest < 0 {
		return errors.New("--rest: not negative")
	}
	if *batch < 1 || *batch > 1000 {
		return errors.New("--batch: between 1 and 1000")
	}
	db, _, err := openConfigured(ctx, &c, false)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	rep, err := db.RekeyLegacy(ctx, *dry, *batch, *rest, yuncang.Event{At: time.Now(), Username: "retention-cli", Kind: yuncang.EventRekey,
		Outcome: yuncang.OutcomeOK, Detail: "legacy orders into their intake day's key"})
	verb := "re-sealed"
	if *dry {
		verb = "would re-seal"
	}
	fmt.Fprintf(s.out, "%s %d legacy orders under their intake day's key (%d transactions); %s\n",
		verb, rep.Orders, rep.Batches, time.Since(start).Round(time.Millisecond))
	if rep.Skipped > 0 {
		fmt.Fprintf(s.out, "%s\n", notMoved(rep.Skipped))
	}
	return err
}

func runRetention(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("retention run", "retention run [--dry-run] [--exit-tenant CODE --confirm]\n\n"+
		"Destroys the data keys of every bucket whose orders are all past their merchant's\n"+
		"period (docs/compliance/retention.md), then clears their blind-index entries and\n"+
		"masked views in small batches. Safe while servers serve; `serve` runs it too.", s, true)
	fs := sc.fs
	dry := fs.Bool("dry-run", false, "report what would be erased; change nothing")
	exit := fs.String("exit-tenant", "", "a merchant leaving: erase ALL its recipient data now")
	confirm := fs.Bool("confirm", false, "required with --exit-tenant")
	batch := fs.Int("batch", 100, "orders per sweep transaction")
	rest := fs.Float64("rest", 9, "pause after each sweep batch, in multiples of its duration")
	return sc.run(ctx, args, nil, func(db *sqlstore.DB) error {
		o := retention.Options{DryRun: *dry, Batch: *batch, Rest: *rest, Actor: "retention-cli"}
		if *exit != "" {
			if !*confirm && !*dry {
				return errors.New("--exit-tenant erases every recipient of the merchant for good: add --confirm (or --dry-run)")
			}
			t, err := tenantByCode(ctx, db, "exit-tenant", *exit)
			if err != nil {
				return err
			}
			o.ExitTenant = t.ID
		}
		start := time.Now()
		rep, err := retention.Run(ctx, db, o)
		if rep != nil {
			printRetention(s.out, rep, *dry, time.Since(start))
		}
		return err
	})
}

// notMoved explains the legacy orders rekeying could not move: their intake
// day's key was erased already, so they stay under the merchant key and
// retention erases them one by one when they are due (the legacy rule).
func notMoved(n int) string {
	return fmt.Sprintf("%d legacy orders not moved: the key of their intake day was erased already; they stay under the merchant's key and retention erases them one by one when due", n)
}

func printRetention(w io.Writer, rep *retention.Report, dry bool, took time.Duration) {
	verb := "erased"
	if dry {
		verb = "would erase"
	}
	for _, e := range rep.Erased {
		b := e.Bucket
		fmt.Fprintf(w, "%s key %d: tenant %d, intake day %s, %d orders (ids %d-%d): %s\n", verb, b.ID, b.TenantID,
			vault.DayStart(b.Day).Format("2006-01-02"), b.Orders, b.MinOrderID, b.MaxOrderID, e.Reason)
	}
	if rep.Rekeyed.Orders > 0 || rep.Rekeyed.Skipped > 0 {
		moved := "moved"
		if dry {
			moved = "would move"
		}
		fmt.Fprintf(w, "%s %d legacy orders into their intake day's key\n", moved, rep.Rekeyed.Orders)
		if rep.Rekeyed.Skipped > 0 {
			fmt.Fprintf(w, "%s\n", notMoved(rep.Rekeyed.Skipped))
		}
	}
	fmt.Fprintf(w, "%s %d of %d live keys (%d orders), %d legacy orders; swept %d orders; %s\n",
		verb, len(rep.Erased), rep.LiveKeys, rep.Orders, rep.LegacyOrders, rep.Swept, took.Round(time.Millisecond))
}

func runRetentionPolicy(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("retention policy", "retention policy --tenant CODE [--after-delivery DAYS --after-cancel DAYS --max-age DAYS]\n\n"+
		"Without a period flag, shows the merchant's periods; each flag given sets one (1 to 3650 days;\n"+
		"--max-age at least the other two); those not given keep their value.", s, true)
	fs := sc.fs
	code := fs.String("tenant", "", "merchant code")
	d := fs.Int("after-delivery", 0, "days kept after delivery (1-3650)")
	cn := fs.Int("after-cancel", 0, "days kept after cancellation (1-3650)")
	ma := fs.Int("max-age", 0, "days kept after intake at most (1-3650)")
	set := map[string]bool{}
	check := func() error {
		if *code == "" {
			sc.fs.Usage()
			return errUsage
		}
		// A flag given is a value to set, 0 included: 0 was ignored
		// before, and the defaults printed as if nothing was wrong.
		var err error
		fs.Visit(func(f *flag.Flag) {
			v := map[string]int{"after-delivery": *d, "after-cancel": *cn, "max-age": *ma}
			if n, ok := v[f.Name]; ok {
				set[f.Name] = true
				if (n < 1 || n > 3650) && err == nil {
					err = fmt.Errorf("--%s: must be between 1 and 3650 days, not %d", f.Name, n)
				}
			}
		})
		return err
	}
	return sc.run(ctx, args, check, func(db *sqlstore.DB) error {
		t, err := tenantByCode(ctx, db, "tenant", *code)
		if err != nil {
			return err
		}
		p, err := db.RetentionPolicy(ctx, t.ID)
		if err != nil {
			return err
		}
		if len(set) > 0 {
			for _, f := range []struct {
				name string
				v    int
				dst  *int
			}{{"after-delivery", *d, &p.AfterDeliveryDays}, {"after-cancel", *cn, &p.AfterCancelDays}, {"max-age", *ma, &p.MaxAgeDays}} {
				if set[f.name] {
					*f.dst = f.v
				}
			}
			if err := yuncang.ValidRetention(p); err != nil {
				return fmt.Errorf("--%s: %s (now %d / %d / %d days after delivery / cancellation / intake)", policyFlag(yuncang.ErrorField(err)),
					yuncang.ErrorMessage(err), p.AfterDeliveryDays, p.AfterCancelDays, p.MaxAgeDays)
			}
			ev := &yuncang.Event{At: time.Now(), TenantID: t.ID, Username: "retention-cli", Kind: yuncang.EventRetentionPolicy, Outcome: yuncang.OutcomeOK,
				Detail: fmt.Sprintf("after delivery %d d, after cancellation %d d, max age %d d", p.AfterDeliveryDays, p.AfterCancelDays, p.MaxAgeDays)}
			if err := db.SetRetentionPolicy(ctx, p, ev); err != nil {
				return err
			}
			p.Default = false
		}
		src := "set"
		if p.Default {
			src = "default"
		}
		fmt.Fprintf(s.out, "tenant %s (%s): %d days after delivery, %d after cancellation, at most %d after intake\n",
			t.Code, src, p.AfterDeliveryDays, p.AfterCancelDays, p.MaxAgeDays)
		return nil
	})
}

// policyFlag is the flag of a retention policy field.
func policyFlag(field string) string {
	switch field {
	case "after_delivery_days":
		return "after-delivery"
	case "after_cancel_days":
		return "after-cancel"
	}
	return "max-age"
}

// retentionInterval is how often serve runs retention (YUNCANG_RETENTION_INTERVAL,
// a Go duration; "off" or 0 turns the schedule off, e.g. when one node or
// cron runs `retention run`).
func retentionInterval() (time.Duration, error) {
	v := os.Getenv("YUNCANG_RETENTION_INTERVAL")
	switch v {
	case "":
		return time.Hour, nil
	case "off", "0":
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < time.Minute {
		return 0, fmt.Errorf("YUNCANG_RETENTION_INTERVAL: %q is not a duration of at least 1m (or off)", v)
	}
	return d, nil
}

// auditRetentionDays is how long audit records stay online
// (YUNCANG_AUDIT_RETENTION_DAYS). The Cybersecurity Law (art. 21) asks for
// at least six months of network logs: less than 180 is refused. Nothing
// is pruned yet (docs/compliance/retention.md), so records stay at least
// this long.
func auditRetentionDays() (int, error) {
	v := os.Getenv("YUNCANG_AUDIT_RETENTION_DAYS")
	if v == "" {
		return 180, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 180 {
		return 0, fmt.Errorf("YUNCANG_AUDIT_RETENTION_DAYS: %q must be a whole number of days, at least 180 (Cybersecurity Law art. 21)", v)
	}
	return n, nil
}

// dataRequestDueDays is the working days to answer a data-subject request
// (YUNCANG_DSR_DUE_WORKING_DAYS, default 15; at most 22, about the 30
// calendar days GB/T 35273-2020 §8.7 allows).
func dataRequestDueDays() (int, error) {
	v := os.Getenv("YUNCANG_DSR_DUE_WORKING_DAYS")
	if v == "" {
		return yuncang.DataRequestDueWorkingDays, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 22 {
		return 0, fmt.Errorf("YUNCANG_DSR_DUE_WORKING_DAYS: %q must be a whole number of working days from 1 to 22", v)
	}
	return n, nil
}

func (m *Main) retentionLoop(stop chan struct{}, every time.Duration) {
	defer m.loops.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			rep, err := retention.Run(context.Background(), m.DB, retention.Options{Actor: "retention-schedule"})
			if err != nil {
				m.Logger.Error("retention run", "err", err.Error())
			}
			if rep != nil && (len(rep.Erased) > 0 || rep.LegacyOrders > 0) {
				m.Logger.Info("retention run", "keys_erased", len(rep.Erased), "orders", rep.Orders, "legacy_orders", rep.LegacyOrders, "swept", rep.Swept)
			}
		}
	}
}
