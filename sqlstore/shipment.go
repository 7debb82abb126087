package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
)

// shipmentAAD binds a shipment's ciphertext (sender, bound phone) to the
// carrier's waybill number and the field.
func shipmentAAD(carrierID int64, waybill, field string) []byte {
	return []byte("shipments|" + strconv.FormatInt(carrierID, 10) + "|" + waybill + "|" + field)
}

// boundForever is a slot's busy_until while its binding is live.
const boundForever = math.MaxInt64

// slotCooldown keeps a released virtual number out of use, so a call to an
// old label's number cannot reach the next recipient.
const slotCooldown = 30 * 24 * time.Hour

const shipmentCols = `s.id, s.tenant_id, s.order_id, o.merchant_order_id, s.warehouse_id, s.carrier_id, c.code, s.waybill, s.parcel_no,
	s.weight_g, s.status, o.masked_name, o.masked_phone, o.masked_address,
	o.province, o.province_code, o.city, o.city_code, o.district, o.district_code, o.street, o.street_code,
	(SELECT COUNT(*) FROM virtual_bindings b WHERE b.shipment_id = s.id AND b.released_at = 0),
	s.prints, s.manifest_id, s.created_at, s.updated_at, s.delivered_at`

const shipmentFrom = ` FROM shipments s JOIN orders o ON o.id = s.order_id JOIN carriers c ON c.id = s.carrier_id`

func scanShipment(r interface{ Scan(...any) error }) (*yuncang.Shipment, error) {
	var s yuncang.Shipment
	var bound int
	var created, updated, delivered int64
	d := &s.Destination
	if err := r.Scan(&s.ID, &s.TenantID, &s.OrderID, &s.MerchantOrderID, &s.WarehouseID, &s.CarrierID, &s.CarrierCode, &s.Waybill, &s.ParcelNo,
		&s.WeightG, &s.Status, &s.Recipient.Name, &s.Recipient.Phone, &s.Recipient.Address,
		&d.Province, &d.ProvinceCode, &d.City, &d.CityCode, &d.District, &d.DistrictCode, &d.Street, &d.StreetCode,
		&bound, &s.Prints, &s.ManifestID, &created, &updated, &delivered); err != nil {
		return nil, err
	}
	s.HasVirtual = bound > 0
	s.CreatedAt, s.UpdatedAt, s.DeliveredAt = fromMicros(created), fromMicros(updated), fromMicros(delivered)
	return &s, nil
}

