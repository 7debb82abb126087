package printing

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/label"
)

// The label print rules: what a print may name, which labels may be
// printed (a voided one never; a reprint only with a reason and within
// the carrier's limit) and how the print is recorded. Storage counts and
// records; these decide.

// checkPrint validates a print request before anything is read.
func checkPrint(p yuncang.LabelPrint, ev *yuncang.Event) error {
	if ev == nil {
		return yuncang.Errorf(yuncang.EINTERNAL, "label print without an audit event")
	}
	if len(p.ShipmentIDs) == 0 || len(p.ShipmentIDs) > yuncang.MaxLabelBatch {
		return yuncang.Invalid("shipment_ids", "must name between 1 and %d shipments", yuncang.MaxLabelBatch)
	}
	seen := map[int64]bool{}
	for _, id := range p.ShipmentIDs {
		if seen[id] {
			return yuncang.Invalid("shipment_ids", "names shipment %d twice", id)
		}
		seen[id] = true
	}
	if p.Reason != "" && !slices.Contains(yuncang.ReprintReasons, p.Reason) {
		return yuncang.Invalid("reason", "must be one of %s", strings.Join(yuncang.ReprintReasons, ", "))
	}
	return nil
}

// decision is what a print does: the labels to print and the audit
// targets of first prints and reprints, or the refused targets and why.
type decision struct {
	labels           []*yuncang.LabelData
	prints, reprints []string
	denied           []string
	refusal          error
}

// decide applies the rules to the shipments (by id, as found in the
// warehouse) and their carriers. An error is a request to refuse outright,
// recording nothing; a refusal is recorded as denied.
func decide(p yuncang.LabelPrint, byID map[int64]*yuncang.Shipment, carriers map[int64]*yuncang.Carrier) (*decision, error) {
	d := &decision{}
	for _, id := range p.ShipmentIDs {
		s := byID[id]
		if s == nil {
			return nil, &yuncang.Error{Code: yuncang.ENOTFOUND, Field: "shipment_ids", Message: fmt.Sprintf("shipment %d not found in this warehouse", id)}
		}
		c := carriers[s.CarrierID]
		target := fmt.Sprintf("shipment:%d", id)
		if why := s.Printable(); why != "" {
			d.denied = append(d.denied, target)
			d.refusal = &yuncang.Error{Code: yuncang.ECONFLICT, Field: "shipment_ids", Message: fmt.Sprintf("shipment %d cannot be printed: %s", id, why)}
			continue
		}
		if s.Prints == 0 {
			d.prints = append(d.prints, target)
		} else {
			if p.Reason == "" {
				return nil, yuncang.Invalid("reason", "is required: shipment %d was printed before (a reprint); give one of %s", id, strings.Join(yuncang.ReprintReasons, ", "))
			}
			if s.Prints-1 >= c.MaxReprints {
				d.denied = append(d.denied, target)
				d.refusal = &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: "shipment_ids",
					Message: fmt.Sprintf("shipment %d reached its reprint limit (%d): void it and create a new shipment", id, c.MaxReprints)}
				continue
			}
			d.reprints = append(d.reprints, target)
		}
		d.labels = append(d.labels, &yuncang.LabelData{Shipment: s, CarrierName: c.Name, Reprint: s.Prints > 0})
	}
	return d, nil
}

// events are the audit records of a decided print.
func (d *decision) events(p yuncang.LabelPrint, ev *yuncang.Event) []*yuncang.Event {
	if d.refusal != nil {
		kind := yuncang.EventKindLabelPrint
		if p.Reason != "" {
			kind = yuncang.EventKindLabelReprint
		}
		return yuncang.ChunkEvents(ev, kind, yuncang.OutcomeDenied, detailOf(p.Reason, "refused"), d.denied)
	}
	evs := yuncang.ChunkEvents(ev, yuncang.EventKindLabelPrint, yuncang.OutcomeOK, "", d.prints)
	return append(evs, yuncang.ChunkEvents(ev, yuncang.EventKindLabelReprint, yuncang.OutcomeOK, detailOf(p.Reason, ""), d.reprints)...)
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

// count checks, counts and audits a print in one transaction and returns
// the labels with their sealed parts; within, if given, runs in that
// transaction after the audit records are appended. A refused print (a
// voided waybill, a reprint over the limit) is itself recorded, as
// denied, and returns the refusal.
func (s *Service) count(ctx context.Context, p yuncang.LabelPrint, ev *yuncang.Event, within func(tx yuncang.LabelPrintTx, data []*yuncang.LabelData, sealed []yuncang.SealedLabel) error) ([]*yuncang.LabelData, []yuncang.SealedLabel, error) {
	if err := checkPrint(p, ev); err != nil {
		return nil, nil, err
	}
	var d *decision
	var sealed []yuncang.SealedLabel
	err := s.Store.InLabelPrintTx(ctx, func(tx yuncang.LabelPrintTx) error {
		byID, err := tx.Shipments(ctx, p.WarehouseID, p.ShipmentIDs)
		if err != nil {
			return err
		}
		carriers := map[int64]*yuncang.Carrier{}
		for _, sh := range byID {
			if carriers[sh.CarrierID] == nil {
				if carriers[sh.CarrierID], err = tx.Carrier(ctx, sh.CarrierID); err != nil {
					return err
				}
			}
		}
		if d, err = decide(p, byID, carriers); err != nil {
			return err
		}
		if d.refusal != nil {
			// Record the refused attempt and commit it; print nothing.
			return tx.Audit(ctx, d.events(p, ev)...)
		}
		sealed = make([]yuncang.SealedLabel, len(d.labels))
		for i, ld := range d.labels {
			if sealed[i], err = tx.CountPrint(ctx, ld); err != nil {
				return err
			}
		}
		if err := tx.Audit(ctx, d.events(p, ev)...); err != nil {
			return err
		}
		if within != nil {
			return within(tx, d.labels, sealed)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	if d.refusal != nil {
		return nil, nil, d.refusal
	}
	return d.labels, sealed, nil
}

// Release checks that every label may be printed, counts the prints and
// appends the print and reprint events in one transaction, and only then
// opens the senders and remarks. A refused print (voided waybill, reprint
// over the limit) is itself recorded, as denied, and nothing is returned.
func (s *Service) Release(ctx context.Context, p yuncang.LabelPrint, ev *yuncang.Event) ([]*yuncang.LabelData, error) {
	data, sealed, err := s.count(ctx, p, ev, nil)
	if err != nil {
		return nil, err
	}
	// Opened only after the print is committed with its audit record.
	for _, sl := range sealed {
		if err := sl.Open(ctx); err != nil {
			return nil, err
		}
	}
	return data, nil
}

// Print releases the labels (see Release) and makes them: masked, with the
// signed QR token and the trace of who printed them where, for a caller
// that renders them itself (a download).
func (s *Service) Print(ctx context.Context, p yuncang.LabelPrint, ev *yuncang.Event, operator, station string) ([]label.Label, error) {
	key, err := s.Store.LabelTokenKey(ctx)
	if err != nil {
		return nil, err
	}
	data, err := s.Release(ctx, p, ev)
	if err != nil {
		return nil, err
	}
	return Labels(data, key, operator, station, s.now()), nil
}
