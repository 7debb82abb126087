package sqlstore

import (
	"context"
	"database/sql"
	"time"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
)

// ApplyTrackingEvent records a carrier's tracking event and moves the
// shipment along a valid transition. The event id is unique per carrier,
// so a replayed or retried webhook changes nothing. Delivery (or failure)
// starts the binding's release clock: valid for the carrier's binding days
// from when yuncang heard of it, not from a time the carrier claims.
func (db *DB) ApplyTrackingEvent(ctx context.Context, carrierID int64, te *yuncang.TrackingEvent) (*yuncang.Shipment, bool, error) {
	switch {
	case te.EventID == "" || len(te.EventID) > 64:
		return nil, false, yuncang.Invalid("id", "is required, at most 64 bytes")
	case te.Waybill == "" || len(te.Waybill) > 32:
		return nil, false, yuncang.Invalid("waybill", "is required")
	case !yuncang.CanMove(yuncang.ShipmentInTransit, te.Status) && te.Status != yuncang.ShipmentPickedUp:
		return nil, false, yuncang.Invalid("status", "must be picked_up, in_transit, delivered or failed")
	case !utf8.ValidString(te.Note) || len(te.Note) > 500:
		return nil, false, yuncang.Invalid("note", "must be UTF-8, at most 500 bytes")
	}
	var s *yuncang.Shipment
	dup := false
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		dup = false
		c, err := db.carrierByID(ctx, tx, carrierID)
		if err != nil {
			return err
		}
		var id, warehouse int64
		err = tx.QueryRowContext(ctx, db.q(`SELECT id, warehouse_id FROM shipments WHERE carrier_id = ? AND waybill = ?`), carrierID, te.Waybill).Scan(&id, &warehouse)
		if err != nil {
			return notFound(err, "shipment")
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, db.q(`INSERT INTO tracking_events (carrier_id, event_id, shipment_id, status, at, note, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (carrier_id, event_id) DO NOTHING`), carrierID, te.EventID, id, te.Status, micros(te.At), te.Note, micros(now))
		if err != nil {
			return wrapf(err, "record tracking event")
		}
		if s, err = db.shipmentIn(ctx, tx, warehouse, id); err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			dup = true
			return nil
		}
		if !yuncang.CanMove(s.Status, te.Status) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "a shipment that is " + s.Status + " cannot become " + te.Status}
		}
		if s.Status == yuncang.ShipmentCreated && s.ManifestID == 0 {
			// The carrier takes only what the warehouse handed over in a
			// manifest: a parcel still on the shelf cannot be picked up.
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "waybill", Message: "this shipment was not handed over in a manifest"}
		}
		nowUS := micros(now)
		q, args := `UPDATE shipments SET status = ?, updated_at = ? WHERE id = ?`, []any{te.Status, nowUS, id}
		if te.Status == yuncang.ShipmentDelivered {
			q, args = `UPDATE shipments SET status = ?, updated_at = ?, delivered_at = ? WHERE id = ?`, []any{te.Status, nowUS, nowUS, id}
		}
		if _, err := tx.ExecContext(ctx, db.q(q), args...); err != nil {
			return wrapf(err, "move shipment")
		}
		switch te.Status {
		case yuncang.ShipmentDelivered, yuncang.ShipmentFailed:
			until := now.Add(time.Duration(c.BindingDays) * 24 * time.Hour)
			if err := db.endBinding(ctx, tx, id, micros(until), nowUS); err != nil {
				return err
			}
		case yuncang.ShipmentInTransit, yuncang.ShipmentPickedUp:
			// A failed parcel back in transit is bound again until it ends.
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE virtual_bindings SET valid_until = 0 WHERE shipment_id = ? AND released_at = 0`), id); err != nil {
				return wrapf(err, "reopen binding")
			}
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE virtual_slots SET busy_until = ? WHERE shipment_id = ?`), int64(boundForever), id); err != nil {
				return wrapf(err, "reopen slot")
			}
		}
		s, err = db.shipmentIn(ctx, tx, warehouse, id)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return s, dup, nil
}
