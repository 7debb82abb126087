package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
)

// SecurityFacts reads what the security ledger is computed from, as the
// system stands at time at; counts over time cover [since, at].
func (db *DB) SecurityFacts(ctx context.Context, since, at time.Time) (*yuncang.SecurityFacts, error) {
	f := &yuncang.SecurityFacts{At: at, Since: since, LiveSessions: map[int64]int{}, LiveTokens: map[int64]int{},
		GatewaySeen: map[int64]time.Time{}, Approvals: map[string]int{}, RevealsByPurpose: map[string]int{}, Retention: map[int64]int{}}
	var err error
	if f.Users, err = db.AllUsers(ctx); err != nil {
		return nil, err
	}
	if f.Devices, err = db.Devices(ctx); err != nil {
		return nil, err
	}
	if f.Alerts, err = db.Alerts(ctx, "", 1000); err != nil {
		return nil, err
	}
	if f.Training, err = db.TrainingRecords(ctx); err != nil {
		return nil, err
	}
	if f.Carriers, err = db.Carriers(ctx); err != nil {
		return nil, err
	}
	if f.Tenants, err = db.Tenants(ctx); err != nil {
		return nil, err
	}
	for _, t := range f.Tenants {
		if f.Retention[t.ID], err = db.RetentionDays(ctx, t.ID); err != nil {
			return nil, err
		}
	}
	if f.Incidents, err = db.Incidents(ctx); err != nil {
		return nil, err
	}
	if err := db.liveCredentials(ctx, f, at); err != nil {
		return nil, err
	}
	if err := eachRow(ctx, db.r, db.q(`SELECT device_id, last_seen_at FROM print_gateways`), nil, func(r *sql.Rows) error {
		var id, seen int64
		if err := r.Scan(&id, &seen); err != nil {
			return err
		}
		f.GatewaySeen[id] = fromMicros(seen)
		return nil
	}); err != nil {
		return nil, wrapf(err, "read print gateways")
	}
	if err := eachRow(ctx, db.r, db.q(`SELECT status, COUNT(*) FROM approvals GROUP BY status`), nil, func(r *sql.Rows) error {
		var st string
		var n int
		if err := r.Scan(&st, &n); err != nil {
			return err
		}
		f.Approvals[st] = n
		return nil
	}); err != nil {
		return nil, wrapf(err, "count approvals")
	}
	if err := eachRow(ctx, db.r, db.q(`SELECT id, user_id, kind, extra, reason, requested_by, approved_by, created_at, approved_at, expires_at
		FROM quota_grants WHERE created_at >= ? ORDER BY id`), []any{micros(since)}, func(r *sql.Rows) error {
		var g yuncang.QuotaGrant
		var c, a, e int64
		if err := r.Scan(&g.ID, &g.UserID, &g.Kind, &g.Extra, &g.Reason, &g.RequestedBy, &g.ApprovedBy, &c, &a, &e); err != nil {
			return err
		}
		g.CreatedAt, g.ApprovedAt, g.ExpiresAt = fromMicros(c), fromMicros(a), fromMicros(e)
		f.QuotaGrants = append(f.QuotaGrants, &g)
		return nil
	}); err != nil {
		return nil, wrapf(err, "read quota grants")
	}
	// Reveals by purpose: the purpose is inside the protected record, not
	// a query column, so the window's reveal records are decoded.
	if err := eachRow(ctx, db.r, db.q(`SELECT data FROM audit_records WHERE action = ? AND at >= ? AND at <= ?`),
		[]any{yuncang.EventReveal, micros(since), micros(at)}, func(r *sql.Rows) error {
			var data []byte
			if err := r.Scan(&data); err != nil {
				return err
			}
			e, err := audit.DecodeEvent(data)
			if err != nil {
				return err
			}
			if e.Outcome == yuncang.OutcomeOK {
				f.RevealsByPurpose[e.Purpose]++
			} else {
				f.RevealsDenied++
			}
			return nil
		}); err != nil {
		return nil, wrapf(err, "count reveals")
	}
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM audit_records WHERE action = ? AND outcome = ? AND at >= ? AND at <= ?`),
		yuncang.EventKindLabelReprint, yuncang.OutcomeOK, micros(since), micros(at)).Scan(&f.Reprints); err != nil {
		return nil, wrapf(err, "count reprints")
	}
	kinds := make([]any, len(yuncang.ErasureKinds))
	for i, k := range yuncang.ErasureKinds {
		kinds[i] = k
	}
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM audit_records WHERE action IN (`+placeholders(len(kinds))+`)`), kinds...).Scan(&f.Erasures); err != nil {
		return nil, wrapf(err, "count erasures")
	}
	// A data-subject request closed as erased is audited as its closing
	// (data_request_close, targets data_request:ID and its orders), not as a
	// retention erasure: count those records of requests closed as erased.
	var closed int
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM audit_records a JOIN data_requests d
		ON (' ' || a.targets || ' ') LIKE ('% data_request:' || d.id || ' %')
		WHERE a.action = ? AND a.outcome = ? AND d.status = ?`),
		yuncang.EventDataRequestClose, yuncang.OutcomeOK, yuncang.DataRequestErased).Scan(&closed); err != nil {
		return nil, wrapf(err, "count data request erasures")
	}
	f.Erasures += closed
	if f.AuditSize, err = db.AuditSize(ctx); err != nil {
		return nil, err
	}
	var note string
	switch err := db.r.QueryRowContext(ctx, `SELECT note FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&note); {
	case err == nil:
		f.Checkpoint = []byte(note)
	case !isNoRows(err):
		return nil, wrapf(err, "read latest checkpoint")
	}
	return f, nil
}

