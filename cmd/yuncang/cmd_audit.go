package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/sqlstore"
)

func init() {
	register("audit keygen", "make an Ed25519 key pair for signing audit checkpoints", runAuditKeygen)
	register("audit checkpoint", "sign and publish a checkpoint of the audit log now", runAuditCheckpoint)
	register("audit verify", "recompute the audit log's Merkle tree and check it against stored and published checkpoints", runAuditVerify)
}

func runAuditKeygen(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("audit keygen", "audit keygen [--origin NAME]\n\nPrints the signer key (secret: YUNCANG_AUDIT_SIGNER_KEY) and the verifier key (public).", s)
	origin := fs.String("origin", "yuncang/audit", "the log's name, written into every checkpoint")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	skey, vkey, err := audit.GenerateKey(*origin)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.out, "YUNCANG_AUDIT_SIGNER_KEY=%s\nYUNCANG_AUDIT_VERIFIER_KEY=%s\n", skey, vkey)
	return nil
}

func runAuditCheckpoint(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("audit checkpoint", "audit checkpoint", s, false)
	c := &sc.Config
	// Signing a checkpoint reads only the log: no master key is needed.
	var keys *auditKeys
	return sc.run(ctx, args, func() (err error) {
		keys, err = loadAuditKeys(true)
		return err
	}, func(db *sqlstore.DB) error {
		cp, made, err := (&checkpointer{db: db, keys: keys, pub: audit.DirPublisher{Dir: publishDir(c)}, now: db.Now}).once(ctx)
		if err != nil {
			return err
		}
		if made {
			fmt.Fprintf(s.out, "signed and published checkpoint %d\n", cp.Size)
		} else {
			fmt.Fprintf(s.out, "checkpoint %d already covers the log\n", cp.Size)
		}
		return nil
	})
}

// logCheck is the outcome of checking the stored log against every
// checkpoint and resume statement, stored and published.
type logCheck struct {
	rep      audit.Report
	columns  []string // query columns that disagree with their records
	stored   int
	pubs     []audit.Checkpoint
	resumes  [][]byte
	problems int
}

// checkLog recomputes the whole tree from the stored records and checks it,
// the query columns, every checkpoint and every resume statement (plus
// extra, a statement not yet stored). It reads the records once.
func checkLog(ctx context.Context, db *sqlstore.DB, keys *auditKeys, dir string, extra ...[]byte) (*logCheck, error) {
	pub := audit.DirPublisher{Dir: dir}
	pubs, err := pub.List()
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	notes, err := db.Checkpoints(ctx)
	if err != nil {
		return nil, err
	}
	var stored []audit.Checkpoint
	for _, n := range notes {
		stored = append(stored, audit.Checkpoint{Note: n})
	}
	resumes, err := resumeNotes(ctx, db, pub)
	if err != nil {
		return nil, err
	}
	resumes = append(resumes, extra...)
	lc := &logCheck{stored: len(stored), pubs: pubs, resumes: resumes}
	records := func(yield func(audit.Record, error) bool) {
		for r, err := range db.AuditRecords(ctx) {
			if err == nil {
				if why := r.CheckColumns(); why != "" {
					lc.columns = append(lc.columns, fmt.Sprintf("modified at index %d: %s", r.Index, why))
				}
			}
			if !yield(audit.Record{Index: r.Index, Data: r.Data, LeafHash: r.LeafHash}, err) {
				return
			}
		}
	}
	lc.rep = audit.VerifyResumed(records, stored, pubs, resumes, keys.verifier)
	size, err := db.AuditSize(ctx)
	if err != nil {
		return nil, err
	}
	lc.problems = len(lc.rep.Problems) + len(lc.columns)
	if size != lc.rep.Records && lc.problems == 0 {
		lc.columns = append(lc.columns, fmt.Sprintf("head says %d records but %d are stored", size, lc.rep.Records))
		lc.problems++
	}
	return lc, nil
}

func (lc *logCheck) print(w io.Writer, dir string) {
	fmt.Fprintf(w, "audit log: %d records, %d stored and %d published checkpoints (in %s)\n", lc.rep.Records, lc.stored, len(lc.pubs), dir)
	if len(lc.pubs) == 0 {
		fmt.Fprintln(w, "warning: no published checkpoints; a consistent rewrite of the database could not be detected")
	}
	for _, r := range lc.rep.Resumes {
		fmt.Fprintf(w, "resumed: %s\n", r)
	}
	if lc.rep.Superseded > 0 {
		fmt.Fprintf(w, "%d checkpoint(s) of superseded history accounted for by the resume statements\n", lc.rep.Superseded)
	}
	for _, p := range lc.rep.Problems {
		fmt.Fprintf(w, "problem: %s\n", p.String())
	}
	for _, p := range lc.columns {
		fmt.Fprintf(w, "problem: %s\n", p)
	}
}

// runAuditVerify recomputes the whole tree from the stored records and
// checks it, the query columns and every checkpoint, stored and published.
// It exits non-zero and names each problem: which index, what kind.
func runAuditVerify(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("audit verify", "audit verify [--published DIR]", s, false)
	fs := sc.fs
	c := &sc.Config
	published := fs.String("published", "", "directory of published checkpoints (default: YUNCANG_AUDIT_PUBLISH_DIR or DATA/audit-published)")
	// Auditors verify with the public checkpoint key alone: the log holds no
	// personal data, so the master key ring is neither needed nor asked for.
	var keys *auditKeys
	return sc.run(ctx, args, func() (err error) {
		keys, err = loadAuditKeys(false)
		return err
	}, func(db *sqlstore.DB) error {
		dir := *published
		if dir == "" {
			dir = publishDir(c)
		}
		lc, err := checkLog(ctx, db, keys, dir)
		if err != nil {
			return err
		}
		lc.print(s.out, dir)
		if lc.problems > 0 {
			return fmt.Errorf("audit log verification FAILED: %s", problems(lc.problems))
		}
		fmt.Fprintf(s.out, "OK: root %x…\n", lc.rep.Root[:8])
		return nil
	})
}
