package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang"
)

var _ yuncang.SKUService = (*DB)(nil)

// CreateSKU stores a tenant's SKU with its audit event.
func (db *DB) CreateSKU(ctx context.Context, s *yuncang.SKU, ev *yuncang.Event) error {
	if err := s.Validate(); err != nil {
		return err
	}
	s.CreatedAt = db.now().UTC()
	return db.inTx(ctx, func(tx *sqlTx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO skus (tenant_id, code, barcode, name, weight_g, volume_cm3, temp_class, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			s.TenantID, s.Code, s.Barcode, s.Name, s.WeightG, s.VolumeCM3, s.TempClass, micros(s.CreatedAt)).Scan(&s.ID)
		if err != nil {
			if db.dialect.IsUnique(err) {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "code", Message: "an SKU with this code exists"}
			}
			return wrapf(err, "insert sku")
		}
		return db.appendAuditOf(ctx, tx, ev, s.TenantID, "sku:"+strconv.FormatInt(s.ID, 10))
	})
}

func scanSKU(row interface{ Scan(...any) error }) (*yuncang.SKU, error) {
	var s yuncang.SKU
	var created int64
	if err := row.Scan(&s.ID, &s.TenantID, &s.Code, &s.Barcode, &s.Name, &s.WeightG, &s.VolumeCM3, &s.TempClass, &created); err != nil {
		return nil, err
	}
	s.CreatedAt = fromMicros(created)
	return &s, nil
}

// SKUs lists a tenant's SKUs.
func (db *DB) SKUs(ctx context.Context, tenantID int64) ([]*yuncang.SKU, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id, tenant_id, code, barcode, name, weight_g, volume_cm3, temp_class, created_at
		FROM skus WHERE tenant_id = ? ORDER BY code`), tenantID)
	if err != nil {
		return nil, wrapf(err, "list skus")
	}
	return collect(rows, scanSKU)
}

// SetStock sets the on-hand quantity of a tenant's SKU in a warehouse, with
// its audit event. It refuses to go below what is already reserved.
func (db *DB) SetStock(ctx context.Context, tenantID int64, warehouseCode, skuCode string, onHand int, ev *yuncang.Event) error {
	if onHand < 0 {
		return yuncang.Invalid("on_hand", "must not be negative")
	}
	return db.inTx(ctx, func(tx *sqlTx) error {
		var whID, skuID int64
		if err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM warehouses WHERE code = ?`), warehouseCode).Scan(&whID); err != nil {
			return fieldNotFound(err, "warehouse", "warehouse")
		}
		if err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM skus WHERE tenant_id = ? AND code = ?`), tenantID, skuCode).Scan(&skuID); err != nil {
			return fieldNotFound(err, "sku", "SKU")
		}
		var was, reserved int
		err := tx.QueryRowContext(ctx, db.q(`SELECT on_hand, reserved FROM stock WHERE warehouse_id = ? AND sku_id = ?`), whID, skuID).Scan(&was, &reserved)
		if err != nil && !isNoRows(err) {
			return wrapf(err, "read stock")
		}
		if onHand < reserved {
			return yuncang.Invalid("on_hand", "is below the %d units already reserved", reserved)
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO stock (tenant_id, warehouse_id, sku_id, on_hand, reserved, updated_at)
			VALUES (?, ?, ?, ?, 0, ?)
			ON CONFLICT (warehouse_id, sku_id) DO UPDATE SET on_hand = excluded.on_hand, updated_at = excluded.updated_at`),
			tenantID, whID, skuID, onHand, micros(db.now()))
		if err != nil {
			return wrapf(err, "write stock")
		}
		if ev != nil {
			ev.Detail = strings.TrimSpace(ev.Detail + fmt.Sprintf(" on hand %d -> %d", was, onHand))
		}
		return db.appendAuditOf(ctx, tx, ev, tenantID, "sku:"+strconv.FormatInt(skuID, 10), "warehouse:"+strconv.FormatInt(whID, 10))
	})
}

// Stock lists a tenant's stock in every warehouse.
func (db *DB) Stock(ctx context.Context, tenantID int64) ([]*yuncang.Stock, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT st.tenant_id, st.warehouse_id, w.code, st.sku_id, s.code, st.on_hand, st.reserved
		FROM stock st JOIN warehouses w ON w.id = st.warehouse_id JOIN skus s ON s.id = st.sku_id
		WHERE st.tenant_id = ? ORDER BY w.code, s.code`), tenantID)
	if err != nil {
		return nil, wrapf(err, "list stock")
	}
	return collect(rows, func(row interface{ Scan(...any) error }) (*yuncang.Stock, error) {
		var s yuncang.Stock
		err := row.Scan(&s.TenantID, &s.WarehouseID, &s.WarehouseCode, &s.SKUID, &s.SKUCode, &s.OnHand, &s.Reserved)
		return &s, err
	})
}