// CreateShipment allocates a waybill for a parcel of an order, seals the
// sender, and binds a virtual number to the recipient's phone: the phone
// is opened from the order and sealed again for the binding inside the
// transaction, and exists in plaintext only in this function's memory.
func (db *DB) CreateShipment(ctx context.Context, in *yuncang.ShipmentInput) (*yuncang.Shipment, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c, err := db.CarrierByCode(ctx, in.CarrierCode)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return nil, yuncang.Invalid("carrier", "no such carrier")
		}
		return nil, err
	}
	// Create keys outside the write transaction (one writer on SQLite).
	if err := db.vault.EnsureTenant(ctx, in.TenantID); err != nil {
		return nil, wrapf(err, "tenant keys")
	}
	sender, err := json.Marshal(in.Sender)
	if err != nil {
		return nil, wrapf(err, "encode sender")
	}
	var id int64
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		p, err := db.parcelByID(ctx, tx, in.TenantID, in.ParcelID)
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return &yuncang.Error{Code: yuncang.ENOTFOUND, Field: "parcel_id", Message: "parcel not found"}
		} else if err != nil {
			return err
		}
		if err := shippable(p, in); err != nil {
			return err
		}
		var live int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM shipments WHERE tenant_id = ? AND parcel_id = ? AND status <> ?`),
			in.TenantID, p.ID, yuncang.ShipmentVoided).Scan(&live); err != nil {
			return wrapf(err, "count parcel shipments")
		}
		if live > 0 {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "parcel_id", Message: "the parcel already has a shipment; void it first"}
		}
		in.OrderID = p.OrderID
		if in.WeightG == 0 {
			in.WeightG = p.WeighedG
		}
		var moid, status string
		var phoneCT []byte
		err = tx.QueryRowContext(ctx, db.q(`SELECT merchant_order_id, status, phone_ct FROM orders WHERE tenant_id = ? AND id = ?`),
			in.TenantID, in.OrderID).Scan(&moid, &status, &phoneCT)
		if err != nil {
			return fieldNotFound(err, "parcel_id", "order")
		}
		if status != yuncang.OrderPicking && status != yuncang.OrderPacked {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "parcel_id", Message: "the parcel's order is " + status + ": it does not ship"}
		}
		waybill, err := db.takeWaybill(ctx, tx, c, "used")
		if err != nil {
			return err
		}
		var parcel int
		if err := tx.QueryRowContext(ctx, db.q(`SELECT COALESCE(MAX(parcel_no), 0) + 1 FROM shipments WHERE order_id = ?`), in.OrderID).Scan(&parcel); err != nil {
			return wrapf(err, "next parcel number")
		}
		sealedSender, err := db.vault.Seal(ctx, in.TenantID, shipmentAAD(c.ID, waybill, "sender"), sender)
		if err != nil {
			return wrapf(err, "seal sender")
		}
		now := micros(db.now())
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO shipments (tenant_id, order_id, parcel_id, warehouse_id, carrier_id, waybill, parcel_no, weight_g,
			status, sender_ct, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			in.TenantID, in.OrderID, in.ParcelID, in.WarehouseID, c.ID, waybill, parcel, in.WeightG, yuncang.ShipmentCreated, sealedSender, now, now).Scan(&id); err != nil {
			return wrapf(err, "insert shipment")
		}
		if in.Event != nil {
			ev := *in.Event
			ev.Targets = []string{fmt.Sprintf("order:%d", in.OrderID), fmt.Sprintf("shipment:%d", id), "waybill:" + waybill}
			if err := db.appendAudit(ctx, tx, &ev); err != nil {
				return err
			}
		}
		main, ext, err := db.takeVirtualSlot(ctx, tx, id)
		if err != nil || main == "" {
			return err // no pool configured: the label shows the masked phone
		}
		phone, err := db.vault.Open(ctx, in.TenantID, fieldAAD(moid, "phone"), phoneCT)
		if err != nil {
			return wrapf(err, "open phone of order %d", in.OrderID)
		}
		// The binding's copy dies with the order's retention bucket.
		sealedPhone, err := db.vault.SealLike(ctx, in.TenantID, phoneCT, shipmentAAD(c.ID, waybill, "phone"), phone)
		clear(phone)
		if err != nil {
			return wrapf(err, "seal bound phone")
		}
		_, err = tx.ExecContext(ctx, db.q(`INSERT INTO virtual_bindings (tenant_id, shipment_id, carrier_id, main_number, extension, phone_ct, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`), in.TenantID, id, c.ID, main, ext, sealedPhone, now)
		if err != nil {
			return wrapf(err, "insert binding")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return db.shipmentIn(ctx, db.r, in.WarehouseID, id)
}

// shippable says why a parcel may not get a shipment (nil if it may): it
// must stand in the shipment's warehouse, have gone through picking,
// packing and weighing, and go with its planned carrier.
func shippable(p *yuncang.Parcel, in *yuncang.ShipmentInput) error {
	switch {
	case p.WarehouseID != in.WarehouseID:
		return &yuncang.Error{Code: yuncang.ENOTFOUND, Field: "parcel_id", Message: "parcel not found in this warehouse"}
	case p.Status != yuncang.ParcelWeighed:
		return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "parcel_id", Message: fmt.Sprintf("the parcel is %s: only picked, packed and weighed parcels get a shipment", p.Status)}
	case p.Carrier != in.CarrierCode:
		return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "carrier", Message: "the parcel is planned for another carrier"}
	case in.OrderID != 0 && in.OrderID != p.OrderID:
		return &yuncang.Error{Code: yuncang.EINVALID, Field: "order_id", Message: "is not the parcel's order"}
	}
	return nil
}

// takeVirtualSlot reserves a free (main number, extension) for a shipment:
// random picks first (extensions are not sequential, so one label says
// nothing about its neighbours), then a scan when the pool is crowded.
// It returns "" when the pool is empty.
func (db *DB) takeVirtualSlot(ctx context.Context, tx *sql.Tx, shipmentID int64) (string, string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT main_number FROM virtual_numbers ORDER BY main_number`)
	if err != nil {
		return "", "", wrapf(err, "read virtual number pool")
	}
	mains, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
	if err != nil || len(mains) == 0 {
		return "", "", err
	}
	now := micros(db.now())
	try := func(main, ext string) (bool, error) {
		var got string
		err := tx.QueryRowContext(ctx, db.q(`INSERT INTO virtual_slots (main_number, extension, shipment_id, busy_until) VALUES (?, ?, ?, ?)
			ON CONFLICT (main_number, extension) DO UPDATE SET shipment_id = excluded.shipment_id, busy_until = excluded.busy_until
			WHERE virtual_slots.busy_until < ? RETURNING main_number`), main, ext, shipmentID, int64(boundForever), now).Scan(&got)
		if isNoRows(err) {
			return false, nil
		}
		return err == nil, err
	}
	for range 16 {
		main, ext := mains[randN(len(mains))], fmt.Sprintf("%04d", randN(10000))
		if ok, err := try(main, ext); err != nil {
			return "", "", wrapf(err, "take virtual slot")
		} else if ok {
			return main, ext, nil
		}
	}
	for _, main := range mains {
		rows, err := tx.QueryContext(ctx, db.q(`SELECT extension FROM virtual_slots WHERE main_number = ? AND busy_until >= ?`), main, now)
		if err != nil {
			return "", "", wrapf(err, "scan virtual slots")
		}
		busy, err := collect(rows, func(r interface{ Scan(...any) error }) (string, error) {
			var s string
			return s, r.Scan(&s)
		})
		if err != nil {
			return "", "", err
		}
		if len(busy) >= 10000 {
			continue
		}
		slices.Sort(busy)
		start := randN(10000)
		for i := range 10000 {
			ext := fmt.Sprintf("%04d", (start+i)%10000)
			if _, taken := slices.BinarySearch(busy, ext); taken {
				continue
			}
			if ok, err := try(main, ext); err != nil {
				return "", "", wrapf(err, "take virtual slot")
			} else if ok {
				return main, ext, nil
			}
		}
	}
	return "", "", &yuncang.Error{Code: yuncang.ECONFLICT, Field: "virtual_number", Message: "the virtual number pool is exhausted: add main numbers"}
}

