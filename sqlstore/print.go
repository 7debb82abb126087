package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// Printers, print gateways and print jobs: queries only. What may be printed
// where is decided in the printing service.

const printerCols = `id, warehouse_id, name, language, dpi, size, font, addr, gateway_id, COALESCE(station_id, 0), created_at, removed_at`

func scanPrinter(r interface{ Scan(...any) error }) (*yuncang.Printer, error) {
	p := &yuncang.Printer{}
	var created, removed int64
	err := r.Scan(&p.ID, &p.WarehouseID, &p.Name, &p.Language, &p.DPI, &p.Size, &p.Font, &p.Addr, &p.GatewayID, &p.StationID, &created, &removed)
	p.CreatedAt, p.RemovedAt = fromMicros(created), fromMicros(removed)
	return p, err
}

// RegisterGateway records (or replaces) a gateway's sealing key.
func (db *DB) RegisterGateway(ctx context.Context, g *yuncang.PrintGateway, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(db.now())
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO print_gateways (device_id, warehouse_id, recipient, registered_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (device_id) DO UPDATE SET recipient = excluded.recipient, registered_at = excluded.registered_at`),
			g.DeviceID, g.WarehouseID, g.Recipient, now)
		if err != nil {
			return wrapf(err, "register gateway")
		}
		ev.Targets = append(ev.Targets, "device:"+strconv.FormatInt(g.DeviceID, 10))
		return db.appendAudit(ctx, tx, ev)
	})
}

// Gateway returns a registered gateway.
func (db *DB) Gateway(ctx context.Context, deviceID int64) (*yuncang.PrintGateway, error) {
	g := &yuncang.PrintGateway{}
	var seen int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT device_id, warehouse_id, recipient, last_seen_at FROM print_gateways WHERE device_id = ?`), deviceID).
		Scan(&g.DeviceID, &g.WarehouseID, &g.Recipient, &seen)
	if err != nil {
		return nil, notFound(err, "print gateway")
	}
	g.LastSeenAt = fromMicros(seen)
	return g, nil
}

// CreatePrinter registers a printer, audited.
func (db *DB) CreatePrinter(ctx context.Context, p *yuncang.Printer, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var gw int64
		err := tx.QueryRowContext(ctx, db.q(`SELECT warehouse_id FROM print_gateways WHERE device_id = ?`), p.GatewayID).Scan(&gw)
		if err != nil {
			return fieldNotFound(err, "gateway_id", "print gateway")
		}
		if gw != p.WarehouseID {
			return yuncang.Invalid("gateway_id", "the gateway serves another warehouse")
		}
		p.CreatedAt = db.now()
		err = tx.QueryRowContext(ctx, db.q(`INSERT INTO printers (warehouse_id, name, language, dpi, size, font, addr, gateway_id, station_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			p.WarehouseID, p.Name, p.Language, p.DPI, p.Size, p.Font, p.Addr, p.GatewayID, nullID(p.StationID), micros(p.CreatedAt)).Scan(&p.ID)
		if err != nil {
			if db.dialect.IsUnique(err) {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "name", Message: "a printer with this name exists in the warehouse"}
			}
			return wrapf(err, "insert printer")
		}
		ev.Targets = append(ev.Targets, "printer:"+strconv.FormatInt(p.ID, 10))
		return db.appendAudit(ctx, tx, ev)
	})
}

// Printer returns a printer of the warehouse.
func (db *DB) Printer(ctx context.Context, warehouseID, id int64) (*yuncang.Printer, error) {
	p, err := scanPrinter(db.r.QueryRowContext(ctx, db.q(`SELECT `+printerCols+` FROM printers WHERE warehouse_id = ? AND id = ?`), warehouseID, id))
	if err != nil {
		return nil, notFound(err, "printer")
	}
	return p, nil
}

// Printers lists the warehouse's printers in use.
func (db *DB) Printers(ctx context.Context, warehouseID int64) ([]*yuncang.Printer, error) {
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT `+printerCols+` FROM printers WHERE warehouse_id = ? AND removed_at = 0 ORDER BY name`), warehouseID)
	if err != nil {
		return nil, wrapf(err, "list printers")
	}
	return collect(rows, scanPrinter)
}

