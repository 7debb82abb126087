package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/yuncang/yuncang"
)

// CreateManifest hands a carrier the parcels scanned at the handover, named
// by waybill: each must be printed, not yet handed over, of this carrier
// in this warehouse, and a parcel the warehouse flow weighed (or shipped).
// A manifest never carries a parcel that was not handed over with it; if
// any waybill does not qualify, nothing is handed over. Inside one
// transaction it reads their recipients' ciphertexts, opens them in
// memory, stores each parcel's entry sealed with its order's key
// (manifest_entries.go: erasing an order reaches its manifest entry),
// marks the parcels, and appends the handover events. The manifest it
// returns is encrypted with seal (to the carrier's public key), as a
// download is. The plaintext never leaves this function.
func (db *DB) CreateManifest(ctx context.Context, warehouseID, carrierID int64, waybills []string, seal func([]byte) ([]byte, error), ev *yuncang.Event) (*yuncang.Manifest, error) {
	if ev == nil || seal == nil {
		return nil, yuncang.Errorf(yuncang.EINTERNAL, "manifest without an audit event or a sealer")
	}
	if len(waybills) == 0 || len(waybills) > yuncang.MaxLabelBatch {
		return nil, yuncang.Invalid("waybills", "must name between 1 and %d parcels handed over", yuncang.MaxLabelBatch)
	}
	want := map[string]bool{}
	args := []any{warehouseID, carrierID, yuncang.ShipmentCreated, yuncang.ParcelWeighed, yuncang.ParcelShipped}
	for _, w := range waybills {
		if err := validCodeField("waybills", w); err != nil {
			return nil, err
		}
		if want[w] {
			return nil, yuncang.Invalid("waybills", "names %s twice", w)
		}
		want[w] = true
		args = append(args, w)
	}
	in := strings.TrimSuffix(strings.Repeat("?, ", len(waybills)), ", ")
	m := &yuncang.Manifest{CarrierID: carrierID, WarehouseID: warehouseID}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		m.Waybills, m.Parcels = nil, 0
		rows, err := tx.QueryContext(ctx, db.q(`SELECT s.id, s.tenant_id, s.order_id, s.waybill, s.weight_g, o.merchant_order_id, o.district_code,
			o.name_ct, o.phone_ct, o.address_ct,
			(SELECT b.main_number FROM virtual_bindings b WHERE b.shipment_id = s.id AND b.released_at = 0),
			(SELECT b.extension FROM virtual_bindings b WHERE b.shipment_id = s.id AND b.released_at = 0)
			FROM shipments s JOIN orders o ON o.id = s.order_id AND o.tenant_id = s.tenant_id
			JOIN parcels p ON p.id = s.parcel_id AND p.tenant_id = s.tenant_id AND p.warehouse_id = s.warehouse_id
			WHERE s.warehouse_id = ? AND s.carrier_id = ? AND s.manifest_id = 0 AND s.status = ? AND s.prints > 0
			AND p.status IN (?, ?) AND s.waybill IN (`+in+`)
			ORDER BY s.id`), args...)
		if err != nil {
			return wrapf(err, "query parcels to hand over")
		}
		type parcel struct {
			id, tenant, order    int64
			e                    yuncang.ManifestEntry
			name, phone, address []byte
			main, ext            sql.NullString
		}
		var ps []*parcel
		for rows.Next() {
			p := &parcel{}
			if err := rows.Scan(&p.id, &p.tenant, &p.order, &p.e.Waybill, &p.e.WeightG, &p.e.OrderRef, &p.e.DistrictCode,
				&p.name, &p.phone, &p.address, &p.main, &p.ext); err != nil {
				rows.Close()
				return wrapf(err, "scan parcel")
			}
			ps = append(ps, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return wrapf(err, "parcel rows")
		}
		if len(ps) != len(waybills) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "waybills", Message: fmt.Sprintf(
				"%d of %d waybills are not printed parcels of this carrier waiting for pickup here", len(waybills)-len(ps), len(waybills))}
		}
		var plain bytes.Buffer
		enc := json.NewEncoder(&plain)
		enc.SetEscapeHTML(false)
		targets := make([]string, 0, len(ps))
		stored := make([]storedEntry, 0, len(ps))
		for _, p := range ps {
			for _, f := range []struct {
				dst   *string
				field string
				ct    []byte
			}{{&p.e.Name, "name", p.name}, {&p.e.Phone, "phone", p.phone}, {&p.e.Address, "address", p.address}} {
				pt, err := db.vault.Open(ctx, p.tenant, fieldAAD(p.e.OrderRef, f.field), f.ct)
				if err != nil {
					return wrapf(err, "open %s of shipment %d", f.field, p.id)
				}
				*f.dst = string(pt)
			}
			if p.main.Valid && p.ext.Valid {
				p.e.Phone = p.main.String + "," + p.ext.String // the courier calls the virtual number
			}
			if err := enc.Encode(&p.e); err != nil {
				return wrapf(err, "encode manifest")
			}
			se, err := db.sealManifestEntry(ctx, p.tenant, p.order, p.name, &p.e)
			if err != nil {
				return err
			}
			stored = append(stored, se)
			m.Waybills = append(m.Waybills, p.e.Waybill)
			targets = append(targets, fmt.Sprintf("shipment:%d", p.id))
		}
		sealed, err := seal(plain.Bytes())
		clear(plain.Bytes())
		if err != nil {
			return wrapf(err, "encrypt manifest to the carrier")
		}
		m.Parcels, m.Sealed, m.CreatedAt = len(ps), sealed, db.now().UTC()
		entries, err := encodeManifest(stored)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO manifests (carrier_id, warehouse_id, parcels, waybills, sealed, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), carrierID, warehouseID, m.Parcels, strings.Join(m.Waybills, " "), entries, micros(m.CreatedAt)).Scan(&m.ID); err != nil {
			return wrapf(err, "insert manifest")
		}
		for _, p := range ps {
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE shipments SET manifest_id = ?, updated_at = ? WHERE id = ?`), m.ID, micros(m.CreatedAt), p.id); err != nil {
				return wrapf(err, "mark parcel handed over")
			}
		}
		tmpl := *ev
		tmpl.Detail = fmt.Sprintf("manifest %d created for carrier %d", m.ID, carrierID)
		return db.appendAudit(ctx, tx, yuncang.ChunkEvents(&tmpl, yuncang.EventKindCarrierHandover, yuncang.OutcomeOK, "", targets)...)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

const manifestCols = `id, carrier_id, warehouse_id, parcels, waybills, created_at`

func scanManifest(r interface{ Scan(...any) error }) (*yuncang.Manifest, error) {
	var m yuncang.Manifest
	var waybills string
	var created int64
	if err := r.Scan(&m.ID, &m.CarrierID, &m.WarehouseID, &m.Parcels, &waybills, &created); err != nil {
		return nil, err
	}
	m.Waybills = strings.Fields(waybills)
	m.CreatedAt = fromMicros(created)
	return &m, nil
}

// Manifests lists a carrier's manifests, newest first, without their content.
func (db *DB) Manifests(ctx context.Context, carrierID int64) ([]*yuncang.Manifest, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+manifestCols+` FROM manifests WHERE carrier_id = ? ORDER BY id DESC LIMIT 200`), carrierID)
	if err != nil {
		return nil, wrapf(err, "list manifests")
	}
	return collect(rows, scanManifest)
}

// Manifest returns one of the carrier's manifests encrypted with seal (to
// the carrier's public key), recording the download. Parcels whose
// recipient was erased since the handover keep their waybill only.
func (db *DB) Manifest(ctx context.Context, carrierID, id int64, seal func([]byte) ([]byte, error), ev *yuncang.Event) (*yuncang.Manifest, error) {
	if ev == nil || seal == nil {
		return nil, yuncang.Errorf(yuncang.EINTERNAL, "manifest download without an audit event or a sealer")
	}
	var m *yuncang.Manifest
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var sealed []byte
		row := tx.QueryRowContext(ctx, db.q(`SELECT `+manifestCols+`, sealed FROM manifests WHERE carrier_id = ? AND id = ?`), carrierID, id)
		var err error
		m, err = scanManifest(scanWith{row, &sealed})
		if err != nil {
			return notFound(err, "manifest")
		}
		if m.Sealed, err = db.openManifest(ctx, sealed, seal); err != nil {
			return err
		}
		e := *ev
		e.Kind, e.Outcome, e.Targets = yuncang.EventKindCarrierHandover, yuncang.OutcomeOK, []string{fmt.Sprintf("manifest:%d", id)}
		e.Detail = fmt.Sprintf("manifest %d downloaded (%d parcels, encrypted to the carrier)", id, m.Parcels)
		return db.appendAudit(ctx, tx, &e)
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// scanWith scans a row into a scanner's columns plus extra trailing ones.
type scanWith struct {
	row   *sql.Row
	extra any
}

func (s scanWith) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }
