package sqlstore

import (
	"context"
	"database/sql"
)

// RawExec runs a statement on the writer outside every check of this
// package: for tests that play someone with direct database access (the
// stock ledger must refuse them on its own).
func (db *DB) RawExec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, db.q(query), args...)
}
