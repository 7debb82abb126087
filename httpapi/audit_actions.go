package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
)

// The audit log as the API serves it, exported for the console's audit
// viewer: the same filter rules, the same events, the same proofs.

// ParseEventFilter reads an audit query (user_id, tenant_id, kind, target,
// since, until, cursor, limit) as GET /api/v1/audit/events does.
func ParseEventFilter(q url.Values) (yuncang.EventFilter, error) {
	f := yuncang.EventFilter{Kind: q.Get("kind"), Target: q.Get("target")}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"user_id", &f.UserID}, {"tenant_id", &f.TenantID}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				return f, yuncang.Invalid(p.name, "must be a positive integer")
			}
			*p.dst = n
		}
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return f, yuncang.Invalid(p.name, "must be an RFC 3339 time")
			}
			*p.dst = t
		}
	}
	var err error
	f.AfterID, f.Limit, err = pageParams(q, 100, 1000)
	return f, err
}

// AuditEvents lists audit events (GET /api/v1/audit/events).
func (s *Server) AuditEvents(r *http.Request, f yuncang.EventFilter) ([]*yuncang.Event, error) {
	return s.store.Events(r.Context(), f)
}

// LatestCheckpoint is the newest signed checkpoint that verifies with the
// server's verifier key.
func (s *Server) LatestCheckpoint(r *http.Request) (*audit.Checkpoint, error) {
	return s.latestCheckpoint(r)
}

// AuditInclusion is the proof that record idx is in the tree of the given
// size (0: the latest checkpoint's), as GET /api/v1/audit/proof/inclusion.
func (s *Server) AuditInclusion(r *http.Request, idx, size int64) (ProofJSON, error) {
	if idx < 0 {
		return ProofJSON{}, yuncang.Invalid("index", "must be a record index (0 or more)")
	}
	if size == 0 {
		cp, err := s.latestCheckpoint(r)
		if err != nil {
			return ProofJSON{}, err
		}
		size = cp.Size
	}
	if idx >= size {
		return ProofJSON{}, yuncang.Invalid("index", "is not below size")
	}
	hr := s.store.AuditHashReader(r.Context())
	p, err := audit.InclusionProof(idx, size, hr)
	if err != nil {
		return ProofJSON{}, yuncang.Internal(err, "inclusion proof")
	}
	root, err := audit.TreeHash(size, hr)
	if err != nil {
		return ProofJSON{}, yuncang.Internal(err, "tree hash")
	}
	rec, err := s.store.AuditRecord(r.Context(), idx)
	if err != nil {
		return ProofJSON{}, err
	}
	return ProofJSON{Index: idx, Record: base64.StdEncoding.EncodeToString(rec), LeafHash: b64(audit.LeafHash(rec)),
		Size: size, Root: b64(root), Proof: hashesJSON(p)}, nil
}

// WriteAuditEvents answers an audit query (the request's own query:
// filters and format json, jsonl or csv) exactly as GET
// /api/v1/audit/events does: an export is recorded in the log, and the
// latest signed checkpoint travels with the records (header, and the last
// line of a jsonl or csv export) so each can be proven against it.
func (s *Server) WriteAuditEvents(w http.ResponseWriter, r *http.Request) error {
	return s.listEvents(w, r)
}
