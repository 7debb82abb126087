package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/yuncang/yuncang"
)

// CreateASN stores an advance shipping notice.
func (db *DB) CreateASN(ctx context.Context, a *yuncang.ASN) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now().UTC()
		ids := make([]int64, len(a.Lines))
		for i, l := range a.Lines {
			s, err := db.skuByCode(ctx, tx, a.TenantID, l.SKUCode, fmt.Sprintf("lines[%d].sku", i))
			if err != nil {
				return err
			}
			ids[i] = s.id
		}
		a.Status, a.CreatedAt = yuncang.ASNOpen, now
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO asns (tenant_id, warehouse_id, ref, status, expected_at, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`),
			a.TenantID, a.WarehouseID, a.Ref, a.Status, micros(a.ExpectedAt), micros(now)).Scan(&a.ID)
		if err != nil {
			if db.dialect.IsUnique(err) {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "ref", Message: "an ASN with this reference exists"}
			}
			return wrapf(err, "insert asn")
		}
		for i, l := range a.Lines {
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO asn_lines (asn_id, sku_id, line_no, expected) VALUES (?, ?, ?, ?)`), a.ID, ids[i], i+1, l.Expected); err != nil {
				return wrapf(err, "insert asn line")
			}
			a.Lines[i].Received, a.Lines[i].Damaged = 0, 0
		}
		return nil
	})
}

func (db *DB) readASN(ctx context.Context, q rowQuerier, tenantID, id int64) (*yuncang.ASN, error) {
	var a yuncang.ASN
	var exp, created, closed int64
	err := q.QueryRowContext(ctx, db.q(`SELECT a.id, a.tenant_id, a.warehouse_id, w.code, a.ref, a.status, a.expected_at, a.created_at, a.closed_at
		FROM asns a JOIN warehouses w ON w.id = a.warehouse_id WHERE a.tenant_id = ? AND a.id = ?`), tenantID, id).
		Scan(&a.ID, &a.TenantID, &a.WarehouseID, &a.Warehouse, &a.Ref, &a.Status, &exp, &created, &closed)
	if err != nil {
		return nil, notFound(err, "ASN")
	}
	a.ExpectedAt, a.CreatedAt, a.ClosedAt = fromMicros(exp), fromMicros(created), fromMicros(closed)
	rows, err := q.QueryContext(ctx, db.q(`SELECT s.code, l.expected, l.received, l.damaged FROM asn_lines l JOIN skus s ON s.id = l.sku_id WHERE l.asn_id = ? ORDER BY l.line_no`), id)
	if err != nil {
		return nil, wrapf(err, "read asn lines")
	}
	lines, err := collect(rows, func(row interface{ Scan(...any) error }) (yuncang.ASNLine, error) {
		var l yuncang.ASNLine
		err := row.Scan(&l.SKUCode, &l.Expected, &l.Received, &l.Damaged)
		return l, err
	})
	a.Lines = lines
	return &a, err
}

// ASN returns one of the tenant's ASNs with its lines.
func (db *DB) ASN(ctx context.Context, tenantID, id int64) (*yuncang.ASN, error) {
	return db.readASN(ctx, db.r, tenantID, id)
}

