package sqlstore

import (
	"context"

	"github.com/yuncang/yuncang/vault"
)

// keyStore implements vault.KeyStore on the tenant_keys table.
type keyStore struct{ db *DB }

func (k keyStore) scan(ctx context.Context, query string, args ...any) ([]vault.WrappedKey, error) {
	rows, err := k.db.r.QueryContext(ctx, k.db.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []vault.WrappedKey
	for rows.Next() {
		var wk vault.WrappedKey
		var created int64
		if err := rows.Scan(&wk.TenantID, &wk.Purpose, &wk.Version, &wk.MasterKeyID, &wk.Wrapped, &created); err != nil {
			return nil, err
		}
		wk.CreatedAt = fromMicros(created)
		out = append(out, wk)
	}
	return out, rows.Err()
}

const keyCols = `tenant_id, purpose, version, master_key_id, wrapped, created_at`

func (k keyStore) TenantKeys(ctx context.Context, tenantID int64) ([]vault.WrappedKey, error) {
	return k.scan(ctx, `SELECT `+keyCols+` FROM tenant_keys WHERE tenant_id = ? ORDER BY purpose, version`, tenantID)
}

func (k keyStore) AllKeys(ctx context.Context) ([]vault.WrappedKey, error) {
	return k.scan(ctx, `SELECT `+keyCols+` FROM tenant_keys ORDER BY tenant_id, purpose, version`)
}

func (k keyStore) InsertKey(ctx context.Context, wk vault.WrappedKey) (bool, error) {
	res, err := k.db.w.ExecContext(ctx, k.db.q(`INSERT INTO tenant_keys (`+keyCols+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, purpose, version) DO NOTHING`),
		wk.TenantID, wk.Purpose, wk.Version, wk.MasterKeyID, wk.Wrapped, micros(wk.CreatedAt))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (k keyStore) RewrapKey(ctx context.Context, wk vault.WrappedKey, oldMasterID string) (bool, error) {
	res, err := k.db.w.ExecContext(ctx, k.db.q(`UPDATE tenant_keys SET master_key_id = ?, wrapped = ?
		WHERE tenant_id = ? AND purpose = ? AND version = ? AND master_key_id = ?`),
		wk.MasterKeyID, wk.Wrapped, wk.TenantID, wk.Purpose, wk.Version, oldMasterID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
