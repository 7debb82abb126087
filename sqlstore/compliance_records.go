package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang"
)

// CreateIncident stores an incident and its audit event in one transaction.
func (db *DB) CreateIncident(ctx context.Context, in *yuncang.Incident, ev *yuncang.Event) error {
	if in.OpenedAt.IsZero() {
		in.OpenedAt = db.now()
	}
	tenants := make([]string, len(in.AffectedTenants))
	for i, id := range in.AffectedTenants {
		tenants[i] = strconv.FormatInt(id, 10)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO incidents (opened_at, opened_by, actor_id, window_start, window_end, cause, categories, harm,
			remedies, individual_measures, contact, affected_orders, affected_tenants) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			micros(in.OpenedAt), in.OpenedBy, in.ActorID, micros(in.WindowStart), micros(in.WindowEnd), in.Cause, in.Categories, in.Harm,
			in.Remedies, in.IndividualMeasures, in.Contact, in.AffectedOrders, strings.Join(tenants, ",")).Scan(&in.ID); err != nil {
			return wrapf(err, "insert incident")
		}
		if ev != nil {
			ev.Targets = append(ev.Targets, "incident:"+strconv.FormatInt(in.ID, 10))
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

const incidentCols = `i.id, i.opened_at, i.opened_by, i.actor_id, COALESCE(u.username, ''), i.window_start, i.window_end, i.cause, i.categories, i.harm,
	i.remedies, i.individual_measures, i.contact, i.affected_orders, i.affected_tenants FROM incidents i LEFT JOIN users u ON u.id = i.actor_id`

func scanIncident(r interface{ Scan(...any) error }) (*yuncang.Incident, error) {
	var in yuncang.Incident
	var opened, start, end int64
	var tenants string
	if err := r.Scan(&in.ID, &opened, &in.OpenedBy, &in.ActorID, &in.ActorName, &start, &end, &in.Cause, &in.Categories, &in.Harm,
		&in.Remedies, &in.IndividualMeasures, &in.Contact, &in.AffectedOrders, &tenants); err != nil {
		return nil, err
	}
	in.OpenedAt, in.WindowStart, in.WindowEnd = fromMicros(opened), fromMicros(start), fromMicros(end)
	for _, s := range strings.Split(tenants, ",") {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.AffectedTenants = append(in.AffectedTenants, id)
		}
	}
	return &in, nil
}

// Incidents lists incidents, newest first.
func (db *DB) Incidents(ctx context.Context) ([]*yuncang.Incident, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+incidentCols+` ORDER BY i.id DESC`)
	if err != nil {
		return nil, wrapf(err, "list incidents")
	}
	return collect(rows, scanIncident)
}

// IncidentByID returns one incident.
func (db *DB) IncidentByID(ctx context.Context, id int64) (*yuncang.Incident, error) {
	in, err := scanIncident(db.r.QueryRowContext(ctx, db.q(`SELECT `+incidentCols+` WHERE i.id = ?`), id))
	if err != nil {
		return nil, notFound(err, "incident")
	}
	return in, nil
}

// StoreInspection keeps a signed inspection report and its audit event in
// one transaction.
func (db *DB) StoreInspection(ctx context.Context, in *yuncang.Inspection, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO inspections (run_at, run_by, passed, failed, warned, checkpoint_size, pdf_sha256, pdf, signature)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), micros(in.RunAt), in.RunBy, in.Passed, in.Failed, in.Warned, in.CheckpointSize,
			in.PDFSHA256, in.PDF, string(in.Signature)).Scan(&in.ID); err != nil {
			return wrapf(err, "insert inspection")
		}
		if ev != nil {
			ev.Targets = append(ev.Targets, "inspection:"+strconv.FormatInt(in.ID, 10))
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

const inspectionCols = `i.id, i.run_at, i.run_by, COALESCE(u.username, ''), i.passed, i.failed, i.warned, i.checkpoint_size, i.pdf_sha256, i.signature`

func scanInspection(r interface{ Scan(...any) error }, extra ...any) (*yuncang.Inspection, error) {
	var in yuncang.Inspection
	var at int64
	var sig string
	if err := r.Scan(append([]any{&in.ID, &at, &in.RunBy, &in.RunByName, &in.Passed, &in.Failed, &in.Warned, &in.CheckpointSize, &in.PDFSHA256, &sig}, extra...)...); err != nil {
		return nil, err
	}
	in.RunAt, in.Signature = fromMicros(at), []byte(sig)
	return &in, nil
}

// Inspections lists inspections, newest first, without their PDF bytes.
func (db *DB) Inspections(ctx context.Context) ([]*yuncang.Inspection, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+inspectionCols+` FROM inspections i LEFT JOIN users u ON u.id = i.run_by ORDER BY i.id DESC`)
	if err != nil {
		return nil, wrapf(err, "list inspections")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.Inspection, error) { return scanInspection(r) })
}

// InspectionByID returns one inspection with its PDF report.
func (db *DB) InspectionByID(ctx context.Context, id int64) (*yuncang.Inspection, error) {
	var pdf []byte
	in, err := scanInspection(db.r.QueryRowContext(ctx, db.q(`SELECT `+inspectionCols+`, i.pdf FROM inspections i LEFT JOIN users u ON u.id = i.run_by WHERE i.id = ?`), id), &pdf)
	if err != nil {
		return nil, notFound(err, "inspection")
	}
	in.PDF = pdf
	return in, nil
}