// liveCredentials counts each account's unexpired sessions and tokens.
func (db *DB) liveCredentials(ctx context.Context, f *yuncang.SecurityFacts, at time.Time) error {
	return eachRow(ctx, db.r, db.q(`SELECT user_id, kind, COUNT(*) FROM credentials WHERE expires_at > ? GROUP BY user_id, kind`),
		[]any{micros(at)}, func(r *sql.Rows) error {
			var id int64
			var kind string
			var n int
			if err := r.Scan(&id, &kind, &n); err != nil {
				return err
			}
			if kind == yuncang.CredentialAPIToken {
				f.LiveTokens[id] += n
			} else {
				f.LiveSessions[id] += n
			}
			return nil
		})
}

// RetentionDays is how long the merchant's recipient data is kept after
// delivery: its retention policy's period.
func (db *DB) RetentionDays(ctx context.Context, tenantID int64) (int, error) {
	p, err := db.RetentionPolicy(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	return p.AfterDeliveryDays, nil
}

// AffectedOrders counts the distinct orders the actor revealed or printed
// labels of in [from, to] (successful actions only), and their merchants.
// Reveals name "order:N"; prints name "shipment:N", mapped to its order.
func (db *DB) AffectedOrders(ctx context.Context, actorID int64, from, to time.Time) (int, []int64, error) {
	orders := map[int64]bool{}
	var shipments []int64
	err := eachRow(ctx, db.r, db.q(`SELECT targets FROM audit_records WHERE actor_id = ? AND action IN (?, ?, ?) AND outcome = ? AND at >= ? AND at <= ?`),
		[]any{actorID, yuncang.EventReveal, yuncang.EventKindLabelPrint, yuncang.EventKindLabelReprint, yuncang.OutcomeOK, micros(from), micros(to)},
		func(r *sql.Rows) error {
			var targets string
			if err := r.Scan(&targets); err != nil {
				return err
			}
			for _, t := range strings.Fields(targets) {
				kind, id, ok := strings.Cut(t, ":")
				n, err := strconv.ParseInt(id, 10, 64)
				if !ok || err != nil {
					continue
				}
				switch kind {
				case "order":
					orders[n] = true
				case "shipment":
					shipments = append(shipments, n)
				}
			}
			return nil
		})
	if err != nil {
		return 0, nil, wrapf(err, "read the actor's audit records")
	}
	for len(shipments) > 0 {
		batch := shipments[:min(len(shipments), 500)]
		shipments = shipments[len(batch):]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		if err := eachRow(ctx, db.r, db.q(`SELECT order_id FROM shipments WHERE id IN (`+placeholders(len(args))+`)`), args, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			orders[id] = true
			return nil
		}); err != nil {
			return 0, nil, wrapf(err, "map shipments to orders")
		}
	}
	ids := make([]any, 0, len(orders))
	for id := range orders {
		ids = append(ids, id)
	}
	tenants := map[int64]bool{}
	for len(ids) > 0 {
		batch := ids[:min(len(ids), 500)]
		ids = ids[len(batch):]
		if err := eachRow(ctx, db.r, db.q(`SELECT DISTINCT tenant_id FROM orders WHERE id IN (`+placeholders(len(batch))+`)`), batch, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			tenants[id] = true
			return nil
		}); err != nil {
			return 0, nil, wrapf(err, "find the orders' merchants")
		}
	}
	out := make([]int64, 0, len(tenants))
	for id := range tenants {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return len(orders), out, nil
}

// eachRow runs a read query and calls fn for each row.
func eachRow(ctx context.Context, q *sql.DB, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
