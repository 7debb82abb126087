package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/yuncang/yuncang"
)

// maxTargetsPerEvent keeps each audit event under the log's target limit;
// a large batch is recorded as several events in the same transaction.
const maxTargetsPerEvent = 200

// PrintLabels checks that every label may be printed, counts the prints
// and appends the print and reprint events in one transaction, and only
// then opens the senders and remarks. A refused print (voided waybill,
// reprint over the limit) is itself recorded, as denied, and nothing is
// returned.
func (db *DB) PrintLabels(ctx context.Context, p yuncang.LabelPrint, ev *yuncang.Event) ([]*yuncang.LabelData, error) {
	out, cts, err := db.printLabels(ctx, p, ev, nil)
	if err != nil {
		return nil, err
	}
	// Opened only after the print is committed with its audit record.
	if err := db.openLabelData(ctx, out, cts); err != nil {
		return nil, err
	}
	return out, nil
}

// PrintLabelsQueued counts and audits a print as PrintLabels does and, in
// the same transaction, opens the label data, has build render and seal the
// job, and stores it: the print is recorded together with its job, or
// neither is (a job the gate refuses leaves no print counted). The opened
// data never leaves build; only the sealed job is stored.
func (db *DB) PrintLabelsQueued(ctx context.Context, p yuncang.LabelPrint, ev *yuncang.Event, build func([]*yuncang.LabelData) (*yuncang.PrintJob, error)) (*yuncang.PrintJob, error) {
	var job *yuncang.PrintJob
	_, _, err := db.printLabels(ctx, p, ev, func(tx *sql.Tx, out []*yuncang.LabelData, cts []sealedLabel) error {
		if err := db.openLabelData(ctx, out, cts); err != nil {
			return err
		}
		j, err := build(out)
		if err != nil {
			return err
		}
		if err := db.insertPrintJob(ctx, tx, j); err != nil {
			return err
		}
		job = j
		return nil
	})
	if err != nil {
		return nil, err
	}
	return job, nil
}

// sealedLabel is a label's sender and remarks as stored (ciphertext).
type sealedLabel struct {
	sender, remarks []byte
}

