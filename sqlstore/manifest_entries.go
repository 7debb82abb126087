package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/yuncang/yuncang"
)

// A manifest is stored as its parcels' entries, each sealed with the key
// its order's recipient data uses (vault.SealLike), not as the carrier's
// ciphertext: what the store keeps of a parcel then expires with its order
// (a destroyed bucket key leaves the entry noise) and one entry can be
// erased without touching the other parcels. A download opens the entries
// still readable and encrypts them to the carrier then; an erased parcel
// appears with its waybill and 已删除 in place of the recipient.
//
// Manifests stored before this (the carrier's age ciphertext, which the
// store cannot edit) lose that ciphertext when one of their orders is
// erased, and are answered as erased.

// manifestV2 starts the stored form of a manifest made of sealed entries.
const manifestV2 = "yuncang-manifest-v2\n"

// storedEntry is one parcel of a stored manifest. Only CT holds personal
// data, sealed; it is empty once the order's recipient was erased.
type storedEntry struct {
	Waybill  string `json:"w"`
	OrderID  int64  `json:"o"`
	TenantID int64  `json:"t"`
	Ref      string `json:"r"`
	CT       []byte `json:"c"`
}

func manifestAAD(merchantOrderID, waybill string) []byte {
	return []byte("manifests|" + merchantOrderID + "|" + waybill)
}

// sealManifestEntry seals one parcel's manifest entry with the key that
// sealed its order's name (like).
func (db *DB) sealManifestEntry(ctx context.Context, tenantID, orderID int64, like []byte, e *yuncang.ManifestEntry) (storedEntry, error) {
	plain, err := json.Marshal(e)
	if err != nil {
		return storedEntry{}, wrapf(err, "encode manifest entry")
	}
	ct, err := db.vault.SealLike(ctx, tenantID, like, manifestAAD(e.OrderRef, e.Waybill), plain)
	clear(plain)
	if err != nil {
		return storedEntry{}, wrapf(err, "seal manifest entry")
	}
	return storedEntry{Waybill: e.Waybill, OrderID: orderID, TenantID: tenantID, Ref: e.OrderRef, CT: ct}, nil
}

func encodeManifest(es []storedEntry) ([]byte, error) {
	b, err := json.Marshal(es)
	if err != nil {
		return nil, wrapf(err, "encode manifest")
	}
	return append([]byte(manifestV2), b...), nil
}

// decodeManifest reads a stored manifest; ok is false for one stored
// before manifestV2 (the carrier's ciphertext, or empty once erased).
func decodeManifest(stored []byte) (es []storedEntry, ok bool, err error) {
	if !bytes.HasPrefix(stored, []byte(manifestV2)) {
		return nil, false, nil
	}
	if err := json.Unmarshal(stored[len(manifestV2):], &es); err != nil {
		return nil, true, wrapf(err, "decode stored manifest")
	}
	return es, true, nil
}

// openManifest returns what the carrier downloads: the entries' plaintext
// (JSON lines) encrypted with seal. Erased entries keep their waybill.
func (db *DB) openManifest(ctx context.Context, stored []byte, seal func([]byte) ([]byte, error)) ([]byte, error) {
	es, ok, err := decodeManifest(stored)
	if err != nil {
		return nil, err
	}
	if !ok {
		if len(stored) == 0 {
			return nil, errErased
		}
		return stored, nil // stored before manifestV2: already the carrier's
	}
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	for _, s := range es {
		e := yuncang.ManifestEntry{Waybill: s.Waybill, OrderRef: s.Ref, Name: yuncang.Erased, Phone: yuncang.Erased, Address: yuncang.Erased}
		pt, err := db.vault.Open(ctx, s.TenantID, manifestAAD(s.Ref, s.Waybill), s.CT)
		switch {
		case erased(err, s.CT):
		case err != nil:
			return nil, wrapf(err, "open manifest entry %s", s.Waybill)
		default:
			err := json.Unmarshal(pt, &e)
			clear(pt)
			if err != nil {
				return nil, wrapf(err, "decode manifest entry %s", s.Waybill)
			}
		}
		if err := enc.Encode(&e); err != nil {
			return nil, wrapf(err, "encode manifest")
		}
	}
	sealed, err := seal(plain.Bytes())
	clear(plain.Bytes())
	if err != nil {
		return nil, wrapf(err, "encrypt manifest to the carrier")
	}
	return sealed, nil
}

