package httpapi

import (
	"encoding/base64"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/orderfile"
)

// CheckpointJSON is a signed checkpoint of the audit log.
type CheckpointJSON struct {
	Origin      string    `json:"origin"`
	Size        int64     `json:"size"`
	Root        string    `json:"root"` // base64
	Time        time.Time `json:"time"`
	Note        string    `json:"note"` // the signed note: verify it with verifier_key
	VerifierKey string    `json:"verifier_key"`
}

// AuditEventsJSON is a page of the audit log with the latest checkpoint,
// against which each record can be proven.
type AuditEventsJSON struct {
	Items      []EventJSON `json:"items"`
	Next       string      `json:"next,omitempty"`
	Checkpoint string      `json:"checkpoint"`
}

// ProofJSON is an inclusion or consistency proof.
type ProofJSON struct {
	Index    int64    `json:"index,omitempty"`
	Record   string   `json:"record,omitempty"` // base64 of the record's canonical encoding
	LeafHash string   `json:"leaf_hash,omitempty"`
	OldSize  int64    `json:"old_size,omitempty"`
	OldRoot  string   `json:"old_root,omitempty"`
	Size     int64    `json:"size"`
	Root     string   `json:"root"`
	Proof    []string `json:"proof"`
}

func b64(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }

func hashesJSON(hs []tlog.Hash) []string {
	out := make([]string, len(hs))
	for i, h := range hs {
		out[i] = b64(h)
	}
	return out
}

// latestCheckpoint returns the newest stored checkpoint that verifies.
func (s *Server) latestCheckpoint(r *http.Request) (*audit.Checkpoint, error) {
	if s.vkey == "" {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "this server has no audit verifier key configured")
	}
	notes, err := s.store.Checkpoints(r.Context())
	if err != nil {
		return nil, err
	}
	v, err := audit.NewVerifier(s.vkey)
	if err != nil {
		return nil, yuncang.Internal(err, "audit verifier key")
	}
	for i := len(notes) - 1; i >= 0; i-- {
		if cp, err := audit.ParseCheckpoint(notes[i], v); err == nil {
			return &cp, nil
		}
	}
	return nil, yuncang.Errorf(yuncang.ENOTFOUND, "no checkpoint has been signed yet")
}

func (s *Server) auditCheckpoint(w http.ResponseWriter, r *http.Request) error {
	cp, err := s.latestCheckpoint(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, CheckpointJSON{Origin: cp.Origin, Size: cp.Size, Root: b64(cp.Root), Time: cp.Time, Note: string(cp.Note), VerifierKey: s.vkey})
	return nil
}

// sizeParam reads a positive tree size, defaulting to the latest checkpoint.
func (s *Server) sizeParam(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		cp, err := s.latestCheckpoint(r)
		if err != nil {
			return 0, err
		}
		return cp.Size, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, yuncang.Invalid(name, "must be a positive integer")
	}
	size, err := s.store.AuditSize(r.Context())
	if err != nil {
		return 0, err
	}
	if n > size {
		return 0, yuncang.Invalid(name, "is larger than the log (%d records)", size)
	}
	return n, nil
}

func (s *Server) inclusionProof(w http.ResponseWriter, r *http.Request) error {
	idx, err := strconv.ParseInt(r.URL.Query().Get("index"), 10, 64)
	if err != nil || idx < 0 {
		return yuncang.Invalid("index", "must be a record index (0 or more)")
	}
	size, err := s.sizeParam(r, "size")
	if err != nil {
		return err
	}
	p, err := s.AuditInclusion(r, idx, size)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, p)
	return nil
}

func (s *Server) consistencyProof(w http.ResponseWriter, r *http.Request) error {
	old, err := s.sizeParam(r, "old")
	if err != nil {
		return err
	}
	size, err := s.sizeParam(r, "new")
	if err != nil {
		return err
	}
	if old > size {
		return yuncang.Invalid("old", "must not exceed new")
	}
	hr := s.store.AuditHashReader(r.Context())
	p, err := audit.ConsistencyProof(old, size, hr)
	if err != nil {
		return yuncang.Internal(err, "consistency proof")
	}
	oldRoot, err := audit.TreeHash(old, hr)
	if err != nil {
		return yuncang.Internal(err, "tree hash")
	}
	root, err := audit.TreeHash(size, hr)
	if err != nil {
		return yuncang.Internal(err, "tree hash")
	}
	writeJSON(w, http.StatusOK, ProofJSON{OldSize: old, OldRoot: b64(oldRoot), Size: size, Root: b64(root), Proof: hashesJSON(p)})
	return nil
}

// listEvents queries the audit log; format=jsonl or csv exports it. Every
// export names the latest checkpoint, so an auditor can prove each exported
// record against it, and is itself audited.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := ParseEventFilter(q)
	if err != nil {
		return err
	}
	format := q.Get("format")
	switch format {
	case "", "json", "jsonl", "csv":
	default:
		return yuncang.Invalid("format", "must be json, jsonl or csv")
	}
	es, err := s.store.Events(r.Context(), f)
	if err != nil {
		return err
	}
	out := make([]EventJSON, len(es))
	for i, e := range es {
		out[i] = toEventJSON(e)
	}
	cpNote := ""
	if cp, err := s.latestCheckpoint(r); err == nil {
		cpNote = string(cp.Note)
		w.Header().Set("X-Yuncang-Checkpoint", base64.StdEncoding.EncodeToString(cp.Note))
	}
	if format == "jsonl" || format == "csv" {
		ev := actorEvent(r, yuncang.EventAuditExport)
		ev.Detail = "format " + format + ", " + strconv.Itoa(len(es)) + " records"
		if err := s.store.RecordEvent(r.Context(), ev); err != nil {
			return yuncang.Internal(err, "record export")
		}
	}
	switch format {
	case "jsonl":
		w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
		enc := newLineEncoder(w)
		for _, e := range out {
			enc.Encode(e)
		}
		enc.Encode(map[string]string{"checkpoint": cpNote})
	case "csv":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		cw := csv.NewWriter(w)
		cw.Write([]string{"id", "at", "kind", "outcome", "user_id", "username", "role", "actor_id", "actor_name", "tenant_id", "targets", "purpose", "source", "device_id", "detail"})
		for _, e := range out {
			cw.Write([]string{strconv.FormatInt(e.ID, 10), e.At.Format(time.RFC3339Nano), e.Kind, e.Outcome, strconv.FormatInt(e.UserID, 10), csvSafe(e.Username),
				e.Role, strconv.FormatInt(e.ActorID, 10), csvSafe(e.ActorName), strconv.FormatInt(e.Tenant, 10), csvSafe(strings.Join(e.Targets, " ")),
				e.Purpose, csvSafe(e.Source), strconv.FormatInt(e.DeviceID, 10), csvSafe(e.Detail)})
		}
		cw.Write([]string{"# checkpoint", strings.ReplaceAll(cpNote, "\n", `\n`)})
		cw.Flush()
	default:
		page := AuditEventsJSON{Items: out, Checkpoint: cpNote}
		if len(out) > 0 {
			page.Next = nextCursor(len(out), f.Limit, out[len(out)-1].ID)
		}
		writeJSON(w, http.StatusOK, page)
	}
	return nil
}

// csvSafe defuses spreadsheet formulas in exported text.
// The audit export follows the order files' rule, full-width forms included.
func csvSafe(s string) string { return orderfile.GuardFormula(s) }
