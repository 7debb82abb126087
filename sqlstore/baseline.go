package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"

	"github.com/yuncang/yuncang"
)

// Baseline is the benchmarks' baselines and the tests' direct database
// access, kept off the store's own API: the same connections, statements
// and transaction shapes as the product, without its checks. Only the bench
// command and the conformance suite use it.
type Baseline struct{ db *DB }

// BaselineOf returns the baseline access to db.
func BaselineOf(db *DB) *Baseline { return &Baseline{db} }

// Exec runs a statement on the writer outside every check of this package:
// for tests that play someone with direct database access (the stock
// ledger must refuse them on its own), and the reservation bench's plain
// update.
func (b *Baseline) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return b.db.w.ExecContext(ctx, b.db.q(query), args...)
}

// InsertWaybills is the waybill allocation benchmark's baseline: it
// records each number in its own transaction with the same insert as
// allocation, without taking the serial from the segment (no counter row,
// no check digit, no contention handling).
func (b *Baseline) InsertWaybills(ctx context.Context, carrierID, segmentID int64, numbers []string, firstSerial int64) error {
	db := b.db
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

// RawOrder is a row of the order-intake benchmark's baseline: the bytes that
// intake would store, made up in advance.
type RawOrder struct{ sealed sealedOrder }

// NewRawOrder returns a baseline row for p with random blobs of exactly the
// sizes intake's ciphertexts and blind index have.
func NewRawOrder(p *yuncang.PreparedOrder) RawOrder {
	blob := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	const overhead = 1 + 1 + 12 + 16 // format, key version, nonce, tag
	return RawOrder{sealedOrder{p: p,
		phoneIndex: blob(16),
		name:       blob(len(p.Recipient.Name) + overhead), phone: blob(len(p.Recipient.Phone) + overhead),
		address: blob(len(p.Recipient.Address) + overhead), remarks: blob(len(p.Remarks) + overhead),
		mRemarks: blob(len(p.MaskedRemarks) + overhead)}}
}

// InsertOrders inserts baseline rows with the same statements and
// transaction shape as CreateOrders, but without validation, encryption, SKU
// checks or duplicate detection. Benchmarks compare intake against it.
func (b *Baseline) InsertOrders(ctx context.Context, tenantID int64, rows []RawOrder) error {
	db := b.db
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

// InsertAudit is the audit benchmark's baseline: the same rows as the
// audit log's, into an identical table, in the same groups, but without
// reading the head, computing the tree or validating anything.
func (b *Baseline) InsertAudit(ctx context.Context, start int64, group [][]byte) error {
	db := b.db
	blob, key := "BLOB", "INTEGER PRIMARY KEY" // SQLite: the rowid, as audit_records.idx is
	if db.dialect.Name == "postgres" {
		blob, key = "BYTEA", "BIGINT PRIMARY KEY"
	}
	// The same columns, key and indexes as audit_records.
	for _, ddl := range []string{
		`CREATE TABLE IF NOT EXISTS bench_raw_audit (idx ` + key + `, at BIGINT NOT NULL, actor_id BIGINT NOT NULL,
			subject_id BIGINT NOT NULL, tenant_id BIGINT NOT NULL, action TEXT NOT NULL, outcome TEXT NOT NULL, targets TEXT NOT NULL,
			data ` + blob + ` NOT NULL, hashes ` + blob + ` NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS bench_raw_actor ON bench_raw_audit (actor_id, idx)`,
		`CREATE INDEX IF NOT EXISTS bench_raw_subject ON bench_raw_audit (subject_id, idx)`,
		`CREATE INDEX IF NOT EXISTS bench_raw_action ON bench_raw_audit (action, idx)`,
		`CREATE INDEX IF NOT EXISTS bench_raw_tenant ON bench_raw_audit (tenant_id, idx)`,
		`CREATE INDEX IF NOT EXISTS bench_raw_at ON bench_raw_audit (at)`,
	} {
		if _, err := db.w.ExecContext(ctx, ddl); err != nil {
			return wrapf(err, "create baseline table")
		}
	}
	return db.inTx(ctx, func(tx *sqlTx) error {
		ins, err := tx.PrepareContext(ctx, db.q(`INSERT INTO bench_raw_audit (idx, at, actor_id, subject_id, tenant_id, action, outcome, targets, data, hashes)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
		if err != nil {
			return wrapf(err, "prepare")
		}
		defer ins.Close()
		hash := make([]byte, 64) // a leaf and, on average, one interior hash
		for i, data := range group {
			n := start + int64(i)
			if _, err := ins.ExecContext(ctx, n, micros(db.now()), n%50+1, n%50+1, n%3+1, "reveal", "ok", fmt.Sprintf("order:%d", 100000+n), data, hash); err != nil {
				return wrapf(err, "insert raw audit row")
			}
		}
		return nil
	})
}
