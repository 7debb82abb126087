package sqlstore

import (
	"context"
	"time"

	"github.com/yuncang/yuncang"
)

var _ yuncang.DeviceService = (*DB)(nil)

// EnrolDevice stores a device with its public key.
func (db *DB) EnrolDevice(ctx context.Context, d *yuncang.Device) error {
	if err := d.Validate(); err != nil {
		return err
	}
	d.EnrolledAt = db.now().UTC()
	err := db.w.QueryRowContext(ctx, db.q(`INSERT INTO devices (code, name, kind, warehouse_id, tenant_id, assigned_to, public_key, enrolled_by, enrolled_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		d.Code, d.Name, d.Kind, d.WarehouseID, d.TenantID, d.AssignedTo, []byte(d.PublicKey), d.EnrolledBy, micros(d.EnrolledAt)).Scan(&d.ID)
	if err != nil {
		if db.dialect.IsUnique(err) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "code", Message: "a device with this code or public key is enrolled"}
		}
		return wrapf(err, "insert device")
	}
	return nil
}

const deviceCols = `id, code, name, kind, warehouse_id, tenant_id, assigned_to, public_key, enrolled_by, enrolled_at, revoked_at`

func scanDevice(row interface{ Scan(...any) error }) (*yuncang.Device, error) {
	var d yuncang.Device
	var enrolled, revoked int64
	var pub []byte
	if err := row.Scan(&d.ID, &d.Code, &d.Name, &d.Kind, &d.WarehouseID, &d.TenantID, &d.AssignedTo, &pub, &d.EnrolledBy, &enrolled, &revoked); err != nil {
		return nil, err
	}
	d.PublicKey = pub
	d.EnrolledAt, d.RevokedAt = fromMicros(enrolled), fromMicros(revoked)
	return &d, nil
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

// UseDeviceNonce records a nonce; the primary key turns a replay into a
// conflict, on every server sharing the database.
func (db *DB) UseDeviceNonce(ctx context.Context, deviceID int64, nonce string, at, forgetBefore time.Time) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM device_nonces WHERE device_id = ? AND seen_at < ?`), deviceID, micros(forgetBefore)); err != nil {
			return wrapf(err, "forget old nonces")
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO device_nonces (device_id, nonce, seen_at) VALUES (?, ?, ?)`), deviceID, nonce, micros(at)); err != nil {
			if db.dialect.IsUnique(err) {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "X-Yuncang-Device-Nonce", Message: "this signed request was already used"}
			}
			return wrapf(err, "record nonce")
		}
		return nil
	})
}
