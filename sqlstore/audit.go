package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
)

// The audit log: every record is appended inside the transaction of the
// action it records, so either both happen or neither does (fail closed).
// The head row serialises appenders; on PostgreSQL it is locked FOR UPDATE,
// so several servers sharing one database extend one tree without forking.

// toAudit converts a product event to an audit record.
func toAudit(e *yuncang.Event) *audit.Event {
	a := &audit.Event{Time: e.At, ActorID: e.UserID, ActorName: e.Username, Role: e.Role, SourceAddr: e.Source,
		Action: audit.Action(e.Kind), TenantID: e.TenantID, Purpose: e.Purpose, Outcome: e.Outcome, Detail: e.Detail,
		Targets: append([]string(nil), e.Targets...)}
	if e.ActorID != 0 && e.ActorID != e.UserID {
		// Someone acted on an account: the actor is who acted, the account
		// is the record's subject.
		a.ActorID, a.ActorName, a.Role, a.SubjectID = e.ActorID, e.ActorName, e.ActorRole, e.UserID
	}
	if e.DeviceID != 0 {
		a.Device = "device:" + strconv.FormatInt(e.DeviceID, 10)
	}
	return a
}

// fromAudit converts a decoded audit record back to a product event.
func fromAudit(a *audit.Event) *yuncang.Event {
	e := &yuncang.Event{ID: a.Index + 1, At: a.Time, UserID: a.ActorID, Username: a.ActorName, Role: a.Role, TenantID: a.TenantID,
		Kind: string(a.Action), Outcome: a.Outcome, Source: a.SourceAddr, Purpose: a.Purpose, Detail: a.Detail, Targets: a.Targets}
	if subject, targets, ok := subjectOfRecord(a); ok {
		// Someone acted on an account: the account is the subject.
		e.ActorID, e.ActorName, e.ActorRole = a.ActorID, a.ActorName, a.Role
		e.UserID, e.Username, e.Role, e.Targets = subject, "", "", targets
	}
	if strings.HasPrefix(a.Device, "device:") {
		e.DeviceID, _ = strconv.ParseInt(strings.TrimPrefix(a.Device, "device:"), 10, 64)
	}
	return e
}

// subjectOfRecord returns the account a record says was acted upon by
// someone else, and the record's other targets: the explicit subject of
// encoding version 2, or, in records written before it, a first target
// "user:N".
func subjectOfRecord(a *audit.Event) (int64, []string, bool) {
	if a.SubjectID != 0 {
		return a.SubjectID, a.Targets, true
	}
	if len(a.Targets) > 0 && strings.HasPrefix(a.Targets[0], "user:") {
		id, _ := strconv.ParseInt(strings.TrimPrefix(a.Targets[0], "user:"), 10, 64)
		return id, a.Targets[1:], true
	}
	return 0, a.Targets, false
}

// subjectOf is the account an audit record is about (for the query column).
func subjectOf(a *audit.Event) int64 {
	if id, _, ok := subjectOfRecord(a); ok {
		return id
	}
	return a.ActorID
}

// hashCache keeps committed tree hashes by storage index. They never change
// once committed, and the append path reads the same few (the right edge of
// the tree) over and over.
type hashCache struct {
	mu sync.Mutex
	m  map[int64]tlog.Hash
}

func (c *hashCache) get(i int64) (tlog.Hash, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[i]
	return h, ok
}

func (c *hashCache) put(hs []audit.StoredHash) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) > 1<<14 {
		c.m = map[int64]tlog.Hash{}
	}
	for _, h := range hs {
		c.m[h.Index] = h.Hash
	}
}

// querier is a transaction or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// hashReader reads stored hashes through q, seeing hashes pending in the
// current transaction first, then the committed cache, then the table.
type hashReader struct {
	ctx     context.Context
	db      *DB
	q       querier
	pending map[int64]tlog.Hash
}

// locate maps a tlog storage index to the record that stored it and the
// hash's position in that record's hashes: a level-L hash of node n is
// created by the append of record ((n+1) << L) - 1, as its L-th hash.
func locate(i int64) (record int64, pos int) {
	level, n := tlog.SplitStoredHashIndex(i)
	return ((n + 1) << level) - 1, level
}

func (r *hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	return readHashes(indexes, r.pending, &r.db.hashes, func(recs []int64) (map[int64][]byte, error) {
		return r.records(recs)
	})
}

