package sqlstore

import (
	"context"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.DeviceService = (*DB)(nil)

// EnrolDevice stores a device with the hash of its secret.
func (db *DB) EnrolDevice(ctx context.Context, d *yuncang.Device, secretHash []byte) error {
	if err := d.Validate(); err != nil {
		return err
	}
	d.EnrolledAt = db.now().UTC()
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO devices (code, name, warehouse_id, tenant_id, secret_hash, enrolled_by, enrolled_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		d.Code, d.Name, d.WarehouseID, d.TenantID, secretHash, d.EnrolledBy, micros(d.EnrolledAt)).Scan(&d.ID)
	if err != nil {
		if db.dialect.IsUnique(err) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "code", Message: "a device with this code is enrolled"}
		}
		return wrapf(err, "insert device")
	}
	return nil
}

const deviceCols = `id, code, name, warehouse_id, tenant_id, enrolled_by, enrolled_at, revoked_at`

func scanDevice(row interface{ Scan(...any) error }) (*yuncang.Device, error) {
	var d yuncang.Device
	var enrolled, revoked int64
	if err := row.Scan(&d.ID, &d.Code, &d.Name, &d.WarehouseID, &d.TenantID, &d.EnrolledBy, &enrolled, &revoked); err != nil {
		return nil, err
	}
	d.EnrolledAt, d.RevokedAt = fromMicros(enrolled), fromMicros(revoked)
	return &d, nil
}

// DeviceBySecret returns the device whose secret hashes to secretHash.
func (db *DB) DeviceBySecret(ctx context.Context, secretHash []byte) (*yuncang.Device, error) {
	d, err := scanDevice(db.r.QueryRowContext(ctx, db.q(`SELECT `+deviceCols+` FROM devices WHERE secret_hash = ?`), secretHash))
	if err != nil {
		return nil, notFound(err, "device")
	}
	return d, nil
}

// DeviceByID returns one device.
func (db *DB) DeviceByID(ctx context.Context, id int64) (*yuncang.Device, error) {
	d, err := scanDevice(db.r.QueryRowContext(ctx, db.q(`SELECT `+deviceCols+` FROM devices WHERE id = ?`), id))
	if err != nil {
		return nil, notFound(err, "device")
	}
	return d, nil
}

// Devices lists every enrolled device.
func (db *DB) Devices(ctx context.Context) ([]*yuncang.Device, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+deviceCols+` FROM devices ORDER BY code`)
	if err != nil {
		return nil, wrapf(err, "list devices")
	}
	return collect(rows, scanDevice)
}

// RevokeDevice stops a device from being used, and ends the sessions opened on it.
func (db *DB) RevokeDevice(ctx context.Context, id int64, at time.Time) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at = 0`), micros(at), id)
		if err != nil {
			return wrapf(err, "revoke device")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return yuncang.Errorf(yuncang.ENOTFOUND, "no such active device")
		}
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM credentials WHERE device_id = ?`), id); err != nil {
			return wrapf(err, "end device sessions")
		}
		return nil
	})
}
