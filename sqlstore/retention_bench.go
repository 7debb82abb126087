package sqlstore

import (
	"context"
	"time"
)

// SetBucket puts a baseline row into a retention bucket (the retention
// benchmark builds large stores from raw rows).
func (r *RawOrder) SetBucket(id int64) { r.sealed.bucket = id }

// Bucket returns the id of a tenant's bucket key for a day, creating
// it (benchmarks).
func (b *Baseline) Bucket(ctx context.Context, tenantID int64, day int) (int64, error) {
	db := b.db
	_, id, err := db.vault.SealBucket(ctx, tenantID, day, nil, nil)
	return id, err
}

// Settle counts a bucket's orders and marks them all delivered at the
// given time, as intake and delivery would have (benchmarks).
func (b *Baseline) Settle(ctx context.Context, id int64, deliveredAt time.Time) error {
	db := b.db
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE retention_keys SET orders = (SELECT COUNT(*) FROM orders WHERE retention_key_id = ?), counted_at = ? WHERE id = ?`),
		id, micros(db.now()), id); err != nil {
		return wrapf(err, "count bucket")
	}
	if _, err := db.w.ExecContext(ctx, db.q(`UPDATE retention_keys SET settled = orders, last_delivered_at = ? WHERE id = ?`),
		micros(deliveredAt), id); err != nil {
		return wrapf(err, "settle bucket")
	}
	return nil
}