// RemovePrinter takes a printer out of use; its queued jobs fail.
func (db *DB) RemovePrinter(ctx context.Context, warehouseID, id int64, ev *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		now := micros(db.now())
		res, err := tx.ExecContext(ctx, db.q(`UPDATE printers SET removed_at = ? WHERE warehouse_id = ? AND id = ? AND removed_at = 0`), now, warehouseID, id)
		if err != nil {
			return wrapf(err, "remove printer")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return yuncang.Errorf(yuncang.ENOTFOUND, "printer not found")
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE print_jobs SET status = 'failed', error = 'printer removed', payload = NULL, updated_at = ?
			WHERE printer_id = ? AND status IN ('queued', 'sending')`), now, id); err != nil {
			return wrapf(err, "fail queued jobs")
		}
		ev.Targets = append(ev.Targets, "printer:"+strconv.FormatInt(id, 10))
		return db.appendAudit(ctx, tx, ev)
	})
}

const printJobCols = `id, warehouse_id, printer_id, gateway_id, status, shipment_ids, reason, requested_by, station_id, payload, digest, error, attempts, created_at, updated_at, expires_at`

func scanPrintJob(r interface{ Scan(...any) error }) (*yuncang.PrintJob, error) {
	j := &yuncang.PrintJob{}
	var ids string
	var created, updated, expires int64
	err := r.Scan(&j.ID, &j.WarehouseID, &j.PrinterID, &j.GatewayID, &j.Status, &ids, &j.Reason, &j.RequestedBy, &j.StationID,
		&j.Payload, &j.Digest, &j.Error, &j.Attempts, &created, &updated, &expires)
	if err != nil {
		return nil, err
	}
	j.CreatedAt, j.UpdatedAt, j.ExpiresAt = fromMicros(created), fromMicros(updated), fromMicros(expires)
	for _, f := range strings.Split(ids, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("print job %d: shipment list: %w", j.ID, err)
		}
		j.ShipmentIDs = append(j.ShipmentIDs, id)
	}
	return j, nil
}

// printJobTargets names the job first, then its shipments, so the audit
// log answers both "what happened to job J" and "where did waybill W print".
func printJobTargets(j *yuncang.PrintJob) []string {
	ts := []string{"print_job:" + strconv.FormatInt(j.ID, 10)}
	for _, id := range j.ShipmentIDs {
		ts = append(ts, "shipment:"+strconv.FormatInt(id, 10))
	}
	return ts
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

// CreatePrintJob queues a sealed job.
func (db *DB) CreatePrintJob(ctx context.Context, j *yuncang.PrintJob) error {
	return db.insertPrintJob(ctx, db.w, j)
}

func (db *DB) insertPrintJob(ctx context.Context, q interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}, j *yuncang.PrintJob) error {
	now := db.now()
	j.Status, j.CreatedAt, j.UpdatedAt = yuncang.JobQueued, now, now
	err := q.QueryRowContext(ctx, db.q(`INSERT INTO print_jobs (warehouse_id, printer_id, gateway_id, status, shipment_ids, reason, requested_by, station_id, payload, created_at, updated_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		j.WarehouseID, j.PrinterID, j.GatewayID, j.Status, joinIDs(j.ShipmentIDs), j.Reason, j.RequestedBy, j.StationID, j.Payload,
		micros(now), micros(now), micros(j.ExpiresAt)).Scan(&j.ID)
	if err != nil {
		return wrapf(err, "queue print job")
	}
	return nil
}

// PrintJob returns a job of the warehouse (without checking who asks).
func (db *DB) PrintJob(ctx context.Context, warehouseID, id int64) (*yuncang.PrintJob, error) {
	j, err := scanPrintJob(db.r.QueryRowContext(ctx, db.q(`SELECT `+printJobCols+` FROM print_jobs WHERE warehouse_id = ? AND id = ?`), warehouseID, id))
	if err != nil {
		return nil, notFound(err, "print job")
	}
	return j, nil
}

// ClaimPrintJobs hands the gateway its queued jobs, oldest first, and
// marks them as being sent. A conditional update per job makes two pulls
// (two connections of one gateway, or two servers) never take the same job.
func (db *DB) ClaimPrintJobs(ctx context.Context, gatewayID int64, limit int, now time.Time) ([]*yuncang.PrintJob, error) {
	var out []*yuncang.PrintJob
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		out = nil
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE print_gateways SET last_seen_at = ? WHERE device_id = ?`), micros(now), gatewayID); err != nil {
			return wrapf(err, "gateway seen")
		}
		rows, err := tx.QueryContext(ctx, db.q(`SELECT `+printJobCols+` FROM print_jobs
			WHERE gateway_id = ? AND status = 'queued' AND payload IS NOT NULL AND expires_at > ? ORDER BY id LIMIT ?`), gatewayID, micros(now), limit)
		if err != nil {
			return wrapf(err, "pending print jobs")
		}
		js, err := collect(rows, scanPrintJob)
		if err != nil {
			return err
		}
		for _, j := range js {
			res, err := tx.ExecContext(ctx, db.q(`UPDATE print_jobs SET status = 'sending', attempts = attempts + 1, updated_at = ?
				WHERE id = ? AND status = 'queued'`), micros(now), j.ID)
			if err != nil {
				return wrapf(err, "claim print job")
			}
			if n, _ := res.RowsAffected(); n == 1 {
				j.Status = yuncang.JobSending
				j.Attempts++
				out = append(out, j)
			}
		}
		return nil
	})
	return out, err
}

// FinishPrintJobs records several outcomes of one gateway in one
// transaction (a gateway reports what finished while its last report was
// on the way). All are recorded or none.
func (db *DB) FinishPrintJobs(ctx context.Context, gatewayID int64, os []yuncang.PrintOutcome) ([]*yuncang.PrintJob, error) {
	var out []*yuncang.PrintJob
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		for _, o := range os {
			j, err := db.finishPrintJob(ctx, tx, gatewayID, o.JobID, o.Status, o.Digest, o.Reason, o.Event)
			if err != nil {
				return err
			}
			out = append(out, j)
		}
		return nil
	})
	return out, err
}

// FinishPrintJob records the gateway's outcome with its audit event. A
// printed job's payload is erased in the same transaction; a failed one
// keeps it until it expires, for a retry.
func (db *DB) FinishPrintJob(ctx context.Context, gatewayID, id int64, status, digest, reason string, ev *yuncang.Event) (*yuncang.PrintJob, error) {
	var j *yuncang.PrintJob
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		j, err = db.finishPrintJob(ctx, tx, gatewayID, id, status, digest, reason, ev)
		return err
	})
	return j, err
}

func (db *DB) finishPrintJob(ctx context.Context, tx *sql.Tx, gatewayID, id int64, status, digest, reason string, ev *yuncang.Event) (*yuncang.PrintJob, error) {
	j, err := scanPrintJob(tx.QueryRowContext(ctx, db.q(`SELECT `+printJobCols+` FROM print_jobs WHERE id = ? AND gateway_id = ?`), id, gatewayID))
	if err != nil {
		return nil, notFound(err, "print job")
	}
	if j.Status != yuncang.JobSending {
		return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: fmt.Sprintf("job %d is %s, not being sent", id, j.Status)}
	}
	now := micros(db.now())
	if status == yuncang.JobPrinted {
		_, err = tx.ExecContext(ctx, db.q(`UPDATE print_jobs SET status = ?, digest = ?, error = '', payload = NULL, updated_at = ? WHERE id = ?`), status, digest, now, id)
		j.Payload = nil
	} else {
		_, err = tx.ExecContext(ctx, db.q(`UPDATE print_jobs SET status = ?, digest = ?, error = ?, updated_at = ? WHERE id = ?`), status, digest, reason, now, id)
	}
	if err != nil {
		return nil, wrapf(err, "finish print job")
	}
	j.Status, j.Digest, j.Error = status, digest, reason
	if err := db.appendAudit(ctx, tx, yuncang.ChunkEvents(ev, ev.Kind, ev.Outcome, "", printJobTargets(j))...); err != nil {
		return nil, err
	}
	return j, nil
}

// RetryPrintJob queues a failed job again while its payload lasts.
func (db *DB) RetryPrintJob(ctx context.Context, warehouseID, id int64, ev *yuncang.Event) (*yuncang.PrintJob, error) {
	var j *yuncang.PrintJob
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		j, err = scanPrintJob(tx.QueryRowContext(ctx, db.q(`SELECT `+printJobCols+` FROM print_jobs WHERE warehouse_id = ? AND id = ?`), warehouseID, id))
		if err != nil {
			return notFound(err, "print job")
		}
		if j.Status != yuncang.JobFailed {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "only a failed job can be retried; this one is " + j.Status}
		}
		if j.Payload == nil || !j.ExpiresAt.After(db.now()) {
			return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the job has expired: print the labels again (a reprint with a reason)"}
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE print_jobs SET status = 'queued', error = '', updated_at = ? WHERE id = ?`), micros(db.now()), id); err != nil {
			return wrapf(err, "requeue print job")
		}
		j.Status, j.Error = yuncang.JobQueued, ""
		return db.appendAudit(ctx, tx, yuncang.ChunkEvents(ev, ev.Kind, ev.Outcome, "", printJobTargets(j))...)
	})
	return j, err
}

