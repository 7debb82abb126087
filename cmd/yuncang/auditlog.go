package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/sqlstore"
)

// auditKeys are the checkpoint signing keys, from the environment or files,
// never from the database whose history they witness.
type auditKeys struct {
	signer   note.Signer
	verifier note.Verifier
	vkey     string // public verifier key text
}

// loadAuditKeys reads YUNCANG_AUDIT_SIGNER_KEY(_FILE) and, for verifying
// without the signer, YUNCANG_AUDIT_VERIFIER_KEY(_FILE).
func loadAuditKeys(needSigner bool) (*auditKeys, error) {
	skey, err := secretFromEnv("YUNCANG_AUDIT_SIGNER_KEY")
	if err != nil {
		return nil, err
	}
	vkey, err := secretFromEnv("YUNCANG_AUDIT_VERIFIER_KEY")
	if err != nil {
		return nil, err
	}
	switch {
	case skey == "" && needSigner:
		return nil, errors.New("no audit signing key: set YUNCANG_AUDIT_SIGNER_KEY or YUNCANG_AUDIT_SIGNER_KEY_FILE (make one with 'yuncang audit keygen')")
	case skey == "" && vkey == "":
		// Verifying needs only the public key.
		return nil, errors.New("no audit verifier key: set YUNCANG_AUDIT_VERIFIER_KEY or YUNCANG_AUDIT_VERIFIER_KEY_FILE (the public key 'yuncang audit keygen' printed; or the signing key)")
	}
	return newAuditKeys(skey, vkey)
}

func newAuditKeys(skey, vkey string) (*auditKeys, error) {
	k := &auditKeys{}
	var err error
	if skey != "" {
		if k.signer, err = audit.NewSigner(skey); err != nil {
			return nil, err
		}
		if vkey == "" {
			if vkey, err = audit.VerifierFromSigner(skey); err != nil {
				return nil, err
			}
		}
	}
	if k.verifier, err = audit.NewVerifier(vkey); err != nil {
		return nil, err
	}
	k.vkey = vkey
	return k, nil
}

// secretFromEnv reads NAME, or the file named by NAME_FILE.
func secretFromEnv(name string) (string, error) {
	if v := os.Getenv(name); v != "" {
		return v, nil
	}
	if f := os.Getenv(name + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("read %s: %w", name+"_FILE", err)
		}
		return string(b), nil
	}
	return "", nil
}

// publishDir is where checkpoints are published outside the database.
func publishDir(c *Config) string {
	if d := os.Getenv("YUNCANG_AUDIT_PUBLISH_DIR"); d != "" {
		return d
	}
	return filepath.Join(c.DataDir, "audit-published")
}

// checkpointer signs and publishes checkpoints of the audit log.
type checkpointer struct {
	db   *sqlstore.DB
	keys *auditKeys
	pub  audit.DirPublisher
	now  func() time.Time
}

// resumeNotes returns the resume statements in the database and beside the
// published checkpoints (a database restored again from an older backup may
// have lost some the publisher kept).
func resumeNotes(ctx context.Context, db *sqlstore.DB, pub audit.DirPublisher) ([][]byte, error) {
	notes, err := db.AuditResumes(ctx)
	if err != nil {
		return nil, err
	}
	pubd, err := pub.ListResumes()
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return append(notes, pubd...), nil
}

// current returns the resume statement that opened the current epoch, or a
// zero Resume (epoch 0) for a log never resumed.
func (c *checkpointer) current(ctx context.Context) (audit.Resume, error) {
	var cur audit.Resume
	notes, err := resumeNotes(ctx, c.db, c.pub)
	if err != nil {
		return cur, err
	}
	for _, n := range notes {
		r, err := audit.ParseResume(n, c.keys.verifier)
		if err != nil {
			continue // Verify reports forged statements
		}
		if r.Epoch > cur.Epoch {
			cur = r
		}
	}
	return cur, nil
}

