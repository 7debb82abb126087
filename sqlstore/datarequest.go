package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang"
)

var _ yuncang.DataRequestService = (*DB)(nil)

const dataRequestCols = `id, tenant_id, kind, status, order_ids, received_at, due_at, closed_at, reason, created_by, closed_by`

// CreateDataRequest stores a data-subject request with its audit record.
func (db *DB) CreateDataRequest(ctx context.Context, d *yuncang.DataRequest, ev *yuncang.Event) error {
	ids := make([]string, len(d.OrderIDs))
	for i, id := range d.OrderIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO data_requests (tenant_id, kind, status, order_ids, received_at, due_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), d.TenantID, d.Kind, yuncang.DataRequestOpen, strings.Join(ids, " "),
			micros(d.ReceivedAt), micros(d.DueAt), d.CreatedBy).Scan(&d.ID); err != nil {
			return wrapf(err, "insert data request")
		}
		d.Status = yuncang.DataRequestOpen
		if ev == nil {
			return nil
		}
		ev.Targets = dataRequestTargets(d)
		return db.appendAudit(ctx, tx, ev)
	})
}

func dataRequestTargets(d *yuncang.DataRequest) []string {
	t := []string{fmt.Sprintf("data_request:%d", d.ID)}
	for _, id := range d.OrderIDs {
		if len(t) == 200 {
			break
		}
		t = append(t, fmt.Sprintf("order:%d", id))
	}
	return t
}

func scanDataRequest(row interface{ Scan(...any) error }) (*yuncang.DataRequest, error) {
	d := &yuncang.DataRequest{}
	var ids string
	var recv, due, closed int64
	if err := row.Scan(&d.ID, &d.TenantID, &d.Kind, &d.Status, &ids, &recv, &due, &closed, &d.Reason, &d.CreatedBy, &d.ClosedBy); err != nil {
		return nil, err
	}
	for _, f := range strings.Fields(ids) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("data request %d: order ids: %w", d.ID, err)
		}
		d.OrderIDs = append(d.OrderIDs, id)
	}
	d.ReceivedAt, d.DueAt = fromMicros(recv), fromMicros(due)
	if closed != 0 {
		d.ClosedAt = fromMicros(closed)
	}
	return d, nil
}

// DataRequests returns a tenant's requests, open ones first by due date.
func (db *DB) DataRequests(ctx context.Context, tenantID int64) ([]*yuncang.DataRequest, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+dataRequestCols+` FROM data_requests WHERE tenant_id = ?
		ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_at, id LIMIT 500`), tenantID)
	if err != nil {
		return nil, wrapf(err, "list data requests")
	}
	defer rows.Close()
	var out []*yuncang.DataRequest
	for rows.Next() {
		d, err := scanDataRequest(rows)
		if err != nil {
			return nil, wrapf(err, "scan data request")
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "data request rows")
	}
	return out, nil
}

// CloseDataRequest closes an open request of the tenant with an outcome and
// its audit record; "erased" erases the recipient data of the request's
// orders in the same transaction (overwritten in place: see
// docs/compliance/retention.md for what that does and does not reach).
func (db *DB) CloseDataRequest(ctx context.Context, tenantID, id int64, status, reason, by string, ev *yuncang.Event) (*yuncang.DataRequest, error) {
	var d *yuncang.DataRequest
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = scanDataRequest(tx.QueryRowContext(ctx, db.q(`SELECT `+dataRequestCols+` FROM data_requests WHERE tenant_id = ? AND id = ?`+db.dialect.ForUpdate), tenantID, id))
		if err != nil {
			return notFound(err, "data request")
		}
		if d.Status != yuncang.DataRequestOpen {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "id", Message: "the request is closed already (" + d.Status + ")"}
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE data_requests SET status = ?, reason = ?, closed_by = ?, closed_at = ? WHERE id = ? AND tenant_id = ?`),
			status, reason, by, micros(now), id, tenantID); err != nil {
			return wrapf(err, "close data request")
		}
		d.Status, d.Reason, d.ClosedBy, d.ClosedAt = status, reason, by, now
		if status == yuncang.DataRequestErased && len(d.OrderIDs) > 0 {
			ids := make([]any, len(d.OrderIDs))
			for i, o := range d.OrderIDs {
				ids[i] = o
			}
			// Only the tenant's own orders, whatever the row says.
			args := append([]any{tenantID}, ids...)
			rows, err := tx.QueryContext(ctx, db.q(`SELECT id FROM orders WHERE tenant_id = ? AND id IN (`+placeholders(len(ids))+`)`), args...)
			if err != nil {
				return wrapf(err, "check request orders")
			}
			var own []any
			for rows.Next() {
				var o int64
				if err := rows.Scan(&o); err != nil {
					rows.Close()
					return wrapf(err, "scan order")
				}
				own = append(own, o)
			}
			rows.Close()
			if len(own) > 0 {
				if err := db.overwriteRecipients(ctx, tx, own); err != nil {
					return err
				}
			}
		}
		if ev == nil {
			return nil
		}
		ev.Targets = dataRequestTargets(d)
		return db.appendAudit(ctx, tx, ev)
	})
	return d, err
}