// ExpirePrintJobs erases the payloads of jobs past their expiry that were
// never printed.
func (db *DB) ExpirePrintJobs(ctx context.Context, now time.Time) (int, error) {
	res, err := db.w.ExecContext(ctx, db.q(`UPDATE print_jobs SET payload = NULL,
		status = CASE WHEN status = 'printed' THEN status ELSE 'failed' END,
		error = CASE WHEN status = 'printed' THEN error ELSE 'expired' END,
		updated_at = ? WHERE payload IS NOT NULL AND expires_at <= ?`), micros(now), micros(now))
	if err != nil {
		return 0, wrapf(err, "expire print jobs")
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// WaveShipments returns the live shipments of a wave's parcels, in the
// wave's walking order (the order its pick tasks were laid out), so a
// wave's labels come off the printer in the order the parcels are packed.
// Parcels without a shipment yet are left out.
func (db *DB) WaveShipments(ctx context.Context, warehouseID, waveID int64) ([]int64, error) {
	var tenantID int64
	err := db.r.QueryRowContext(ctx, db.q(`SELECT tenant_id FROM waves WHERE id = ? AND warehouse_id = ?`), waveID, warehouseID).Scan(&tenantID)
	if err != nil {
		return nil, notFound(err, "wave")
	}
	w, err := db.Wave(ctx, tenantID, warehouseID, waveID)
	if err != nil {
		return nil, err
	}
	if len(w.ParcelIDs) == 0 {
		return nil, nil
	}
	args := []any{warehouseID}
	for _, id := range w.ParcelIDs {
		args = append(args, id)
	}
	rows, err := db.r.QueryContext(ctx, db.q(`SELECT parcel_id, id FROM shipments WHERE warehouse_id = ? AND status <> 'voided'
		AND parcel_id IN (`+placeholders(len(w.ParcelIDs))+`)`), args...)
	if err != nil {
		return nil, wrapf(err, "wave shipments")
	}
	defer rows.Close()
	byParcel := map[int64]int64{}
	for rows.Next() {
		var p, s int64
		if err := rows.Scan(&p, &s); err != nil {
			return nil, wrapf(err, "wave shipments")
		}
		byParcel[p] = s
	}
	if err := rows.Err(); err != nil {
		return nil, wrapf(err, "wave shipments")
	}
	var out []int64
	for _, p := range w.ParcelIDs {
		if s, ok := byParcel[p]; ok {
			out = append(out, s)
		}
	}
	return out, nil
}
