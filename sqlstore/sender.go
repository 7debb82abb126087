package sqlstore

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/yuncang/yuncang"
)

// senderAAD binds a stored sender to its merchant and warehouse.
func senderAAD(tenantID, warehouseID int64) []byte {
	return []byte("sender_addresses|" + strconv.FormatInt(tenantID, 10) + "|" + strconv.FormatInt(warehouseID, 10))
}

// StoreSenderAddress stores (or replaces) a merchant's sender for one
// warehouse, sealed under the merchant's key.
func (db *DB) StoreSenderAddress(ctx context.Context, a *yuncang.SenderAddress) error {
	b, err := json.Marshal(a.Sender)
	if err != nil {
		return wrapf(err, "encode sender")
	}
	ct, err := db.vault.Seal(ctx, a.TenantID, senderAAD(a.TenantID, a.WarehouseID), b)
	if err != nil {
		return wrapf(err, "seal sender")
	}
	_, err = db.w.ExecContext(ctx, db.q(`INSERT INTO sender_addresses (tenant_id, warehouse_id, sender_ct, user_id, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, warehouse_id) DO UPDATE SET sender_ct = excluded.sender_ct, user_id = excluded.user_id, updated_at = excluded.updated_at`),
		a.TenantID, a.WarehouseID, ct, userID(ctx), micros(db.now()))
	if err != nil {
		return wrapf(err, "store sender")
	}
	return nil
}

// SenderAddress returns a merchant's sender for one warehouse, or nil when
// it stored none.
func (db *DB) SenderAddress(ctx context.Context, tenantID, warehouseID int64) (*yuncang.SenderAddress, error) {
	a := &yuncang.SenderAddress{TenantID: tenantID, WarehouseID: warehouseID}
	var ct []byte
	var at int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT sender_ct, user_id, updated_at FROM sender_addresses WHERE tenant_id = ? AND warehouse_id = ?`),
		tenantID, warehouseID).Scan(&ct, &a.UpdatedBy, &at)
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, wrapf(err, "read sender")
	}
	b, err := db.vault.Open(ctx, tenantID, senderAAD(tenantID, warehouseID), ct)
	if err != nil {
		return nil, wrapf(err, "open sender")
	}
	if err := json.Unmarshal(b, &a.Sender); err != nil {
		return nil, wrapf(err, "decode sender")
	}
	a.UpdatedAt = fromMicros(at)
	return a, nil
}
