package audit

import (
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// SignNext signs a checkpoint of the first size records of the log read
// through hr, but only after proving from the stored hashes that this tree
// extends prev, the last checkpoint signed (read from the publisher, or the
// database; its signature is checked with v either way). Without this check a
// database administrator could rewrite records and hashes consistently and
// let the next routine checkpoint sign the forgery; with it, the signer
// refuses and the rewrite is caught the moment it happens. A zero prev (no
// Note) is the first checkpoint of a log.
//
// Sign only committed trees: a published checkpoint of a size whose
// transaction later rolled back would look like a fork.
//
// The new checkpoint belongs to prev's epoch.
func SignNext(s note.Signer, v note.Verifier, prev Checkpoint, size int64, hr HashReader, now time.Time) (Checkpoint, error) {
	if len(prev.Note) == 0 {
		return signAfter(s, nil, 0, size, hr, now)
	}
	old, err := ParseCheckpoint(prev.Note, v)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: previous checkpoint: %w", err)
	}
	return signAfter(s, &old, old.Epoch, size, hr, now)
}

// SignAfterResume signs the first checkpoint of the epoch a resume statement
// opened, proving that the tree extends the restored tree it names.
func SignAfterResume(s note.Signer, v note.Verifier, r Resume, size int64, hr HashReader, now time.Time) (Checkpoint, error) {
	got, err := ParseResume(r.Note, v)
	if err != nil {
		return Checkpoint{}, err
	}
	anchor := Checkpoint{Size: got.Size, Root: got.Root, Time: got.Time, Epoch: got.Epoch}
	return signAfter(s, &anchor, got.Epoch, size, hr, now)
}

// signAfter signs the tree of size in epoch, after checking that it extends
// old (already authenticated), if any.
func signAfter(s note.Signer, old *Checkpoint, epoch int, size int64, hr HashReader, now time.Time) (Checkpoint, error) {
	root, err := TreeHash(size, hr)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: tree hash at %d: %w", size, err)
	}
	if old != nil {
		switch {
		case old.Size > size:
			return Checkpoint{}, fmt.Errorf("audit: log has %d records, previous checkpoint %d: refusing to sign a truncated log", size, old.Size)
		case old.Size == size:
			if old.Root != root {
				return Checkpoint{}, fmt.Errorf("audit: stored hashes give root %s at %d, previous checkpoint %s: refusing to sign", root, size, old.Root)
			}
		case old.Size > 0:
			p, err := ConsistencyProof(old.Size, size, hr)
			if err == nil {
				err = VerifyConsistency(p, old.Size, old.Root, size, root)
			}
			if err != nil {
				return Checkpoint{}, fmt.Errorf("audit: refusing to sign tree %d: %w", size, err)
			}
		}
		if now.Before(old.Time) {
			now = old.Time // a clock step back must not make times run backwards
		}
	}
	return signCheckpointEpoch(s, epoch, size, root, now)
}
