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
func SignNext(s note.Signer, v note.Verifier, prev Checkpoint, size int64, hr HashReader, now time.Time) (Checkpoint, error) {
	root, err := TreeHash(size, hr)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: tree hash at %d: %w", size, err)
	}
	if len(prev.Note) > 0 {
		old, err := ParseCheckpoint(prev.Note, v)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("audit: previous checkpoint: %w", err)
		}
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
	return SignCheckpoint(s, size, root, now)
}
