package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/yuncang/yuncang"
)

// RecordTraining stores a training record and its audit event in one
// transaction.
func (db *DB) RecordTraining(ctx context.Context, t *yuncang.TrainingRecord, ev *yuncang.Event) error {
	if err := t.Validate(); err != nil {
		return err
	}
	if t.CreatedAt.IsZero() {
		t.CreatedAt = db.now()
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM users WHERE id = ?`), t.UserID).Scan(&n); err != nil {
			return wrapf(err, "look up account")
		}
		if n == 0 {
			return yuncang.Invalid("username", "no such account")
		}
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO training_records (user_id, topic, trained_at, expires_at, recorded_by, note, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), t.UserID, t.Topic, micros(t.TrainedAt), micros(t.ExpiresAt), t.RecordedBy, t.Note,
			micros(t.CreatedAt)).Scan(&t.ID); err != nil {
			return wrapf(err, "insert training record")
		}
		if ev != nil {
			return db.appendAudit(ctx, tx, ev)
		}
		return nil
	})
}

// TrainingRecords lists every training record with its account, newest first.
func (db *DB) TrainingRecords(ctx context.Context) ([]*yuncang.TrainingRecord, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT t.id, t.user_id, u.username, u.role, t.topic, t.trained_at, t.expires_at, t.recorded_by, t.note, t.created_at
		FROM training_records t JOIN users u ON u.id = t.user_id ORDER BY t.id DESC`)
	if err != nil {
		return nil, wrapf(err, "list training records")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.TrainingRecord, error) {
		var t yuncang.TrainingRecord
		var at, exp, created int64
		if err := r.Scan(&t.ID, &t.UserID, &t.Username, &t.Role, &t.Topic, &at, &exp, &t.RecordedBy, &t.Note, &created); err != nil {
			return nil, err
		}
		t.TrainedAt, t.ExpiresAt, t.CreatedAt = fromMicros(at), fromMicros(exp), fromMicros(created)
		return &t, nil
	})
}

// TrainedFor reports whether the account holds a record of topic current
// at time at.
func (db *DB) TrainedFor(ctx context.Context, userID int64, topic string, at time.Time) (bool, error) {
	var n int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM training_records WHERE user_id = ? AND topic = ? AND trained_at <= ? AND expires_at > ?`),
		userID, topic, micros(at), micros(at)).Scan(&n)
	if err != nil {
		return false, wrapf(err, "look up training")
	}
	return n > 0, nil
}
