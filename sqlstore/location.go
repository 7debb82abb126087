package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/yuncang/yuncang"
)

var _ yuncang.InventoryService = (*DB)(nil)

// rowQuerier is a pool or a transaction.
type rowQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type location = yuncang.Location

const locationCols = `id, warehouse_id, code, zone, aisle, bin, kind, seq, created_at`

func scanLocation(row interface{ Scan(...any) error }) (*yuncang.Location, error) {
	var l yuncang.Location
	var created int64
	if err := row.Scan(&l.ID, &l.WarehouseID, &l.Code, &l.Zone, &l.Aisle, &l.Bin, &l.Kind, &l.Seq, &created); err != nil {
		return nil, err
	}
	l.CreatedAt = fromMicros(created)
	return &l, nil
}

// CreateLocations adds storage locations to a warehouse, all or none.
func (db *DB) CreateLocations(ctx context.Context, warehouseID int64, ls []*yuncang.Location) error {
	if len(ls) == 0 || len(ls) > 5000 {
		return yuncang.Invalid("locations", "give between 1 and 5000 locations")
	}
	for i, l := range ls {
		if err := l.Validate(); err != nil {
			e := err.(*yuncang.Error)
			return yuncang.Invalid(fmt.Sprintf("locations[%d].%s", i, e.Field), "%s", e.Message)
		}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now().UTC()
		for i, l := range ls {
			l.WarehouseID, l.CreatedAt = warehouseID, now
			err := tx.QueryRowContext(ctx, db.q(`INSERT INTO locations (warehouse_id, code, zone, aisle, bin, kind, seq, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`), warehouseID, l.Code, l.Zone, l.Aisle, l.Bin, l.Kind, l.Seq, micros(now)).Scan(&l.ID)
			if err != nil {
				if db.dialect.IsUnique(err) {
					return &yuncang.Error{Code: yuncang.ECONFLICT, Field: fmt.Sprintf("locations[%d].code", i), Message: "a location with this code exists"}
				}
				return wrapf(err, "insert location")
			}
		}
		return nil
	})
}

// Locations lists a warehouse's locations in walking order.
func (db *DB) Locations(ctx context.Context, warehouseID int64) ([]*yuncang.Location, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+locationCols+` FROM locations WHERE warehouse_id = ?`), warehouseID)
	if err != nil {
		return nil, wrapf(err, "list locations")
	}
	ls, err := collect(rows, scanLocation)
	if err != nil {
		return nil, err
	}
	yuncang.SortWalk(ls)
	return ls, nil
}

func (db *DB) locationByCode(ctx context.Context, q rowQuerier, warehouseID int64, code, field string) (*yuncang.Location, error) {
	if code == "" {
		return nil, yuncang.Invalid(field, "is required")
	}
	l, err := scanLocation(q.QueryRowContext(ctx, db.q(`SELECT `+locationCols+` FROM locations WHERE warehouse_id = ? AND code = ?`), warehouseID, code))
	if err != nil {
		return nil, fieldNotFound(err, field, "location in this warehouse")
	}
	return l, nil
}

// skuInfo is what the warehouse needs to know about an SKU.
type skuInfo struct {
	id                int64
	code, barcode     string
	weightG, volumeCM int
	temp              string
	lotTracked        bool
}

const skuInfoCols = `id, code, barcode, weight_g, volume_cm3, temp_class, lot_tracked`

func scanSKUInfo(row interface{ Scan(...any) error }) (*skuInfo, error) {
	var s skuInfo
	var lt int
	if err := row.Scan(&s.id, &s.code, &s.barcode, &s.weightG, &s.volumeCM, &s.temp, &lt); err != nil {
		return nil, err
	}
	s.lotTracked = lt != 0
	return &s, nil
}

func (db *DB) skuByCode(ctx context.Context, q rowQuerier, tenantID int64, code, field string) (*skuInfo, error) {
	if code == "" {
		return nil, yuncang.Invalid(field, "is required")
	}
	s, err := scanSKUInfo(q.QueryRowContext(ctx, db.q(`SELECT `+skuInfoCols+` FROM skus WHERE tenant_id = ? AND code = ?`), tenantID, code))
	if err != nil {
		return nil, fieldNotFound(err, field, "SKU of this merchant")
	}
	return s, nil
}

// skusOf returns the tenant's SKUs by id.
func (db *DB) skusOf(ctx context.Context, q rowQuerier, tenantID int64) (map[int64]*skuInfo, error) {
	rows, err := q.QueryContext(ctx, db.q(`SELECT `+skuInfoCols+` FROM skus WHERE tenant_id = ?`), tenantID)
	if err != nil {
		return nil, wrapf(err, "list skus")
	}
	list, err := collect(rows, scanSKUInfo)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]*skuInfo, len(list))
	for _, s := range list {
		out[s.id] = s
	}
	return out, nil
}

// SetLotTracking turns lot and expiry tracking on or off for an SKU. It
// refuses to turn it off while lots are in stock.
func (db *DB) SetLotTracking(ctx context.Context, tenantID int64, skuCode string, tracked bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		s, err := db.skuByCode(ctx, tx, tenantID, skuCode, "sku")
		if err != nil {
			return err
		}
		if !tracked && s.lotTracked {
			var n int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM location_stock WHERE sku_id = ? AND lot <> '' AND qty <> 0`), s.id).Scan(&n); err != nil {
				return wrapf(err, "count lots")
			}
			if n > 0 {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "lot_tracked", Message: "lots of this SKU are in stock"}
			}
		}
		v := 0
		if tracked {
			v = 1
		}
		_, err = tx.ExecContext(ctx, db.q(`UPDATE skus SET lot_tracked = ? WHERE id = ?`), v, s.id)
		return err
	})
}
