package sqlstore

import (
	"context"
	"database/sql"
)

// InsertRawWaybills is the waybill allocation benchmark's baseline: it
// records each number in its own transaction with the same insert as
// allocation, without taking the serial from the segment (no counter row,
// no check digit, no contention handling).
func (db *DB) InsertRawWaybills(ctx context.Context, carrierID, segmentID int64, numbers []string, firstSerial int64) error {
	for i, n := range numbers {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, db.q(`INSERT INTO waybills (carrier_id, number, segment_id, serial, status, allocated_at) VALUES (?, ?, ?, ?, ?, ?)`),
				carrierID, n, segmentID, firstSerial+int64(i), "allocated", micros(db.now()))
			return err
		})
		if err != nil {
			return wrapf(err, "raw waybill insert")
		}
	}
	return nil
}
