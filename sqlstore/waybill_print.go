package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"

	"github.com/yuncang/yuncang"
)

// Label print storage: the rows one print reads and counts, in one
// transaction. What may be printed (voided labels, reprint reasons and
// limits) is the printing service's decision.

// InLabelPrintTx runs fn in one write transaction.
func (db *DB) InLabelPrintTx(ctx context.Context, fn func(tx yuncang.LabelPrintTx) error) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return fn(labelTx{db, tx}) })
}

// labelTx is yuncang.LabelPrintTx over one SQL transaction.
type labelTx struct {
	db *DB
	tx *sql.Tx
}

func (l labelTx) Shipments(ctx context.Context, warehouseID int64, ids []int64) (map[int64]*yuncang.Shipment, error) {
	byID := map[int64]*yuncang.Shipment{}
	for chunk := range slices.Chunk(ids, 500) {
		args := []any{warehouseID}
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := l.tx.QueryContext(ctx, l.db.q(`SELECT `+shipmentCols+shipmentFrom+` WHERE s.warehouse_id = ? AND s.id IN (`+placeholders(len(chunk))+`)`), args...)
		if err != nil {
			return nil, wrapf(err, "query shipments")
		}
		ss, err := collect(rows, scanShipment)
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			byID[s.ID] = s
		}
	}
	return byID, nil
}

func (l labelTx) Carrier(ctx context.Context, id int64) (*yuncang.Carrier, error) {
	return l.db.carrierByID(ctx, l.tx, id)
}

func (l labelTx) CountPrint(ctx context.Context, ld *yuncang.LabelData) (yuncang.SealedLabel, error) {
	s := ld.Shipment
	if _, err := l.tx.ExecContext(ctx, l.db.q(`UPDATE shipments SET prints = prints + 1, updated_at = ? WHERE id = ?`), micros(l.db.now()), s.ID); err != nil {
		return nil, wrapf(err, "count print")
	}
	s.Prints++
	sl := &sealedLabel{db: l.db, ld: ld}
	var main, ext sql.NullString
	err := l.tx.QueryRowContext(ctx, l.db.q(`SELECT sh.sender_ct, o.masked_remarks_ct,
		(SELECT b.main_number FROM virtual_bindings b WHERE b.shipment_id = sh.id AND b.released_at = 0),
		(SELECT b.extension FROM virtual_bindings b WHERE b.shipment_id = sh.id AND b.released_at = 0)
		FROM shipments sh JOIN orders o ON o.id = sh.order_id WHERE sh.id = ?`), s.ID).Scan(&sl.sender, &sl.remarks, &main, &ext)
	if err != nil {
		return nil, wrapf(err, "read label data")
	}
	if main.Valid && ext.Valid {
		ld.VirtualPhone = main.String + "转" + ext.String
	}
	return sl, nil
}

func (l labelTx) Audit(ctx context.Context, evs ...*yuncang.Event) error {
	return l.db.appendAudit(ctx, l.tx, evs...)
}

func (l labelTx) QueueJob(ctx context.Context, j *yuncang.PrintJob) error {
	return l.db.insertPrintJob(ctx, l.tx, j)
}

// sealedLabel is a label's sender and remarks as stored (ciphertext).
type sealedLabel struct {
	db              *DB
	ld              *yuncang.LabelData
	sender, remarks []byte
}

// Open decrypts the label's sender and (masked) remarks.
func (sl *sealedLabel) Open(ctx context.Context) error {
	s := sl.ld.Shipment
	b, err := sl.db.vault.Open(ctx, s.TenantID, shipmentAAD(s.CarrierID, s.Waybill, "sender"), sl.sender)
	if err != nil {
		return wrapf(err, "open sender of shipment %d", s.ID)
	}
	if err := json.Unmarshal(b, &sl.ld.Sender); err != nil {
		return wrapf(err, "decode sender of shipment %d", s.ID)
	}
	r, err := sl.db.vault.Open(ctx, s.TenantID, fieldAAD(s.MerchantOrderID, "masked_remarks"), sl.remarks)
	if err != nil {
		return wrapf(err, "open remarks of shipment %d", s.ID)
	}
	sl.ld.Remarks = string(r)
	return nil
}
