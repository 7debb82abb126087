package sqlstore

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/yuncang/yuncang"
)

var _ yuncang.TenantService = (*DB)(nil)

// CreateTenant stores a tenant with its audit event, then creates its keys.
func (db *DB) CreateTenant(ctx context.Context, t *yuncang.Tenant, ev *yuncang.Event) error {
	if err := t.Validate(); err != nil {
		return err
	}
	t.CreatedAt = db.now().UTC()
	t.Status = yuncang.TenantActive
	err := db.inTx(ctx, func(tx *sqlTx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO tenants (code, name, created_at) VALUES (?, ?, ?) RETURNING id`),
			t.Code, t.Name, micros(t.CreatedAt)).Scan(&t.ID)
		if err != nil {
			if db.dialect.IsUnique(err) {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "code", Message: "a tenant with this code exists"}
			}
			return wrapf(err, "insert tenant")
		}
		return db.appendAuditOf(ctx, tx, ev, t.ID, "tenant:"+strconv.FormatInt(t.ID, 10))
	})
	if err != nil {
		return err
	}
	if err := db.vault.EnsureTenant(ctx, t.ID); err != nil {
		return wrapf(err, "create tenant keys")
	}
	return nil
}

const tenantCols = `id, code, name, status, created_at`

func scanTenant(row interface{ Scan(...any) error }) (*yuncang.Tenant, error) {
	var t yuncang.Tenant
	var created int64
	if err := row.Scan(&t.ID, &t.Code, &t.Name, &t.Status, &created); err != nil {
		return nil, err
	}
	t.CreatedAt = fromMicros(created)
	return &t, nil
}

// TenantByID returns one tenant.
func (db *DB) TenantByID(ctx context.Context, id int64) (*yuncang.Tenant, error) {
	t, err := scanTenant(db.r.QueryRowContext(ctx, db.q(`SELECT `+tenantCols+` FROM tenants WHERE id = ? AND id > 0`), id))
	if err != nil {
		return nil, notFound(err, "tenant")
	}
	return t, nil
}

// TenantByCode returns one tenant.
func (db *DB) TenantByCode(ctx context.Context, code string) (*yuncang.Tenant, error) {
	t, err := scanTenant(db.r.QueryRowContext(ctx, db.q(`SELECT `+tenantCols+` FROM tenants WHERE code = ? AND id > 0`), code))
	if err != nil {
		return nil, notFound(err, "tenant")
	}
	return t, nil
}

// Tenants lists all tenants.
func (db *DB) Tenants(ctx context.Context) ([]*yuncang.Tenant, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+tenantCols+` FROM tenants WHERE id > 0 ORDER BY id`)
	if err != nil {
		return nil, wrapf(err, "list tenants")
	}
	return collect(rows, scanTenant)
}

// collect scans every row with scan.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, wrapf(err, "scan")
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "rows")
	}
	return out, nil
}
