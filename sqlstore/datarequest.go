package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang"
)

var _ yuncang.DataRequestService = (*DB)(nil)

const dataRequestCols = `id, tenant_id, kind, status, order_ids, received_at, due_at, closed_at, reason, created_by, closed_by`

// CreateDataRequest stores a data-subject request with its audit record.
func (db *DB) CreateDataRequest(ctx context.Context, d *yuncang.DataRequest, ev *yuncang.Event) error {
	ids := make([]string, len(d.OrderIDs))
	for i, id := range d.OrderIDs {
		ids[i] = strconv.FormatInt(id, 10)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO data_requests (tenant_id, kind, status, order_ids, received_at, due_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`), d.TenantID, d.Kind, yuncang.DataRequestOpen, strings.Join(ids, " "),
			micros(d.ReceivedAt), micros(d.DueAt), d.CreatedBy).Scan(&d.ID); err != nil {
			return wrapf(err, "insert data request")
		}
		d.Status = yuncang.DataRequestOpen
		if ev == nil {
			return nil
		}
		ev.Targets = dataRequestTargets(d)
		return db.appendAudit(ctx, tx, ev)
	})
}

func dataRequestTargets(d *yuncang.DataRequest) []string {
	t := []string{fmt.Sprintf("data_request:%d", d.ID)}
	for _, id := range d.OrderIDs {
		if len(t) == 200 {
			break
		}
		t = append(t, fmt.Sprintf("order:%d", id))
	}
	return t
}

func scanDataRequest(row interface{ Scan(...any) error }) (*yuncang.DataRequest, error) {
	d := &yuncang.DataRequest{}
	var ids string
	var recv, due, closed int64
	if err := row.Scan(&d.ID, &d.TenantID, &d.Kind, &d.Status, &ids, &recv, &due, &closed, &d.Reason, &d.CreatedBy, &d.ClosedBy); err != nil {
		return nil, err
	}
	for _, f := range strings.Fields(ids) {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("data request %d: order ids: %w", d.ID, err)
		}
		d.OrderIDs = append(d.OrderIDs, id)
	}
	d.ReceivedAt, d.DueAt = fromMicros(recv), fromMicros(due)
	if closed != 0 {
		d.ClosedAt = fromMicros(closed)
	}
	return d, nil
}

// DataRequests returns a tenant's requests, open ones first by due date.
func (db *DB) DataRequests(ctx context.Context, tenantID int64) ([]*yuncang.DataRequest, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+dataRequestCols+` FROM data_requests WHERE tenant_id = ?
		ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_at, id LIMIT 500`), tenantID)
	if err != nil {
		return nil, wrapf(err, "list data requests")
	}
	defer rows.Close()
	var out []*yuncang.DataRequest
	for rows.Next() {
		d, err := scanDataRequest(rows)
		if err != nil {
			return nil, wrapf(err, "scan data request")
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "data request rows")
	}
	return out, nil
}

// OpenAccessRequestFor reports whether the tenant has an open access
// request that names the order: one query on the tenant's open requests
// (index data_requests_due), however many the tenant has closed or opened.
func (db *DB) OpenAccessRequestFor(ctx context.Context, tenantID, orderID int64) (bool, error) {
	var one int
	err := db.r.QueryRowContext(ctx, db.q(`SELECT 1 FROM data_requests WHERE tenant_id = ? AND status = ? AND kind = ?
		AND ' ' || order_ids || ' ' LIKE ? LIMIT 1`), tenantID, yuncang.DataRequestOpen, yuncang.DataRequestAccess,
		"% "+strconv.FormatInt(orderID, 10)+" %").Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, wrapf(err, "find open access request")
	}
	return true, nil
}

// CloseDataRequest closes an open request of the tenant with an outcome and
// its audit record; "erased" erases the recipient data of the request's
// orders in the same transaction: each order's own key is destroyed
// (crypto-shredding, which reaches backups taken before), then its
// ciphertexts are overwritten and its lookups forgotten. Orders sealed
// before order keys existed are only overwritten: see
// docs/compliance/retention.md for what that does and does not reach.
func (db *DB) CloseDataRequest(ctx context.Context, tenantID, id int64, status, reason, by string, ev *yuncang.Event) (*yuncang.DataRequest, error) {
	var d *yuncang.DataRequest
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = scanDataRequest(tx.QueryRowContext(ctx, db.q(`SELECT `+dataRequestCols+` FROM data_requests WHERE tenant_id = ? AND id = ?`+db.dialect.ForUpdate), tenantID, id))
		if err != nil {
			return notFound(err, "data request")
		}
		if d.Status != yuncang.DataRequestOpen {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "id", Message: "the request is closed already (" + d.Status + ")"}
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE data_requests SET status = ?, reason = ?, closed_by = ?, closed_at = ? WHERE id = ? AND tenant_id = ?`),
			status, reason, by, micros(now), id, tenantID); err != nil {
			return wrapf(err, "close data request")
		}
		d.Status, d.Reason, d.ClosedBy, d.ClosedAt = status, reason, by, now
		if status == yuncang.DataRequestErased && len(d.OrderIDs) > 0 {
			ids := make([]any, len(d.OrderIDs))
			for i, o := range d.OrderIDs {
				ids[i] = o
			}
			// Only the tenant's own orders, whatever the row says.
			args := append([]any{tenantID}, ids...)
			own, err := db.erasableOrders(ctx, tx, args)
			if err != nil {
				return err
			}
			if len(own) > 0 {
				// Destroy each order's own key first (this reaches backups:
				// they never hold order keys), then overwrite and forget.
				if _, err := db.shredOrders(ctx, tx, own); err != nil {
					return err
				}
				if err := db.overwriteRecipients(ctx, tx, own); err != nil {
					return err
				}
			}
		}
		if ev == nil {
			return nil
		}
		ev.Targets = dataRequestTargets(d)
		return db.appendAudit(ctx, tx, ev)
	})
	return d, err
}

