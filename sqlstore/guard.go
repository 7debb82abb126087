package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.GuardService = (*DB)(nil)

const dayMicros = int64(24 * time.Hour / time.Microsecond)

// ConsumeQuota increments the hour, day and tenant-day counters in one
// transaction and rolls back if any goes over its limit. The counter rows
// are locked by the update (or by the upsert that creates a day's row), so
// concurrent servers cannot both take the last unit.
func (db *DB) ConsumeQuota(ctx context.Context, q yuncang.QuotaRequest) error {
	qs, err := db.quotaStatement(ctx, q)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.consumeQuota(ctx, tx, q, qs) })
}

// quotaStmt is a quota's counter statements for each scope (the account's
// row, the merchant's), prepared before the transaction.
type quotaStmt struct {
	scopes []quotaScope
}

// quotaScope counts a unit on one scope's row of the day. The quick count
// is an update that counts only if the row exists and stays within its
// limits once counted, and says so by the rows it affected: no row to read
// back, so it costs a fraction of the full count. The full count, an
// upsert that creates the day's row and returns its counts to judge, runs
// only when the quick one did not count: the day's first unit, or a limit
// reached (where an approved raise may still let it through).
//
// The two scopes' quick counts stay two statements: one UPDATE of both rows
// (WHERE ... OR ..., RETURNING the scopes it counted) was tried and cost
// more on SQLite (a multi-index OR with an ephemeral row set): in the
// guard bench's profile, 0.66 s of CPU against 0.12 s for the two updates,
// and more guard time added per reveal in four of four runs.
type quotaScope struct {
	scope               string
	quick, full         *sql.Stmt
	quickArgs, fullArgs []any
}

// The statements of a scope's count. hour_count restarts at 1 in a new
// hour; an update's conditions see the row as it was, so "the hour is new,
// or its count is under the limit" is "the count after this one is within".
const (
	quotaFullSQL = `INSERT INTO guard_counters (scope, scope_id, kind, day, day_count, hour, hour_count) VALUES (?, ?, ?, ?, 1, ?, 1)
		ON CONFLICT (scope, scope_id, kind, day) DO UPDATE SET day_count = guard_counters.day_count + 1,
			hour_count = CASE WHEN guard_counters.hour = excluded.hour THEN guard_counters.hour_count + 1 ELSE 1 END,
			hour = excluded.hour
		RETURNING day_count, hour_count`
	quotaQuickSQL = `UPDATE guard_counters SET day_count = day_count + 1,
			hour_count = CASE WHEN hour = ? THEN hour_count + 1 ELSE 1 END, hour = ?
		WHERE scope = ? AND scope_id = ? AND kind = ? AND day = ? AND day_count < ? AND (hour <> ? OR hour_count < ?)`
)

// quotaStatement prepares the statements that count a unit for q on the
// account's and the merchant's rows.
func (db *DB) quotaStatement(ctx context.Context, q yuncang.QuotaRequest) (quotaStmt, error) {
	hour := micros(q.At.Truncate(time.Hour))
	day := micros(time.Date(q.At.Year(), q.At.Month(), q.At.Day(), 0, 0, 0, 0, q.At.Location()))
	limit := func(n int) int64 { // 0: none
		if n <= 0 {
			return math.MaxInt64
		}
		return int64(n)
	}
	var qs quotaStmt
	add := func(scope string, id int64, dayLimit, hourLimit int) error {
		quick, err := db.prepared(ctx, quotaQuickSQL)
		if err != nil {
			return wrapf(err, "prepare quota counters")
		}
		full, err := db.prepared(ctx, quotaFullSQL)
		if err != nil {
			return wrapf(err, "prepare quota counters")
		}
		qs.scopes = append(qs.scopes, quotaScope{scope: scope, quick: quick, full: full,
			quickArgs: []any{hour, hour, scope, id, q.Kind, day, limit(dayLimit), hour, limit(hourLimit)},
			fullArgs:  []any{scope, id, q.Kind, day, hour}})
		return nil
	}
	if q.HourLimit > 0 || q.DayLimit > 0 {
		if err := add("user", q.UserID, q.DayLimit, q.HourLimit); err != nil {
			return qs, err
		}
	}
	if q.TenantLimit > 0 && q.TenantID != 0 {
		if err := add("tenant", q.TenantID, q.TenantLimit, 0); err != nil {
			return qs, err
		}
	}
	return qs, nil
}