// readHashes resolves each index once, from the transaction's pending
// hashes, then the committed cache, then the records that stored them. Each
// index is decided in one place: the cache may gain entries (another
// request of this server committing) or be reset while the table is read,
// so a second look at it could disagree with the first and leave a hash
// unset — the interior hashes that broke under concurrent writers.
func readHashes(indexes []int64, pending map[int64]tlog.Hash, cache *hashCache, read func(recs []int64) (map[int64][]byte, error)) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int // positions in indexes still to read from storage
	for i, x := range indexes {
		if h, ok := pending[x]; ok {
			out[i] = h
		} else if h, ok := cache.get(x); ok {
			out[i] = h
		} else {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	seen := map[int64]bool{}
	var recs []int64
	for _, i := range missing {
		rec, _ := locate(indexes[i])
		if !seen[rec] {
			seen[rec] = true
			recs = append(recs, rec)
		}
	}
	blobs, err := read(recs)
	if err != nil {
		return nil, err
	}
	for _, i := range missing {
		rec, pos := locate(indexes[i])
		b := blobs[rec]
		if len(b) < (pos+1)*tlog.HashSize {
			return nil, fmt.Errorf("audit: stored hash %d (record %d) is missing", indexes[i], rec)
		}
		copy(out[i][:], b[pos*tlog.HashSize:])
	}
	return out, nil
}

// records reads the hash blobs of the given records.
func (r *hashReader) records(recs []int64) (map[int64][]byte, error) {
	args := make([]any, len(recs))
	for i, rec := range recs {
		args[i] = rec
	}
	rows, err := r.q.QueryContext(r.ctx, r.db.q(`SELECT idx, hashes FROM audit_records WHERE idx IN (`+placeholders(len(args))+`)`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	blobs := map[int64][]byte{}
	for rows.Next() {
		var idx int64
		var b []byte
		if err := rows.Scan(&idx, &b); err != nil {
			return nil, err
		}
		blobs[idx] = b
	}
	return blobs, rows.Err()
}

// appendAudit appends events to the log inside tx. The caller's transaction
// commits them together with its action, or neither.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, evs ...*yuncang.Event) error {
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT size FROM audit_head WHERE id = 1`+db.dialect.ForUpdate).Scan(&n); err != nil {
		return wrapf(err, "read audit head")
	}
	hr := &hashReader{ctx: ctx, db: db, q: tx, pending: map[int64]tlog.Hash{}}
	var added []audit.StoredHash
	ins, err := tx.PrepareContext(ctx, db.q(`INSERT INTO audit_records (idx, at, actor_id, subject_id, tenant_id, action, outcome, targets, data, hashes)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return wrapf(err, "prepare audit insert")
	}
	defer ins.Close()
	for _, e := range evs {
		if e.At.IsZero() {
			e.At = db.now()
		}
		a := toAudit(e)
		a.Index = n
		if err := a.Validate(); err != nil {
			return yuncang.Internal(err, "audit record refused")
		}
		enc, hs, err := audit.AppendEvent(hr, n, a)
		if err != nil {
			return wrapf(err, "append audit record")
		}
		blob := make([]byte, 0, len(hs)*tlog.HashSize)
		for _, h := range hs {
			blob = append(blob, h.Hash[:]...)
			hr.pending[h.Index] = h.Hash
		}
		if _, err := ins.ExecContext(ctx, n, micros(a.Time), a.ActorID, subjectOf(a), a.TenantID, string(a.Action), a.Outcome,
			strings.Join(a.Targets, " "), enc, blob); err != nil {
			return wrapf(err, "insert audit record")
		}
		added = append(added, hs...)
		e.ID = n + 1
		n++
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE audit_head SET size = ? WHERE id = 1`), n); err != nil {
		return wrapf(err, "advance audit head")
	}
	// Cache only what commits.
	db.commits.add(tx, func() { db.hashes.put(added) })
	return nil
}

// RecordEvent appends one event to the audit log in its own transaction.
func (db *DB) RecordEvent(ctx context.Context, e *yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.appendAudit(ctx, tx, e) })
}

// appendAuditOf appends ev, if there is one, in tx with the records the
// change touched among its targets ("sku:12") and their tenant (0: none).
func (db *DB) appendAuditOf(ctx context.Context, tx *sql.Tx, ev *yuncang.Event, tenantID int64, targets ...string) error {
	if ev == nil {
		return nil
	}
	if tenantID != 0 {
		ev.TenantID = tenantID
	}
	ev.Targets = append(ev.Targets, targets...)
	return db.appendAudit(ctx, tx, ev)
}

// AppendEvents appends a group of events in one transaction (group commit).
func (db *DB) AppendEvents(ctx context.Context, evs []*yuncang.Event) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.appendAudit(ctx, tx, evs...) })
}

// Events lists audit records, newest first, decoded from their protected
// encoding (not from the query columns).
func (db *DB) Events(ctx context.Context, f yuncang.EventFilter) ([]*yuncang.Event, error) {
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q := `SELECT data FROM audit_records WHERE 1 = 1`
	var args []any
	if f.UserID != 0 {
		q += ` AND (actor_id = ? OR subject_id = ?)`
		args = append(args, f.UserID, f.UserID)
	}
	if f.Kind != "" {
		q += ` AND action = ?`
		args = append(args, f.Kind)
	}
	if f.TenantID != 0 {
		q += ` AND tenant_id = ?`
		args = append(args, f.TenantID)
	}
	if f.Target != "" {
		// The target is matched literally: LIKE's wildcards in it are escaped.
		q += ` AND (' ' || targets || ' ') LIKE ? ESCAPE '\'`
		args = append(args, "% "+likeEscaper.Replace(f.Target)+" %")
	}
	if !f.Since.IsZero() {
		q += ` AND at >= ?`
		args = append(args, micros(f.Since))
	}
	if !f.Until.IsZero() {
		q += ` AND at < ?`
		args = append(args, micros(f.Until))
	}
	if f.AfterID > 0 {
		q += ` AND idx < ?`
		args = append(args, f.AfterID-1)
	}
	q += ` ORDER BY idx DESC LIMIT ?`
	args = append(args, f.Limit)
	rows, err := db.r.QueryContext(ctx, db.q(q), args...)
	if err != nil {
		return nil, wrapf(err, "query audit log")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) (*yuncang.Event, error) {
		var data []byte
		if err := r.Scan(&data); err != nil {
			return nil, err
		}
		a, err := audit.DecodeEvent(data)
		if err != nil {
			return nil, err
		}
		return fromAudit(a), nil
	})
}