// latest returns the newest checkpoint of the epoch known, published or
// stored. Checkpoints of earlier epochs are not built on even where they are
// consistent: the next one would carry their epoch.
func (c *checkpointer) latest(ctx context.Context, epoch int) (audit.Checkpoint, error) {
	var best audit.Checkpoint
	if err := os.MkdirAll(c.pub.Dir, 0o755); err != nil {
		return best, err
	}
	pubs, err := c.pub.List()
	if err != nil {
		return best, err
	}
	notes, err := c.db.Checkpoints(ctx)
	if err != nil {
		return best, err
	}
	for _, n := range notes {
		pubs = append(pubs, audit.Checkpoint{Note: n})
	}
	for _, p := range pubs {
		cp, err := audit.ParseCheckpoint(p.Note, c.keys.verifier)
		if err != nil || cp.Epoch != epoch {
			continue // Verify reports forged checkpoints; signing builds on genuine ones
		}
		if cp.Size > best.Size || best.Note == nil {
			best = cp
		}
	}
	return best, nil
}

// once checkpoints the committed log if it grew since the last checkpoint.
// It refuses (and says so loudly) when the stored tree does not extend the
// last signed one: that is tampering, or a restore not yet resumed.
func (c *checkpointer) once(ctx context.Context) (audit.Checkpoint, bool, error) {
	size, err := c.db.AuditSize(ctx)
	if err != nil {
		return audit.Checkpoint{}, false, err
	}
	cur, err := c.current(ctx)
	if err != nil {
		return audit.Checkpoint{}, false, err
	}
	prev, err := c.latest(ctx, cur.Epoch)
	if err != nil {
		return audit.Checkpoint{}, false, err
	}
	if prev.Note != nil && prev.Size == size {
		return prev, false, nil
	}
	var cp audit.Checkpoint
	if prev.Note == nil && cur.Epoch > 0 {
		// The first checkpoint after a resume builds on the restored tree.
		cp, err = audit.SignAfterResume(c.keys.signer, c.keys.verifier, cur, size, c.db.AuditHashReader(ctx), c.now())
	} else {
		cp, err = audit.SignNext(c.keys.signer, c.keys.verifier, prev, size, c.db.AuditHashReader(ctx), c.now())
	}
	if err != nil {
		hint := ""
		if prev.Size > size {
			hint = "; if this database was restored from a backup, stop every server and run 'yuncang audit resume'"
		}
		return audit.Checkpoint{}, false, fmt.Errorf("AUDIT LOG TAMPERING SUSPECTED, checkpoint refused: %w%s", &divergedError{err}, hint)
	}
	if err := c.db.StoreCheckpoint(ctx, cp.Size, cp.Note); err != nil {
		return cp, false, err
	}
	if err := os.MkdirAll(c.pub.Dir, 0o755); err != nil {
		return cp, false, err
	}
	if err := c.pub.Publish(cp); err != nil && !errors.Is(err, audit.ErrCheckpointExists) {
		return cp, false, err
	}
	return cp, true, nil
}

// divergedError is a checkpoint refused because the stored log does not
// extend the last signed one (tampering, or a restore not yet resumed), as
// against one that could not be stored or published.
type divergedError struct{ err error }

func (e *divergedError) Error() string { return e.err.Error() }
func (e *divergedError) Unwrap() error { return e.err }

// checkpointInterval is how often serve checkpoints the log; it bounds how
// long a tail of records can be rewritten without detection.
func checkpointInterval() time.Duration {
	if v := os.Getenv("YUNCANG_AUDIT_CHECKPOINT_INTERVAL"); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d >= time.Second {
			return d
		}
	}
	return time.Minute
}

// ephemeralAuditKeys is a throwaway checkpoint key pair for in-process
// instances whose log is thrown away too (benchmarks, redteam, tests).
func ephemeralAuditKeys() (*auditKeys, error) {
	skey, _, err := audit.GenerateKey("yuncang-ephemeral/audit")
	if err != nil {
		return nil, err
	}
	return newAuditKeys(skey, "")
}

// problems is "1 problem" or "n problems".
func problems(n int) string {
	if n == 1 {
		return "1 problem"
	}
	return fmt.Sprintf("%d problems", n)
}