// printLabels checks, counts and audits a print in one transaction and
// returns the labels with their sealed parts; within, if given, runs in
// that transaction after the audit records are appended.
func (db *DB) printLabels(ctx context.Context, p yuncang.LabelPrint, ev *yuncang.Event, within func(*sql.Tx, []*yuncang.LabelData, []sealedLabel) error) ([]*yuncang.LabelData, []sealedLabel, error) {
	if ev == nil {
		return nil, nil, yuncang.Errorf(yuncang.EINTERNAL, "label print without an audit event")
	}
	if len(p.ShipmentIDs) == 0 || len(p.ShipmentIDs) > yuncang.MaxLabelBatch {
		return nil, nil, yuncang.Invalid("shipment_ids", "must name between 1 and %d shipments", yuncang.MaxLabelBatch)
	}
	seen := map[int64]bool{}
	for _, id := range p.ShipmentIDs {
		if seen[id] {
			return nil, nil, yuncang.Invalid("shipment_ids", "names shipment %d twice", id)
		}
		seen[id] = true
	}
	if p.Reason != "" && !slices.Contains(yuncang.ReprintReasons, p.Reason) {
		return nil, nil, yuncang.Invalid("reason", "must be one of damaged, printer_jam, lost, relabel")
	}
	var out []*yuncang.LabelData
	var cts []sealedLabel
	var refusal error
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		out, cts, refusal = nil, nil, nil
		byID := map[int64]*yuncang.Shipment{}
		for chunk := range slices.Chunk(p.ShipmentIDs, 500) {
			args := []any{p.WarehouseID}
			for _, id := range chunk {
				args = append(args, id)
			}
			rows, err := tx.QueryContext(ctx, db.q(`SELECT `+shipmentCols+shipmentFrom+` WHERE s.warehouse_id = ? AND s.id IN (`+placeholders(len(chunk))+`)`), args...)
			if err != nil {
				return wrapf(err, "query shipments")
			}
			ss, err := collect(rows, scanShipment)
			if err != nil {
				return err
			}
			for _, s := range ss {
				byID[s.ID] = s
			}
		}
		carriers := map[int64]*yuncang.Carrier{}
		var prints, reprints, denied []string
		for _, id := range p.ShipmentIDs {
			s := byID[id]
			if s == nil {
				return &yuncang.Error{Code: yuncang.ENOTFOUND, Field: "shipment_ids", Message: fmt.Sprintf("shipment %d not found in this warehouse", id)}
			}
			c := carriers[s.CarrierID]
			if c == nil {
				var err error
				if c, err = db.carrierByID(ctx, tx, s.CarrierID); err != nil {
					return err
				}
				carriers[s.CarrierID] = c
			}
			target := fmt.Sprintf("shipment:%d", id)
			if why := s.Printable(); why != "" {
				denied = append(denied, target)
				refusal = &yuncang.Error{Code: yuncang.ECONFLICT, Field: "shipment_ids", Message: fmt.Sprintf("shipment %d cannot be printed: %s", id, why)}
				continue
			}
			if s.Prints == 0 {
				prints = append(prints, target)
			} else {
				if p.Reason == "" {
					return yuncang.Invalid("reason", "is required: shipment %d was printed before (a reprint)", id)
				}
				if s.Prints-1 >= c.MaxReprints {
					denied = append(denied, target)
					refusal = &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: "shipment_ids",
						Message: fmt.Sprintf("shipment %d reached its reprint limit (%d): void it and create a new shipment", id, c.MaxReprints)}
					continue
				}
				reprints = append(reprints, target)
			}
			out = append(out, &yuncang.LabelData{Shipment: s, CarrierName: c.Name, Reprint: s.Prints > 0})
		}
		if refusal != nil {
			// Record the refused attempt and commit it; print nothing.
			kind := yuncang.EventKindLabelPrint
			if p.Reason != "" {
				kind = yuncang.EventKindLabelReprint
			}
			return db.appendAudit(ctx, tx, chunkEvents(ev, kind, yuncang.OutcomeDenied, detailOf(p.Reason, "refused"), denied)...)
		}
		now := micros(db.now())
		cts = make([]sealedLabel, len(out))
		for i, ld := range out {
			s := ld.Shipment
			if _, err := tx.ExecContext(ctx, db.q(`UPDATE shipments SET prints = prints + 1, updated_at = ? WHERE id = ?`), now, s.ID); err != nil {
				return wrapf(err, "count print")
			}
			s.Prints++
			var main, ext sql.NullString
			err := tx.QueryRowContext(ctx, db.q(`SELECT sh.sender_ct, o.masked_remarks_ct,
				(SELECT b.main_number FROM virtual_bindings b WHERE b.shipment_id = sh.id AND b.released_at = 0),
				(SELECT b.extension FROM virtual_bindings b WHERE b.shipment_id = sh.id AND b.released_at = 0)
				FROM shipments sh JOIN orders o ON o.id = sh.order_id WHERE sh.id = ?`), s.ID).Scan(&cts[i].sender, &cts[i].remarks, &main, &ext)
			if err != nil {
				return wrapf(err, "read label data")
			}
			if main.Valid && ext.Valid {
				ld.VirtualPhone = main.String + "转" + ext.String
			}
		}
		evs := chunkEvents(ev, yuncang.EventKindLabelPrint, yuncang.OutcomeOK, "", prints)
		evs = append(evs, chunkEvents(ev, yuncang.EventKindLabelReprint, yuncang.OutcomeOK, detailOf(p.Reason, ""), reprints)...)
		if err := db.appendAudit(ctx, tx, evs...); err != nil {
			return err
		}
		if within != nil {
			return within(tx, out, cts)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if refusal != nil {
		return nil, nil, refusal
	}
	return out, cts, nil
}

// openLabelData decrypts each label's sender and (masked) remarks.
func (db *DB) openLabelData(ctx context.Context, out []*yuncang.LabelData, cts []sealedLabel) error {
	for i, ld := range out {
		s := ld.Shipment
		b, err := db.vault.Open(ctx, s.TenantID, shipmentAAD(s.CarrierID, s.Waybill, "sender"), cts[i].sender)
		if err != nil {
			return wrapf(err, "open sender of shipment %d", s.ID)
		}
		if err := json.Unmarshal(b, &ld.Sender); err != nil {
			return wrapf(err, "decode sender of shipment %d", s.ID)
		}
		r, err := db.vault.Open(ctx, s.TenantID, fieldAAD(s.MerchantOrderID, "masked_remarks"), cts[i].remarks)
		if err != nil {
			return wrapf(err, "open remarks of shipment %d", s.ID)
		}
		ld.Remarks = string(r)
	}
	return nil
}

func detailOf(reason, prefix string) string {
	switch {
	case reason == "":
		return prefix
	case prefix == "":
		return "reason: " + reason
	}
	return prefix + "; reason: " + reason
}

// chunkEvents copies the template event once per maxTargetsPerEvent
// targets, with the kind, outcome and detail given.
func chunkEvents(tmpl *yuncang.Event, kind, outcome, detail string, targets []string) []*yuncang.Event {
	var evs []*yuncang.Event
	for chunk := range slices.Chunk(targets, maxTargetsPerEvent) {
		e := *tmpl
		e.Kind, e.Outcome, e.Targets = kind, outcome, chunk
		if detail != "" {
			if e.Detail != "" {
				e.Detail += "; "
			}
			e.Detail += detail
		}
		if len(targets) > maxTargetsPerEvent {
			e.Detail += fmt.Sprintf(" (batch of %d)", len(targets))
		}
		evs = append(evs, &e)
	}
	return evs
}
