package sqlstore

import (
	"context"

	"github.com/yuncang/yuncang"
)

// ParcelByWaybill finds the parcel a waybill number was shipped with, for
// the tracking events that end its journey. It returns nil, nil when no
// parcel carries the number (a shipment made outside the pick-pack flow).
func (db *DB) ParcelByWaybill(ctx context.Context, waybill string) (*yuncang.Parcel, error) {
	var tenantID, id int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT tenant_id, id FROM parcels WHERE waybill_no = ? ORDER BY id DESC LIMIT 1`), waybill).Scan(&tenantID, &id)
	if isNoRows(err) {
		return nil, nil
	} else if err != nil {
		return nil, wrapf(err, "parcel by waybill")
	}
	return db.parcelByID(ctx, db.r, tenantID, id)
}
