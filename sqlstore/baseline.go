package sqlstore

import (
	"context"
	"crypto/rand"

	"github.com/yuncang/yuncang"
)

// RawOrder is a row of the order-intake benchmark's baseline: the bytes that
// intake would store, made up in advance.
type RawOrder struct{ sealed sealedOrder }

// NewRawOrder returns a baseline row for p with random blobs of exactly the
// sizes intake's ciphertexts, blind index and fingerprint have.
func NewRawOrder(p *yuncang.PreparedOrder) RawOrder {
	blob := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	const overhead = 1 + 1 + 12 + 16 // format, key version, nonce, tag
	return RawOrder{sealedOrder{p: p,
		fingerprint: blob(32), phoneIndex: blob(16),
		name: blob(len(p.Recipient.Name) + overhead), phone: blob(len(p.Recipient.Phone) + overhead),
		address: blob(len(p.Recipient.Address) + overhead), remarks: blob(len(p.Remarks) + overhead),
		mRemarks: blob(len(p.MaskedRemarks) + overhead)}}
}

// InsertRaw inserts baseline rows with the same statements and transaction
// shape as CreateOrders, but without validation, encryption, SKU checks or
// duplicate detection. Benchmarks compare intake against it.
func (db *DB) InsertRaw(ctx context.Context, tenantID int64, rows []RawOrder) error {
	return db.inTx(ctx, func(tx *sqlTx) error {
		ins, err := tx.PrepareContext(ctx, db.q(insertOrderSQL+` RETURNING id`))
		if err != nil {
			return wrapf(err, "prepare")
		}
		defer ins.Close()
		insLine, err := tx.PrepareContext(ctx, db.q(insertLineSQL))
		if err != nil {
			return wrapf(err, "prepare")
		}
		defer insLine.Close()
		now := micros(db.now())
		for _, r := range rows {
			var id int64
			if err := ins.QueryRowContext(ctx, r.sealed.args(tenantID, now)...).Scan(&id); err != nil {
				return wrapf(err, "insert raw order")
			}
			for n, l := range r.sealed.p.Lines {
				if _, err := insLine.ExecContext(ctx, id, n+1, l.SKUCode, l.Quantity); err != nil {
					return wrapf(err, "insert raw line")
				}
			}
		}
		return nil
	})
}
