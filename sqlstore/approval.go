package sqlstore

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.ApprovalService = (*DB)(nil)

// changeJSON is the stored form of an approval's change: a storage format,
// kept apart from the domain type so a renamed field cannot silently drop
// a pending change.
type changeJSON struct {
	Role          string           `json:"role,omitempty"`
	NewAccount    bool             `json:"new_account,omitempty"`
	EnrolPartHash []byte           `json:"enrol_part_hash,omitempty"`
	Shift         *yuncang.Shift   `json:"shift,omitempty"`
	TokenLabel    string           `json:"token_label,omitempty"`
	Scopes        []string         `json:"scopes,omitempty"`
	TTLHours      int              `json:"ttl_hours,omitempty"`
	Reason        string           `json:"reason,omitempty"`
	Carrier       *yuncang.Carrier `json:"carrier,omitempty"`
}

func encodeChange(c yuncang.ApprovalChange) (string, error) {
	b, err := json.Marshal(changeJSON(c))
	return string(b), err
}

// CreateApproval stores a pending request with its audit event.
func (db *DB) CreateApproval(ctx context.Context, ap *yuncang.Approval, ev *yuncang.Event) error {
	change, err := encodeChange(ap.Change)
	if err != nil {
		return wrapf(err, "encode approval")
	}
	ap.Status = yuncang.ApprovalPending
	if ap.CreatedAt.IsZero() {
		ap.CreatedAt = db.now().UTC()
	}
	return db.inTx(ctx, func(tx *sqlTx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO approvals (tenant_id, kind, target_id, change, status, requested_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), ap.TenantID, ap.Kind, ap.TargetID, change, ap.Status, ap.RequestedBy,
			micros(ap.CreatedAt), micros(ap.ExpiresAt)).Scan(&ap.ID)
		if err != nil {
			return wrapf(err, "insert approval")
		}
		if ev != nil {
			ev.Targets = append(ev.Targets, "approval:"+strconv.FormatInt(ap.ID, 10))
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

const approvalCols = `id, tenant_id, kind, target_id, change, status, requested_by, decided_by, note, created_at, decided_at, expires_at`

func scanApproval(r interface{ Scan(...any) error }) (*yuncang.Approval, error) {
	var ap yuncang.Approval
	var change string
	var created, decided, expires int64
	if err := r.Scan(&ap.ID, &ap.TenantID, &ap.Kind, &ap.TargetID, &change, &ap.Status, &ap.RequestedBy, &ap.DecidedBy, &ap.Note,
		&created, &decided, &expires); err != nil {
		return nil, err
	}
	var c changeJSON
	if err := json.Unmarshal([]byte(change), &c); err != nil {
		return nil, err
	}
	ap.Change = yuncang.ApprovalChange(c)
	ap.CreatedAt, ap.DecidedAt, ap.ExpiresAt = fromMicros(created), fromMicros(decided), fromMicros(expires)
	return &ap, nil
}

// ApprovalByID returns one request.
func (db *DB) ApprovalByID(ctx context.Context, id int64) (*yuncang.Approval, error) {
	ap, err := scanApproval(db.r.QueryRowContext(ctx, db.q(`SELECT `+approvalCols+` FROM approvals WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "approval")
	}
	return ap, nil
}

// Approvals lists requests, newest first.
func (db *DB) Approvals(ctx context.Context, tenantID int64, status string, limit int) ([]*yuncang.Approval, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q, args := `SELECT `+approvalCols+` FROM approvals WHERE 1 = 1`, []any{}
	if tenantID >= 0 {
		q += ` AND tenant_id = ?`
		args = append(args, tenantID)
	}
	if status != "" {
		q += ` AND status = ?`
		args = append(args, status)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	rows, err := db.r.QueryContext(ctx, db.q(q), append(args, limit)...)
	if err != nil {
		return nil, wrapf(err, "list approvals")
	}
	return collect(rows, scanApproval)
}

// DecideApproval approves or rejects a pending request. The conditional
// update is the lock: of two deciders racing, exactly one changes the row.
func (db *DB) DecideApproval(ctx context.Context, id, deciderID int64, status, note string, at time.Time, ev *yuncang.Event) (*yuncang.Approval, error) {
	if status != yuncang.ApprovalApproved && status != yuncang.ApprovalRejected {
		return nil, yuncang.Invalid("status", "must be approved or rejected")
	}
	var ap *yuncang.Approval
	err := db.inTx(ctx, func(tx *sqlTx) error {
		cur, err := scanApproval(tx.QueryRowContext(ctx, db.q(`SELECT `+approvalCols+` FROM approvals WHERE id = ?`), id))
		if err != nil {
			return notFound(err, "approval")
		}
		switch {
		case cur.Status != yuncang.ApprovalPending:
			return yuncang.Errorf(yuncang.ECONFLICT, "this request was already decided")
		case cur.RequestedBy == deciderID:
			return yuncang.Errorf(yuncang.EFORBIDDEN, "a second, different person must decide this request")
		case cur.TargetID == deciderID:
			return yuncang.Errorf(yuncang.EFORBIDDEN, "you may not decide a request about your own account")
		case !at.Before(cur.ExpiresAt):
			return yuncang.Errorf(yuncang.ECONFLICT, "this request has expired")
		}
		res, err := tx.ExecContext(ctx, db.q(`UPDATE approvals SET status = ?, decided_by = ?, note = ?, decided_at = ? WHERE id = ? AND status = 'pending'`),
			status, deciderID, note, micros(at), id)
		if err != nil {
			return wrapf(err, "decide approval")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ECONFLICT, "this request was already decided")
		}
		cur.Status, cur.DecidedBy, cur.Note, cur.DecidedAt = status, deciderID, note, at
		ap = cur
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
	return ap, err
}

// FinishApproval records that an approved request was applied or failed.
func (db *DB) FinishApproval(ctx context.Context, id int64, status string, ev *yuncang.Event) error {
	if status != yuncang.ApprovalApplied && status != yuncang.ApprovalFailed {
		return yuncang.Invalid("status", "must be applied or failed")
	}
	return db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE approvals SET status = ? WHERE id = ? AND status = 'approved'`), status, id)
		if err != nil {
			return wrapf(err, "finish approval")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ECONFLICT, "this request is not awaiting application")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}
