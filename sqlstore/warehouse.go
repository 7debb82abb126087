package sqlstore

import (
	"context"
	"strconv"

	"github.com/yuncang/yuncang"
)

var _ yuncang.WarehouseService = (*DB)(nil)

// CreateWarehouse stores a warehouse with its audit event.
func (db *DB) CreateWarehouse(ctx context.Context, w *yuncang.Warehouse, ev *yuncang.Event) error {
	if err := w.Validate(); err != nil {
		return err
	}
	w.CreatedAt = db.now().UTC()
	return db.inTx(ctx, func(tx *sqlTx) error {
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO warehouses (code, name, province_code, city_code, district_code, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			w.Code, w.Name, w.ProvinceCode, w.CityCode, w.DistrictCode, micros(w.CreatedAt)).Scan(&w.ID)
		if err != nil {
			if db.dialect.IsUnique(err) {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "code", Message: "a warehouse with this code exists"}
			}
			return wrapf(err, "insert warehouse")
		}
		return db.appendAuditOf(ctx, tx, ev, 0, "warehouse:"+strconv.FormatInt(w.ID, 10))
	})
}

const warehouseCols = `id, code, name, province_code, city_code, district_code, created_at`

func scanWarehouse(row interface{ Scan(...any) error }) (*yuncang.Warehouse, error) {
	var w yuncang.Warehouse
	var created int64
	if err := row.Scan(&w.ID, &w.Code, &w.Name, &w.ProvinceCode, &w.CityCode, &w.DistrictCode, &created); err != nil {
		return nil, err
	}
	w.CreatedAt = fromMicros(created)
	return &w, nil
}

// WarehouseByCode returns one warehouse.
func (db *DB) WarehouseByCode(ctx context.Context, code string) (*yuncang.Warehouse, error) {
	w, err := scanWarehouse(db.r.QueryRowContext(ctx, db.q(`SELECT `+warehouseCols+` FROM warehouses WHERE code = ?`), code))
	if err != nil {
		return nil, notFound(err, "warehouse")
	}
	return w, nil
}

// Warehouses lists all warehouses.
func (db *DB) Warehouses(ctx context.Context) ([]*yuncang.Warehouse, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+warehouseCols+` FROM warehouses ORDER BY id`)
	if err != nil {
		return nil, wrapf(err, "list warehouses")
	}
	return collect(rows, scanWarehouse)
}