// CorrectDataRequest closes an open correction request of the tenant: each
// of its orders gets the corrected name, phone and address sealed with the
// key its data already uses (vault.SealLike: a corrected recipient expires
// with its bucket like the original), new masks, destination and blind
// index, and no fingerprint (cleared for orders stored when intake still
// wrote one). Orders whose data retention erased are refused.
func (db *DB) CorrectDataRequest(ctx context.Context, tenantID, id int64, p *yuncang.PreparedOrder, by string, ev *yuncang.Event) (*yuncang.DataRequest, error) {
	var d *yuncang.DataRequest
	idx, err := db.vault.BlindIndex(ctx, tenantID, "phone", p.Recipient.Phone)
	if err != nil {
		return nil, wrapf(err, "blind index")
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = scanDataRequest(tx.QueryRowContext(ctx, db.q(`SELECT `+dataRequestCols+` FROM data_requests WHERE tenant_id = ? AND id = ?`+db.dialect.ForUpdate), tenantID, id))
		if err != nil {
			return notFound(err, "data request")
		}
		switch {
		case d.Status != yuncang.DataRequestOpen:
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "id", Message: "the request is closed already (" + d.Status + ")"}
		case d.Kind != yuncang.DataRequestCorrection:
			return yuncang.Invalid("outcome", "corrected closes correction requests only")
		}
		for _, oid := range d.OrderIDs {
			var moid string
			var like []byte
			err := tx.QueryRowContext(ctx, db.q(`SELECT merchant_order_id, name_ct FROM orders WHERE tenant_id = ? AND id = ?`), tenantID, oid).Scan(&moid, &like)
			if isNoRows(err) {
				continue
			} else if err != nil {
				return wrapf(err, "read order")
			}
			if len(like) == 0 {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "id", Message: fmt.Sprintf("order %d's recipient was erased: nothing to correct", oid)}
			}
			// A parcel with a waybill carries the recipient on its label, in
			// the carrier's manifest and behind its virtual number: changing
			// the order alone would send the parcel one way and the data
			// another (a redirect by one person). Correct it with the carrier.
			var shipped int
			if err := tx.QueryRowContext(ctx, db.q(`SELECT COUNT(*) FROM shipments WHERE order_id = ?`), oid).Scan(&shipped); err != nil {
				return wrapf(err, "read shipments")
			}
			if shipped > 0 {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "id", Message: fmt.Sprintf("order %d already has a waybill: its recipient is corrected with the carrier, not here", oid)}
			}
			var ct [3][]byte
			for i, f := range []struct{ field, val string }{{"name", p.Recipient.Name}, {"phone", p.Recipient.Phone}, {"address", p.Recipient.Address}} {
				if ct[i], err = db.vault.SealLike(ctx, tenantID, like, fieldAAD(moid, f.field), []byte(f.val)); erased(err, like) {
					return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "id", Message: fmt.Sprintf("order %d's recipient was erased: nothing to correct", oid)}
				} else if err != nil {
					return wrapf(err, "seal corrected %s", f.field)
				}
			}
			dst := p.Destination
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE orders SET name_ct = ?, phone_ct = ?, address_ct = ?, phone_index = ?, fingerprint = ?,
				masked_name = ?, masked_phone = ?, masked_address = ?, province = ?, province_code = ?, city = ?, city_code = ?,
				district = ?, district_code = ?, street = ?, street_code = ? WHERE tenant_id = ? AND id = ?`),
				ct[0], ct[1], ct[2], idx, []byte{}, p.Masked.Name, p.Masked.Phone, p.Masked.Address,
				dst.Province, dst.ProvinceCode, dst.City, dst.CityCode, dst.District, dst.DistrictCode, dst.Street, dst.StreetCode, tenantID, oid); err != nil {
				return wrapf(err, "store corrected recipient")
			}
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE data_requests SET status = ?, closed_by = ?, closed_at = ? WHERE id = ? AND tenant_id = ?`),
			yuncang.DataRequestCorrected, by, micros(now), id, tenantID); err != nil {
			return wrapf(err, "close data request")
		}
		d.Status, d.ClosedBy, d.ClosedAt = yuncang.DataRequestCorrected, by, now
		if ev == nil {
			return nil
		}
		ev.Targets = dataRequestTargets(d)
		return db.appendAudit(ctx, tx, ev)
	})
	return d, err
}

// erasableOrders returns the tenant's orders among ids (args: tenant, then
// the ids), locked, or a conflict naming the first order still in
// fulfilment: a parcel on its way keeps its recipient until it is delivered
// (erasing it would leave a parcel with no one to deliver it to).
func (db *DB) erasableOrders(ctx context.Context, tx *sql.Tx, args []any) ([]any, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT id, status FROM orders WHERE tenant_id = ? AND id IN (`+placeholders(len(args)-1)+`) ORDER BY id`+db.dialect.ForUpdate), args...)
	if err != nil {
		return nil, wrapf(err, "read orders")
	}
	defer rows.Close()
	var own []any
	for rows.Next() {
		var id int64
		var status string
		if err := rows.Scan(&id, &status); err != nil {
			return nil, wrapf(err, "read orders")
		}
		if yuncang.OrderInFulfilment(status) {
			return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: "outcome", Message: fmt.Sprintf(
				"order %d is in fulfilment (%s): its recipient is needed until the parcel is delivered; close the request as erased once the order is delivered (or cancelled); the request stays open", id, status)}
		}
		own = append(own, id)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "read orders")
	}
	return own, nil
}