// consumeQuota spends one unit inside tx; the caller's rollback undoes it.
// One row per scope and day holds the day's count and the current hour's,
// so each scope costs one statement (two on its day's first unit, or at a
// limit).
func (db *DB) consumeQuota(ctx context.Context, tx *sql.Tx, q yuncang.QuotaRequest, qs quotaStmt) error {
	refuse := func(what string, limit int) error {
		return yuncang.Errorf(yuncang.ERATELIMITED, "%s for %s (%d) is used up", what, q.Kind, limit)
	}
	for _, s := range qs.scopes {
		res, err := tx.StmtContext(ctx, s.quick).ExecContext(ctx, s.quickArgs...)
		if err != nil {
			return wrapf(err, "quota counters")
		}
		if n, err := res.RowsAffected(); err != nil {
			return wrapf(err, "quota counters")
		} else if n == 1 {
			continue // counted, within every limit
		}
		// Not counted by the quick update: count in full and judge.
		var day, hour int64
		if err := tx.StmtContext(ctx, s.full).QueryRowContext(ctx, s.fullArgs...).Scan(&day, &hour); err != nil {
			return wrapf(err, "quota counters")
		}
		if s.scope == "tenant" {
			if day > int64(q.TenantLimit) {
				return refuse("the merchant's daily ceiling", q.TenantLimit)
			}
			continue
		}
		if q.HourLimit > 0 && hour > int64(q.HourLimit) {
			return refuse("your hourly quota", q.HourLimit)
		}
		if q.DayLimit > 0 && day > int64(q.DayLimit) {
			// Only now look for an approved raise: most reveals never need to.
			extra, err := db.grantExtra(ctx, tx, q.UserID, q.Kind, q.At)
			if err != nil {
				return err
			}
			if day > int64(q.DayLimit+extra) {
				return refuse("your daily quota", q.DayLimit+extra)
			}
		}
	}
	return nil
}

// grantExtra sums the approved, unexpired raises of an account's quota.
func (db *DB) grantExtra(ctx context.Context, tx *sql.Tx, userID int64, kind string, at time.Time) (int, error) {
	var n sql.NullInt64
	err := tx.QueryRowContext(ctx, db.q(`SELECT SUM(extra) FROM quota_grants WHERE user_id = ? AND kind = ? AND approved_by <> 0 AND expires_at > ?`),
		userID, kind, micros(at)).Scan(&n)
	if err != nil {
		return 0, wrapf(err, "quota grants")
	}
	return int(n.Int64), nil
}

// RequestQuotaGrant stores a pending raise.
func (db *DB) RequestQuotaGrant(ctx context.Context, g *yuncang.QuotaGrant) error {
	g.CreatedAt = db.now()
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO quota_grants (user_id, kind, extra, reason, requested_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), g.UserID, g.Kind, g.Extra, g.Reason, g.RequestedBy, micros(g.CreatedAt), micros(g.ExpiresAt)).Scan(&g.ID)
	if err != nil {
		return wrapf(err, "insert quota grant")
	}
	return nil
}

// ApproveQuotaGrant approves a pending grant by a second person.
func (db *DB) ApproveQuotaGrant(ctx context.Context, id, approverID int64, at time.Time, ev *yuncang.Event) (*yuncang.QuotaGrant, error) {
	var g yuncang.QuotaGrant
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var created, approved, expires int64
		err := tx.QueryRowContext(ctx, db.q(`SELECT id, user_id, kind, extra, reason, requested_by, approved_by, created_at, approved_at, expires_at
			FROM quota_grants WHERE id = ?`), id).Scan(&g.ID, &g.UserID, &g.Kind, &g.Extra, &g.Reason, &g.RequestedBy, &g.ApprovedBy, &created, &approved, &expires)
		if err != nil {
			return notFound(err, "quota grant")
		}
		g.CreatedAt, g.ExpiresAt = fromMicros(created), fromMicros(expires)
		switch {
		case g.ApprovedBy != 0:
			return yuncang.Errorf(yuncang.ECONFLICT, "this grant is already approved")
		case g.RequestedBy == approverID:
			return yuncang.Errorf(yuncang.EFORBIDDEN, "a quota raise needs a second person's approval")
		case g.UserID == approverID:
			return yuncang.Errorf(yuncang.EFORBIDDEN, "you may not approve your own quota")
		case !at.Before(g.ExpiresAt):
			return yuncang.Errorf(yuncang.ECONFLICT, "this grant has expired")
		}
		var held int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COALESCE(SUM(extra), 0) FROM quota_grants
			WHERE user_id = ? AND kind = ? AND approved_by <> 0 AND expires_at > ?`), g.UserID, g.Kind, micros(at)).Scan(&held); err != nil {
			return wrapf(err, "sum quota grants")
		}
		if held+g.Extra > yuncang.MaxQuotaExtra {
			return yuncang.Errorf(yuncang.ECONFLICT, "the account already holds raises of %d today; at most %d in all", held, yuncang.MaxQuotaExtra)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE quota_grants SET approved_by = ?, approved_at = ? WHERE id = ?`), approverID, micros(at), id); err != nil {
			return wrapf(err, "approve grant")
		}
		g.ApprovedBy, g.ApprovedAt = approverID, at
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &g, nil
}

// RecordAlert stores an alert with its audit event.
func (db *DB) RecordAlert(ctx context.Context, a *yuncang.Alert, ev *yuncang.Event) error {
	if a.At.IsZero() {
		a.At = db.now()
	}
	a.Status = yuncang.AlertOpen
	return db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO alerts (at, user_id, username, role, tenant_id, rule, severity, response, detail, status)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), micros(a.At), a.UserID, a.Username, a.Role, a.TenantID, a.Rule, a.Severity,
			a.Response, a.Detail, a.Status).Scan(&a.ID)
		if err != nil {
			return wrapf(err, "insert alert")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

const alertCols = `id, at, user_id, username, role, tenant_id, rule, severity, response, detail, status, reviewed_by, review_note, reviewed_at`

func scanAlert(r interface{ Scan(...any) error }) (*yuncang.Alert, error) {
	var a yuncang.Alert
	var at, rev int64
	if err := r.Scan(&a.ID, &at, &a.UserID, &a.Username, &a.Role, &a.TenantID, &a.Rule, &a.Severity, &a.Response, &a.Detail, &a.Status,
		&a.ReviewedBy, &a.ReviewNote, &rev); err != nil {
		return nil, err
	}
	a.At, a.ReviewedAt = fromMicros(at), fromMicros(rev)
	return &a, nil
}

// Alerts lists alerts, newest first, optionally of one status.
func (db *DB) Alerts(ctx context.Context, status string, limit int) ([]*yuncang.Alert, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q, args := `SELECT `+alertCols+` FROM alerts`, []any{}
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, status)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := db.r.QueryContext(ctx, db.q(q), append(args, limit)...)
	if err != nil {
		return nil, wrapf(err, "list alerts")
	}
	return collect(rows, scanAlert)
}

// Alert returns one alert.
func (db *DB) Alert(ctx context.Context, id int64) (*yuncang.Alert, error) {
	a, err := scanAlert(db.r.QueryRowContext(ctx, db.q(`SELECT `+alertCols+` FROM alerts WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "no alert with this id")
	}
	if err != nil {
		return nil, wrapf(err, "read alert")
	}
	return a, nil
}

// ReviewAlert records a supervisor's decision on an open alert.
func (db *DB) ReviewAlert(ctx context.Context, id, reviewerID int64, status, note string, at time.Time, ev *yuncang.Event) (*yuncang.Alert, error) {
	var a *yuncang.Alert
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE alerts SET status = ?, reviewed_by = ?, review_note = ?, reviewed_at = ? WHERE id = ? AND status = 'open'`),
			status, reviewerID, note, micros(at), id)
		if err != nil {
			return wrapf(err, "review alert")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ENOTFOUND, "no open alert with this id")
		}
		if a, err = scanAlert(tx.QueryRowContext(ctx, db.q(`SELECT `+alertCols+` FROM alerts WHERE id = ?`), id)); err != nil {
			return wrapf(err, "read alert")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
	return a, err
}

// Reenable reactivates a disabled account.
func (db *DB) Reenable(ctx context.Context, userID int64, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE users SET status = 'active', disabled_reason = '', disabled_at = 0, last_active_at = ? WHERE id = ? AND status = 'disabled'`),
			micros(db.now()), userID)
		if err != nil {
			return wrapf(err, "re-enable")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ECONFLICT, "the account is not disabled")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

// ScheduleDecoys adds n decoys to the tenant's pending count, with its
// audit event (which names the merchant and the count, never an order).
func (db *DB) ScheduleDecoys(ctx context.Context, tenantID int64, n int, ev *yuncang.Event) error {
	if n < 1 {
		return yuncang.Invalid("count", "must be positive")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO decoys_pending (tenant_id, remaining) VALUES (?, ?)
			ON CONFLICT (tenant_id) DO UPDATE SET remaining = decoys_pending.remaining + excluded.remaining`), tenantID, n); err != nil {
			return wrapf(err, "schedule decoys")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

// PendingDecoys returns how many decoys of the tenant are still to be made.
func (db *DB) PendingDecoys(ctx context.Context, tenantID int64) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT remaining FROM decoys_pending WHERE tenant_id = ?`), tenantID).Scan(&n)
	if isNoRows(err) {
		return 0, nil
	}
	if err != nil {
		return 0, wrapf(err, "pending decoys")
	}
	return n, nil
}

// RecentMerchantOrderIDs returns the tenant's latest merchant order ids.
func (db *DB) RecentMerchantOrderIDs(ctx context.Context, tenantID int64, n int) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT merchant_order_id FROM orders WHERE tenant_id = ? ORDER BY id DESC LIMIT ?`), tenantID, n)
	if err != nil {
		return nil, wrapf(err, "recent order ids")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}

// CanaryIDs lists every decoy order (a few per merchant).
func (db *DB) CanaryIDs(ctx context.Context) ([]int64, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT order_id FROM canaries`)
	if err != nil {
		return nil, wrapf(err, "list canaries")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
}

// IsCanary reports whether any of the orders is a decoy.
func (db *DB) IsCanary(ctx context.Context, orderIDs []int64) (bool, error) {
	if len(orderIDs) == 0 {
		return false, nil
	}
	args := make([]any, len(orderIDs))
	for i, id := range orderIDs {
		args[i] = id
	}
	var n int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM canaries WHERE order_id IN (`+placeholders(len(args))+`)`), args...).Scan(&n)
	if err != nil {
		return false, wrapf(err, "canary lookup")
	}
	return n > 0, nil
}

// ActivityBaseline computes daily averages from the audit log itself.
func (db *DB) ActivityBaseline(ctx context.Context, userID int64, role, action string, since, until time.Time) (float64, float64, error) {
	days := until.Sub(since).Hours() / 24
	if days <= 0 {
		return 0, 0, nil
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT a.actor_id, COUNT(*) FROM audit_records a JOIN users u ON u.id = a.actor_id
		WHERE a.action = ? AND a.at >= ? AND a.at < ? AND u.role = ? GROUP BY a.actor_id`), action, micros(since), micros(until), role)
	if err != nil {
		return 0, 0, wrapf(err, "activity baseline")
	}
	defer rows.Close()
	var own float64
	var peers []float64
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return 0, 0, wrapf(err, "scan baseline")
		}
		avg := float64(n) / days
		if id == userID {
			own = avg
		} else {
			peers = append(peers, avg)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, wrapf(err, "baseline rows")
	}
	peer := 0.0
	if len(peers) > 0 {
		sort.Float64s(peers)
		peer = peers[len(peers)/2]
	}
	return own, peer, nil
}

// TenantDailyShippedMax returns the most orders of the merchant shipped
// (a parcel booked out of a warehouse) on one day since a time. Orders
// that were only imported do not count: an insider who pushes a batch of
// orders must not raise the merchant's reveal ceiling with them.
func (db *DB) TenantDailyShippedMax(ctx context.Context, tenantID int64, since time.Time) (int, error) {
	var n sql.NullInt64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT MAX(c) FROM (SELECT COUNT(DISTINCT order_id) AS c FROM parcels
		WHERE tenant_id = ? AND shipped_at >= ? AND shipped_at > 0 GROUP BY shipped_at / ?) t`), tenantID, micros(since), dayMicros).Scan(&n)
	if err != nil {
		return 0, wrapf(err, "tenant daily shipped volume")
	}
	return int(n.Int64), nil
}

// isCanaryTx reports, inside tx, whether the order is a decoy.
func (db *DB) isCanaryTx(ctx context.Context, tx *sql.Tx, orderID int64) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM canaries WHERE order_id = ?`), orderID).Scan(&n); err != nil {
		return false, wrapf(err, "canary lookup")
	}
	return n > 0, nil
}