// forgetCopies erases what the store copied of erased orders' recipients
// beyond the order row: their entries in carriers' manifests (a manifest
// stored before manifestV2 loses its whole ciphertext), the notes of their
// parcels' tracking events (a carrier's note may name who signed), and the
// payloads of print jobs still waiting with their labels.
func (db *DB) forgetCopies(ctx context.Context, tx *sql.Tx, ids []any) error {
	rows, err := tx.QueryContext(ctx, db.q(sweepShipmentsSQL(len(ids))), ids...)
	if err != nil {
		return wrapf(err, "list erased shipments")
	}
	var ships []any
	manifests := map[int64]bool{}
	var mids []int64
	for rows.Next() {
		var sid, mid int64
		if err := rows.Scan(&sid, &mid); err != nil {
			rows.Close()
			return wrapf(err, "scan shipment")
		}
		ships = append(ships, sid)
		if mid != 0 && !manifests[mid] {
			manifests[mid] = true
			mids = append(mids, mid)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrapf(err, "shipment rows")
	}
	if len(ships) == 0 {
		return nil
	}
	orders := map[int64]bool{}
	for _, id := range ids {
		orders[id.(int64)] = true
	}
	for _, mid := range mids {
		if err := db.forgetManifestEntries(ctx, tx, mid, orders); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, db.q(sweepTrackingSQL(len(ships))), ships...); err != nil {
		return wrapf(err, "forget tracking notes")
	}
	return db.forgetPrintPayloads(ctx, tx, ships)
}

func (db *DB) forgetManifestEntries(ctx context.Context, tx *sql.Tx, id int64, orders map[int64]bool) error {
	var stored []byte
	if err := tx.QueryRowContext(ctx, db.q(`SELECT sealed FROM manifests WHERE id = ?`+db.dialect.ForUpdate), id).Scan(&stored); err != nil {
		return wrapf(err, "read manifest %d", id)
	}
	es, ok, err := decodeManifest(stored)
	if err != nil {
		return err
	}
	var next []byte
	if ok {
		changed := false
		for i := range es {
			if orders[es[i].OrderID] && len(es[i].CT) > 0 {
				es[i].CT, changed = nil, true
			}
		}
		if !changed {
			return nil
		}
		if next, err = encodeManifest(es); err != nil {
			return err
		}
	} else if len(stored) == 0 {
		return nil
	} else {
		next = []byte{}
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE manifests SET sealed = ? WHERE id = ?`), next, id); err != nil {
		return wrapf(err, "erase manifest entries")
	}
	return nil
}

// printPayloadWindow bounds the print jobs searched for an erased parcel's
// label: a payload lives until the job prints or expires (minutes), and
// ExpirePrintJobs clears expired ones; the window reaches well past that.
const printPayloadWindow = 7 * 24 * time.Hour

func (db *DB) forgetPrintPayloads(ctx context.Context, tx *sql.Tx, ships []any) error {
	rows, err := tx.QueryContext(ctx, db.q(sweepPrintJobsSQL), micros(db.now().Add(-printPayloadWindow)))
	if err != nil {
		return wrapf(err, "list print jobs")
	}
	erasedShip := map[string]bool{}
	for _, s := range ships {
		erasedShip[strconv.FormatInt(s.(int64), 10)] = true
	}
	var jobs []any
	for rows.Next() {
		var id int64
		var sids string
		if err := rows.Scan(&id, &sids); err != nil {
			rows.Close()
			return wrapf(err, "scan print job")
		}
		for _, f := range strings.FieldsFunc(sids, func(r rune) bool { return r == ' ' || r == ',' }) {
			if erasedShip[f] {
				jobs = append(jobs, id)
				break
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrapf(err, "print job rows")
	}
	if len(jobs) == 0 {
		return nil
	}
	args := append([]any{micros(db.now())}, jobs...)
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE print_jobs SET payload = NULL,
		status = CASE WHEN status = 'printed' THEN status ELSE 'failed' END,
		error = CASE WHEN status = 'printed' THEN error ELSE 'recipient erased' END,
		updated_at = ? WHERE id IN (`+placeholders(len(jobs))+`)`), args...); err != nil {
		return wrapf(err, "forget print payloads")
	}
	return nil
}
