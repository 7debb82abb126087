package sqlstore

import (
	"context"

	"github.com/yuncang/yuncang"
)

var _ yuncang.EventService = (*DB)(nil)

// RecordEvent stores a security event.
func (db *DB) RecordEvent(ctx context.Context, e *yuncang.Event) error {
	if e.At.IsZero() {
		e.At = db.now().UTC()
	}
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO security_events (at, user_id, username, role, tenant_id, actor_id, kind, outcome, source, device_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		micros(e.At), e.UserID, e.Username, e.Role, e.TenantID, e.ActorID, e.Kind, e.Outcome, e.Source, e.DeviceID, e.Detail).Scan(&e.ID)
	if err != nil {
		return wrapf(err, "insert security event")
	}
	return nil
}

// Events lists security events, newest first.
func (db *DB) Events(ctx context.Context, f yuncang.EventFilter) ([]*yuncang.Event, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := `SELECT id, at, user_id, username, role, tenant_id, actor_id, kind, outcome, source, device_id, detail FROM security_events WHERE 1 = 1`
	var args []any
	if f.UserID != 0 {
		q += ` AND user_id = ?`
		args = append(args, f.UserID)
	}
	if f.Kind != "" {
		q += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if !f.Since.IsZero() {
		q += ` AND at >= ?`
		args = append(args, micros(f.Since))
	}
	if f.AfterID > 0 {
		q += ` AND id < ?`
		args = append(args, f.AfterID)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, wrapf(err, "list security events")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.Event, error) {
		var e yuncang.Event
		var at int64
		err := r.Scan(&e.ID, &at, &e.UserID, &e.Username, &e.Role, &e.TenantID, &e.ActorID, &e.Kind, &e.Outcome, &e.Source, &e.DeviceID, &e.Detail)
		e.At = fromMicros(at)
		return &e, err
	})
}
