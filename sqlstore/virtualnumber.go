package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/yuncang/yuncang"
)

func randN(n int) int { return rand.IntN(n) }

// errNoBinding is what a carrier hears for an unknown, foreign, released
// or expired binding alike, so a resolve cannot be used to probe which
// numbers exist or whose they are. The audit record says which it was.
var errNoBinding = yuncang.Errorf(yuncang.ENOTFOUND, "no valid binding for this virtual number")

// ResolveVirtualNumber maps a virtual number and extension to the bound
// phone. In one transaction it counts the attempt against the carrier's
// hourly limit, checks the binding (the carrier's own, valid, within its
// own limit), and appends the audit event, ok or denied; a denial is
// committed with its record, and the phone is opened only after an
// allowed resolve committed.
func (db *DB) ResolveVirtualNumber(ctx context.Context, carrierID int64, main, ext string, ev *yuncang.Event) (*yuncang.Resolution, error) {
	if ev == nil {
		return nil, yuncang.Errorf(yuncang.EINTERNAL, "resolve without an audit event")
	}
	if len(main) != 11 || len(ext) != 4 || !allDigits(main) || !allDigits(ext) {
		return nil, yuncang.Invalid("virtual_number", "must be an 11-digit number and a 4-digit extension")
	}
	var res yuncang.Resolution
	var tenantID, carrier int64
	var phoneCT []byte
	var refusal error
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		refusal = nil
		c, err := db.carrierByID(ctx, tx, carrierID)
		if err != nil {
			return err
		}
		now := db.now()
		deny := func(why string, e error, targets ...string) error {
			refusal = e
			d := *ev
			d.Kind, d.Outcome, d.Targets = yuncang.EventKindVirtualResolve, yuncang.OutcomeDenied, targets
			if d.Detail != "" {
				d.Detail += "; "
			}
			d.Detail += "refused: " + why
			return db.appendAudit(ctx, tx, &d)
		}
		// Every attempt counts, found or not: bulk probing is what the
		// limit is for.
		window := now.Truncate(time.Hour)
		var count int
		if err := tx.QueryRowContext(ctx, db.q(`INSERT INTO resolve_windows (carrier_id, window_start, count) VALUES (?, ?, 1)
			ON CONFLICT (carrier_id, window_start) DO UPDATE SET count = resolve_windows.count + 1 RETURNING count`),
			carrierID, micros(window)).Scan(&count); err != nil {
			return wrapf(err, "count resolve")
		}
		if count > c.ResolvePerHour {
			return deny(fmt.Sprintf("carrier over its hourly limit of %d", c.ResolvePerHour),
				yuncang.Errorf(yuncang.ERATELIMITED, "resolve limit reached: at most %d an hour", c.ResolvePerHour))
		}
		var bindingID, shipmentID, validUntil, released, manifest int64
		var resolves int
		err = tx.QueryRowContext(ctx, db.q(`SELECT b.id, b.shipment_id, b.tenant_id, b.carrier_id, b.valid_until, b.released_at, b.resolves, b.phone_ct, s.waybill, s.manifest_id
			FROM virtual_bindings b JOIN shipments s ON s.id = b.shipment_id
			WHERE b.main_number = ? AND b.extension = ? ORDER BY b.id DESC LIMIT 1`), main, ext).
			Scan(&bindingID, &shipmentID, &tenantID, &carrier, &validUntil, &released, &resolves, &phoneCT, &res.Waybill, &manifest)
		if isNoRows(err) {
			return deny("no such binding", errNoBinding)
		} else if err != nil {
			return wrapf(err, "look up binding")
		}
		targets := []string{fmt.Sprintf("shipment:%d", shipmentID), "waybill:" + res.Waybill}
		switch {
		case carrier != carrierID:
			return deny("binding of another carrier", errNoBinding, targets...)
		case manifest == 0:
			// The carrier needs the real phone only for a parcel it holds:
			// one the warehouse handed over in a manifest.
			return deny("parcel not handed over yet", errNoBinding, targets...)
		case released != 0 || len(phoneCT) == 0:
			return deny("binding released", errNoBinding, targets...)
		case validUntil != 0 && !now.Before(fromMicros(validUntil)):
			return deny("binding expired", errNoBinding, targets...)
		case resolves >= c.ResolvePerBinding:
			return deny(fmt.Sprintf("binding over its limit of %d resolves", c.ResolvePerBinding),
				yuncang.Errorf(yuncang.ERATELIMITED, "this binding was resolved too often"), targets...)
		}
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE virtual_bindings SET resolves = resolves + 1 WHERE id = ?`), bindingID); err != nil {
			return wrapf(err, "count binding resolve")
		}
		ok := *ev
		ok.Kind, ok.Outcome, ok.Targets, ok.TenantID = yuncang.EventKindVirtualResolve, yuncang.OutcomeOK, targets, tenantID
		res.ShipmentID, res.ValidUntil = shipmentID, fromMicros(validUntil)
		return db.appendAudit(ctx, tx, &ok)
	})
	if err != nil {
		return nil, err
	}
	if refusal != nil {
		return nil, refusal
	}
	phone, err := db.vault.Open(ctx, tenantID, shipmentAAD(carrier, res.Waybill, "phone"), phoneCT)
	if err != nil {
		return nil, wrapf(err, "open bound phone of shipment %d", res.ShipmentID)
	}
	res.Phone = string(phone)
	return &res, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