// ASNs lists the tenant's ASNs in a warehouse (0: all), newest first.
func (db *DB) ASNs(ctx context.Context, tenantID, warehouseID int64) ([]*yuncang.ASN, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT id FROM asns WHERE tenant_id = ? AND (? = 0 OR warehouse_id = ?) ORDER BY id DESC LIMIT 200`), tenantID, warehouseID, warehouseID)
	if err != nil {
		return nil, wrapf(err, "list asns")
	}
	ids, err := collect(rows, func(row interface{ Scan(...any) error }) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	out := make([]*yuncang.ASN, 0, len(ids))
	for _, id := range ids {
		a, err := db.readASN(ctx, db.r, tenantID, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Receive books received goods into the receiving dock.
func (db *DB) Receive(ctx context.Context, tenantID, asnID int64, lines []yuncang.ReceiptLine) (*yuncang.ASN, error) {
	if len(lines) == 0 || len(lines) > 1000 {
		return nil, yuncang.Invalid("lines", "give between 1 and 1000 lines")
	}
	var out *yuncang.ASN
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		a, err := db.readASN(ctx, tx, tenantID, asnID)
		if err != nil {
			return err
		}
		if a.Status == yuncang.ASNClosed {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the ASN is closed"}
		}
		var recv int64
		if err := tx.QueryRowContext(ctx, db.q(`SELECT id FROM locations WHERE warehouse_id = ? AND code = ?`), a.WarehouseID, yuncang.LocRecv).Scan(&recv); err != nil {
			return wrapf(err, "find receiving dock")
		}
		onASN := map[string]bool{}
		for _, l := range a.Lines {
			onASN[l.SKUCode] = true
		}
		now := micros(db.now())
		for i, l := range lines {
			f := func(s string) string { return fmt.Sprintf("lines[%d].%s", i, s) }
			if !onASN[l.SKUCode] {
				return yuncang.Invalid(f("sku"), "is not on this ASN: unexpected goods go to quarantine, not stock")
			}
			s, err := db.skuByCode(ctx, tx, tenantID, l.SKUCode, f("sku"))
			if err != nil {
				return err
			}
			if l.Qty < 0 || l.Damaged < 0 || l.Qty+l.Damaged == 0 || l.Qty > 10_000_000 || l.Damaged > 10_000_000 {
				return yuncang.Invalid(f("qty"), "qty and damaged must not be negative, and not both zero")
			}
			if s.lotTracked {
				if l.Lot == "" {
					return yuncang.Invalid(f("lot"), "is required: this SKU is lot-tracked")
				}
				if err := validCodeField(f("lot"), l.Lot); err != nil {
					return err
				}
				if _, err := time.Parse("2006-01-02", l.Expiry); err != nil {
					return yuncang.Invalid(f("expiry"), "must be a date YYYY-MM-DD")
				}
			} else if l.Lot != "" || l.Expiry != "" {
				return yuncang.Invalid(f("lot"), "this SKU is not lot-tracked")
			}
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE asn_lines SET received = received + ?, damaged = damaged + ? WHERE asn_id = ? AND sku_id = ?`),
				l.Qty, l.Damaged, asnID, s.id); err != nil {
				return wrapf(err, "update asn line")
			}
			if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO asn_receipts (asn_id, sku_id, lot, expiry, qty, damaged, user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
				asnID, s.id, l.Lot, l.Expiry, l.Qty, l.Damaged, userID(ctx), now); err != nil {
				return wrapf(err, "insert receipt")
			}
			if l.Qty > 0 {
				var exp string
				err := tx.QueryRowContext(ctx, db.q(`SELECT expiry FROM location_stock WHERE location_id = ? AND sku_id = ? AND lot = ?`), recv, s.id, l.Lot).Scan(&exp)
				if err == nil && exp != l.Expiry {
					return yuncang.Invalid(f("expiry"), "differs from the expiry already recorded for this lot")
				} else if err != nil && !isNoRows(err) {
					return wrapf(err, "read lot")
				}
				if err := db.book(ctx, tx, move{tenant: tenantID, wh: a.WarehouseID, sku: s.id, loc: recv, lot: l.Lot, expiry: l.Expiry,
					kind: yuncang.MoveReceive, ref: yuncang.RefOf("asn", asnID), dOnHand: l.Qty, dQty: l.Qty}); err != nil {
					return err
				}
			}
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE asns SET status = ? WHERE id = ?`), yuncang.ASNReceiving, asnID); err != nil {
			return wrapf(err, "update asn")
		}
		out, err = db.readASN(ctx, tx, tenantID, asnID)
		return err
	})
	return out, err
}

// CloseASN ends receiving.
func (db *DB) CloseASN(ctx context.Context, tenantID, asnID int64) (*yuncang.ASN, error) {
	var out *yuncang.ASN
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		a, err := db.readASN(ctx, tx, tenantID, asnID)
		if err != nil {
			return err
		}
		if a.Status == yuncang.ASNClosed {
			out = a
			return nil
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE asns SET status = ?, closed_at = ? WHERE id = ?`), yuncang.ASNClosed, micros(db.now()), asnID); err != nil {
			return wrapf(err, "close asn")
		}
		out, err = db.readASN(ctx, tx, tenantID, asnID)
		return err
	})
	return out, err
}

func validCodeField(field, s string) error {
	if len(s) > 64 {
		return yuncang.Invalid(field, "is longer than 64 characters")
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return yuncang.Invalid(field, "may contain only letters, digits, '-', '_' and '.'")
		}
	}
	return nil
}
