package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/sqlstore"
)

func init() {
	register("audit resume", "after a restore from backup: prove the log is a prefix of the signed history, record and sign the resume, and let checkpoints continue", runAuditResume)
}

// runAuditResume ends the "truncated for ever" state a correct restore leaves:
// the restored log has fewer records than the last published checkpoint, so
// every routine checkpoint refuses and every verification cries tampering.
//
// It needs the signing key, and it only resumes a log that is a prefix of the
// signed history: the records must verify against every stored and published
// checkpoint up to their size (and every earlier resume). Then it signs a
// resume statement naming the restored size and the checkpoints given up,
// stores it and an audit record saying so in one transaction, publishes it
// beside the checkpoints (where it cannot be unsaid), and signs the first
// checkpoint of the new epoch. Anything else — an edited, reordered or
// rewritten restore — is refused as what it looks like: tampering.
func runAuditResume(ctx context.Context, args []string, s stdio) error {
	sc := newStoreCmd("audit resume", "audit resume [--published DIR]\n\nRun with every server stopped, after 'yuncang restore' (or a PostgreSQL restore).", s, false)
	fs := sc.fs
	c := &sc.Config
	published := fs.String("published", "", "directory of published checkpoints (default: YUNCANG_AUDIT_PUBLISH_DIR or DATA/audit-published)")
	var keys *auditKeys
	return sc.run(ctx, args, func() (err error) {
		keys, err = loadAuditKeys(true)
		return err
	}, func(db *sqlstore.DB) error {
		dir := *published
		if dir == "" {
			dir = publishDir(c)
		}
		pub := audit.DirPublisher{Dir: dir}
		cp := &checkpointer{db: db, keys: keys, pub: pub, now: db.Now}
		cur, err := cp.current(ctx)
		if err != nil {
			return err
		}
		size, err := db.AuditSize(ctx)
		if err != nil {
			return err
		}

		// What the restore gave up: every valid checkpoint beyond the log.
		before, err := checkLog(ctx, db, keys, dir)
		if err != nil {
			return err
		}
		var gone audit.Checkpoint
		notes, err := db.Checkpoints(ctx)
		if err != nil {
			return err
		}
		all := before.pubs
		for _, n := range notes {
			all = append(all, audit.Checkpoint{Note: n})
		}
		var earlier []audit.Resume
		for _, n := range before.resumes {
			if r, err := audit.ParseResume(n, keys.verifier); err == nil {
				earlier = append(earlier, r)
			}
		}
		for _, x := range all {
			got, err := audit.ParseCheckpoint(x.Note, keys.verifier)
			if err == nil && got.Size > size && got.Size > gone.Size && !audit.SupersededBy(got, earlier) {
				gone = got
			}
		}
		if gone.Note == nil {
			if before.problems > 0 {
				before.print(s.out, dir)
				return fmt.Errorf("refusing to resume: no signed checkpoint lies beyond the log's %d records, so this is no restore; %s remain", size, problems(before.problems))
			}
			return fmt.Errorf("nothing to resume: no signed checkpoint lies beyond the log's %d records", size)
		}
		root, err := audit.TreeHash(size, db.AuditHashReader(ctx))
		if err != nil {
			return fmt.Errorf("refusing to resume: tree hash at %d: %w", size, err)
		}
		r, err := audit.SignResume(keys.signer, audit.Resume{Epoch: cur.Epoch + 1, Size: size, Root: root,
			Superseded: gone.Size, SupersededRoot: gone.Root}, db.Now())
		if err != nil {
			return err
		}
		// With the statement in place every superseded checkpoint is accounted
		// for; what remains is a log that is not a prefix of the signed history.
		after, err := checkLog(ctx, db, keys, dir, r.Note)
		if err != nil {
			return err
		}
		if after.problems > 0 {
			after.print(s.out, dir)
			return fmt.Errorf("refusing to resume: the restored log is not a prefix of the signed history (%s): AUDIT LOG TAMPERING SUSPECTED", problems(after.problems))
		}
		ev := &yuncang.Event{Kind: yuncang.EventAuditResume, Outcome: yuncang.OutcomeOK, Username: "yuncang audit resume",
			Detail: fmt.Sprintf("restored from backup at size %d; published checkpoints up to %d superseded; epoch %d begins", size, gone.Size, r.Epoch)}
		if err := db.RecordResume(ctx, r.Epoch, size, r.Note, ev); err != nil {
			return fmt.Errorf("recording the resume: %s", yuncang.ErrorMessage(err))
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := pub.PublishResume(r); err != nil {
			// Stored and recorded: the next checkpoint run publishes nothing
			// wrong, but the statement must still leave the database.
			return fmt.Errorf("resume recorded but not published (publish %s by hand): %w", dir, err)
		}
		next, _, err := cp.once(ctx)
		if err != nil && !errors.Is(err, audit.ErrCheckpointExists) {
			return fmt.Errorf("resume recorded and published, first checkpoint failed: %w", err)
		}
		fmt.Fprintf(s.out, "resumed: %s\nsigned and published checkpoint %d (epoch %d)\n", r, next.Size, next.Epoch)
		return nil
	})
}