// likeEscaper escapes LIKE's wildcards and its escape character.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// AuditSize is the number of records in the log.
func (db *DB) AuditSize(ctx context.Context) (int64, error) {
	var n int64
	if err := db.r.QueryRowContext(ctx, `SELECT size FROM audit_head WHERE id = 1`).Scan(&n); err != nil {
		return 0, wrapf(err, "read audit head")
	}
	return n, nil
}

// AuditHashReader reads committed tree hashes.
func (db *DB) AuditHashReader(ctx context.Context) tlog.HashReader {
	return &hashReader{ctx: ctx, db: db, q: db.r}
}

// AuditRecord returns one record's encoding.
func (db *DB) AuditRecord(ctx context.Context, idx int64) ([]byte, error) {
	var data []byte
	if err := db.r.QueryRowContext(ctx, db.q(`SELECT data FROM audit_records WHERE idx = ?`), idx).Scan(&data); err != nil {
		return nil, notFound(err, "audit record")
	}
	return data, nil
}

// AuditRecords streams every record in index order for verification, with
// the query columns so they can be checked against the protected encoding.
func (db *DB) AuditRecords(ctx context.Context) iter.Seq2[AuditRow, error] {
	return func(yield func(AuditRow, error) bool) {
		rows, err := db.r.QueryContext(ctx, `SELECT idx, at, actor_id, subject_id, tenant_id, action, outcome, targets, data, hashes FROM audit_records ORDER BY idx`)
		if err != nil {
			yield(AuditRow{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var r AuditRow
			var at int64
			var hashes []byte
			if err := rows.Scan(&r.Index, &at, &r.ActorID, &r.SubjectID, &r.TenantID, &r.Action, &r.Outcome, &r.Targets, &r.Data, &hashes); err != nil {
				yield(AuditRow{}, err)
				return
			}
			r.At = fromMicros(at)
			if len(hashes) >= tlog.HashSize {
				copy(r.LeafHash[:], hashes)
			}
			if !yield(r, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(AuditRow{}, err)
		}
	}
}

// AuditRow is a stored audit record with its query columns.
type AuditRow struct {
	Index                        int64
	At                           time.Time
	ActorID, SubjectID, TenantID int64
	Action, Outcome, Targets     string
	Data                         []byte
	LeafHash                     tlog.Hash
}

// CheckColumns reports how the row's query columns disagree with its
// protected encoding ("" if they agree): a DBA who edits a column to hide a
// record from searches is caught here.
func (r AuditRow) CheckColumns() string {
	a, err := audit.DecodeEvent(r.Data)
	if err != nil {
		return "" // the tree check reports undecodable records
	}
	switch {
	case !a.Time.Equal(r.At):
		return "time column differs from the record"
	case a.ActorID != r.ActorID || subjectOf(a) != r.SubjectID:
		return "actor or subject column differs from the record"
	case a.TenantID != r.TenantID:
		return "tenant column differs from the record"
	case string(a.Action) != r.Action || a.Outcome != r.Outcome:
		return "action or outcome column differs from the record"
	case strings.Join(a.Targets, " ") != r.Targets:
		return "targets column differs from the record"
	}
	return ""
}

// StoreCheckpoint keeps a signed checkpoint in the database (it is also
// published outside it).
func (db *DB) StoreCheckpoint(ctx context.Context, size int64, note []byte) error {
	_, err := db.w.ExecContext(ctx, db.q(`INSERT INTO audit_checkpoints (size, note, created_at) VALUES (?, ?, ?) ON CONFLICT (size) DO NOTHING`),
		size, string(note), micros(db.now()))
	if err != nil {
		return wrapf(err, "store checkpoint")
	}
	return nil
}

// Checkpoints returns the stored checkpoint notes, oldest first.
func (db *DB) Checkpoints(ctx context.Context) ([][]byte, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT note FROM audit_checkpoints ORDER BY size`)
	if err != nil {
		return nil, wrapf(err, "list checkpoints")
	}
	return collect(rows, func(r interface{ Scan(...any) error }) ([]byte, error) {
		var s string
		err := r.Scan(&s)
		return []byte(s), err
	})
}
