package sqlstore

import (
	"context"
	"database/sql"

	"github.com/yuncang/yuncang"
)

// RecordResume stores a signed resume statement and appends the audit record
// announcing it, in one transaction, but only if the log still has exactly
// restoredSize records: the statement names that size, so a record appended
// in between (a server left running) would make it false.
func (db *DB) RecordResume(ctx context.Context, epoch int, restoredSize int64, note []byte, e *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT size FROM audit_head WHERE id = 1`+db.dialect.ForUpdate).Scan(&n); err != nil {
			return wrapf(err, "read audit head")
		}
		if n != restoredSize {
			return yuncang.Errorf(yuncang.ECONFLICT, "the audit log has %d records, not %d: stop every server before resuming", n, restoredSize)
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO audit_resumes (epoch, restored_size, note, created_at) VALUES (?, ?, ?, ?)`),
			epoch, restoredSize, string(note), micros(db.now())); err != nil {
			if db.dialect.IsUnique(err) {
				return yuncang.Errorf(yuncang.ECONFLICT, "epoch %d was already resumed", epoch)
			}
			return wrapf(err, "store resume statement")
		}
		return db.appendAudit(ctx, tx, e)
	})
}

// AuditResumes returns the stored resume statements, oldest epoch first.
func (db *DB) AuditResumes(ctx context.Context) ([][]byte, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT note FROM audit_resumes ORDER BY epoch`)
	if err != nil {
		return nil, wrapf(err, "list resume statements")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) ([]byte, error) {
		var s string
		err := r.Scan(&s)
		return []byte(s), err
	})
}
