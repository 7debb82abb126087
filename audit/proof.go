package audit

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Proofs let a party holding only a signed checkpoint check one record, or
// check that a later checkpoint extends an earlier one, without the rest of
// the log: an auditor given one reveal record and its proof can confirm it is
// in the log a published checkpoint commits to.

// InclusionProof proves that record index is in the tree of the first size
// records.
func InclusionProof(index, size int64, hr HashReader) (tlog.RecordProof, error) {
	if index < 0 || index >= size {
		return nil, fmt.Errorf("audit: no record %d in a tree of size %d", index, size)
	}
	p, err := tlog.ProveRecord(size, index, hr)
	if err != nil {
		return nil, fmt.Errorf("audit: proving record %d in tree %d: %w", index, size, err)
	}
	return p, nil
}

// VerifyInclusion checks that encoded is record index of the tree with the
// given size and root. The root normally comes from a checkpoint opened with
// ParseCheckpoint.
func VerifyInclusion(p tlog.RecordProof, size int64, root tlog.Hash, index int64, encoded []byte) error {
	if i, ok := EncodedIndex(encoded); !ok || i != index {
		return fmt.Errorf("audit: record claims index %d, proof is for %d", i, index)
	}
	if err := tlog.CheckRecord(p, size, root, index, LeafHash(encoded)); err != nil {
		return fmt.Errorf("audit: record %d is not in tree %d: %w", index, size, err)
	}
	return nil
}

// ConsistencyProof proves that the tree of newSize records extends the tree
// of oldSize records; oldSize must be at least 1, as every tree extends the
// empty one.
func ConsistencyProof(oldSize, newSize int64, hr HashReader) (tlog.TreeProof, error) {
	if oldSize < 1 || oldSize > newSize {
		return nil, fmt.Errorf("audit: no consistency proof from %d to %d", oldSize, newSize)
	}
	p, err := tlog.ProveTree(newSize, oldSize, hr)
	if err != nil {
		return nil, fmt.Errorf("audit: proving tree %d extends %d: %w", newSize, oldSize, err)
	}
	return p, nil
}

// VerifyConsistency checks that the tree (newSize, newRoot) extends the tree
// (oldSize, oldRoot): nothing in the first oldSize records changed.
func VerifyConsistency(p tlog.TreeProof, oldSize int64, oldRoot tlog.Hash, newSize int64, newRoot tlog.Hash) error {
	if err := tlog.CheckTree(p, newSize, newRoot, oldSize, oldRoot); err != nil {
		return fmt.Errorf("audit: tree %d does not extend tree %d: %w", newSize, oldSize, err)
	}
	return nil
}
