package sqlstore

import (
	"context"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.EnrolmentService = (*DB)(nil)

// CreateEnrolment stores a one-time code (its hashes) and voids the user's
// earlier unused codes: only the newest code works.
func (db *DB) CreateEnrolment(ctx context.Context, e *yuncang.Enrolment, ev *yuncang.Event) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = db.now().UTC()
	}
	return db.inTx(ctx, func(tx *sqlTx) error {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE enrolments SET used_at = ? WHERE tenant_id = ? AND user_id = ? AND used_at = 0`),
			micros(e.CreatedAt), e.TenantID, e.UserID); err != nil {
			return wrapf(err, "void old enrolments")
		}
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO enrolments (tenant_id, user_id, purpose, lookup_hash, check_hash, created_by, approved_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), e.TenantID, e.UserID, e.Purpose, e.LookupHash, e.CheckHash, e.CreatedBy, e.ApprovedBy,
			micros(e.CreatedAt), micros(e.ExpiresAt)).Scan(&e.ID)
		if err != nil {
			return wrapf(err, "insert enrolment")
		}
		if ev != nil {
			ev.Targets = append(ev.Targets, "enrolment:"+strconv.FormatInt(e.ID, 10))
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

// EnrolmentByLookup returns the live enrolment whose first part hashes to h.
func (db *DB) EnrolmentByLookup(ctx context.Context, h []byte, now time.Time) (*yuncang.Enrolment, error) {
	var e yuncang.Enrolment
	var created, expires, used int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT id, tenant_id, user_id, purpose, lookup_hash, check_hash, created_by, approved_by, created_at, expires_at, used_at
		FROM enrolments WHERE lookup_hash = ? AND used_at = 0 AND expires_at > ?`), h, micros(now)).Scan(&e.ID, &e.TenantID, &e.UserID, &e.Purpose,
		&e.LookupHash, &e.CheckHash, &e.CreatedBy, &e.ApprovedBy, &created, &expires, &used)
	if err != nil {
		return nil, notFound(err, "enrolment")
	}
	e.CreatedAt, e.ExpiresAt, e.UsedAt = fromMicros(created), fromMicros(expires), fromMicros(used)
	return &e, nil
}

// RedeemEnrolment consumes the code and sets the credentials it was for,
// all or nothing.
func (db *DB) RedeemEnrolment(ctx context.Context, id, userID int64, passwordHash string, sealedTOTP []byte, at time.Time, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE enrolments SET used_at = ? WHERE id = ? AND user_id = ? AND used_at = 0 AND expires_at > ?`),
			micros(at), id, userID, micros(at))
		if err != nil {
			return wrapf(err, "use enrolment")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ECONFLICT, "this enrolment code was already used or has expired")
		}
		if passwordHash != "" {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET password_hash = ? WHERE id = ?`), passwordHash, userID); err != nil {
				return wrapf(err, "set password")
			}
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE users SET totp_ct = ?, totp_last_step = 0 WHERE id = ?`), sealedTOTP, userID); err != nil {
			return wrapf(err, "set totp")
		}
		// Sessions opened with the old credentials end: a redeemed reset
		// leaves no one else logged in as this person.
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM credentials WHERE user_id = ? AND kind <> ?`), userID, yuncang.CredentialAPIToken); err != nil {
			return wrapf(err, "end sessions")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}