// Shipment returns one shipment of a warehouse, masked.
func (db *DB) Shipment(ctx context.Context, warehouseID, id int64) (*yuncang.Shipment, error) {
	return db.shipmentIn(ctx, db.r, warehouseID, id)
}

func (db *DB) shipmentIn(ctx context.Context, q querier, warehouseID, id int64) (*yuncang.Shipment, error) {
	rows, err := q.QueryContext(ctx, db.q(`SELECT `+shipmentCols+shipmentFrom+` WHERE s.warehouse_id = ? AND s.id = ?`), warehouseID, id)
	if err != nil {
		return nil, wrapf(err, "query shipment")
	}
	ss, err := collect(rows, scanShipment)
	if err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "shipment not found")
	}
	return ss[0], nil
}

// VoidShipment voids a shipment's waybill and releases its binding.
func (db *DB) VoidShipment(ctx context.Context, warehouseID, id int64, reason string, ev *yuncang.Event) (*yuncang.Shipment, error) {
	if reason == "" || len(reason) > 200 {
		return nil, yuncang.Invalid("reason", "is required, at most 200 bytes")
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		s, err := db.shipmentIn(ctx, tx, warehouseID, id)
		if err != nil {
			return err
		}
		if s.Status != yuncang.ShipmentCreated {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "only a shipment not yet picked up can be voided"}
		}
		now := micros(db.now())
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE shipments SET status = ?, updated_at = ? WHERE id = ?`), yuncang.ShipmentVoided, now, id); err != nil {
			return wrapf(err, "void shipment")
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE waybills SET status = 'voided', void_reason = ?, voided_at = ? WHERE carrier_id = ? AND number = ?`),
			reason, now, s.CarrierID, s.Waybill); err != nil {
			return wrapf(err, "void waybill")
		}
		if ev != nil {
			e := *ev
			e.Targets = []string{fmt.Sprintf("shipment:%d", id), "waybill:" + s.Waybill}
			if err := db.appendAudit(ctx, tx, &e); err != nil {
				return err
			}
		}
		return db.endBinding(ctx, tx, id, now, now)
	})
	if err != nil {
		return nil, err
	}
	return db.shipmentIn(ctx, db.r, warehouseID, id)
}

// endBinding sets when a shipment's binding stops resolving (validUntil)
// and keeps its number out of use for the cool-down after that. A binding
// that ends now is released at once: its phone ciphertext is erased.
func (db *DB) endBinding(ctx context.Context, tx *sql.Tx, shipmentID, validUntil, now int64) error {
	if validUntil <= now {
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE virtual_bindings SET phone_ct = NULL, valid_until = ?, released_at = ? WHERE shipment_id = ? AND released_at = 0`),
			validUntil, now, shipmentID); err != nil {
			return wrapf(err, "release binding")
		}
	} else if _, err := tx.ExecContext(ctx, db.q(`UPDATE virtual_bindings SET valid_until = ? WHERE shipment_id = ? AND released_at = 0`),
		validUntil, shipmentID); err != nil {
		return wrapf(err, "start binding clock")
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE virtual_slots SET busy_until = ? WHERE shipment_id = ?`),
		validUntil+slotCooldown.Microseconds(), shipmentID); err != nil {
		return wrapf(err, "cool down virtual slot")
	}
	return nil
}

// ReleaseExpiredBindings erases the phones of bindings whose validity has
// passed (PIPL Art 19: shortest retention). Resolves already refuse them;
// this removes the ciphertext too.
func (db *DB) ReleaseExpiredBindings(ctx context.Context) (int, error) {
	now := micros(db.now())
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE virtual_bindings SET phone_ct = NULL, released_at = ? WHERE released_at = 0 AND valid_until > 0 AND valid_until <= ?`), now, now)
	if err != nil {
		return 0, wrapf(err, "release bindings")
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
