package audit

import (
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Kind says what is wrong with the log.
type Kind string

// Problem kinds. The record-level kinds name exact indexes; the
// checkpoint-level kinds localise to a range of indexes, because a root only
// says that something under it changed.
const (
	// A record's content changed: its leaf hash no longer matches the stored
	// one, or it is not a valid encoding.
	KindModified Kind = "modified"
	// Records are missing: a gap in the index column, or later records
	// renumbered to close one (their embedded indexes give it away).
	KindDeleted Kind = "deleted"
	// Records were added inside the log: an index used twice, or later
	// records renumbered to make room.
	KindInserted Kind = "inserted"
	// A record sits at another record's index: swapped or moved.
	KindReordered Kind = "reordered"
	// The log ends before a validly signed checkpoint says it should.
	KindTruncated Kind = "truncated"
	// A validly signed checkpoint's root differs from the root recomputed
	// from the records at its size: a record in [Index, End) changed.
	KindRootMismatch Kind = "root_mismatch"
	// A published checkpoint disagrees with the records while the stored
	// checkpoints agree with them: records and stored checkpoints were
	// rewritten consistently after publication.
	KindRewritten Kind = "rewritten"
	// A checkpoint is unsigned, signed by another key, altered after
	// signing, or unreadable.
	KindForgedCheckpoint Kind = "forged_checkpoint"
	// Two validly signed checkpoints of one size have different roots: the
	// signing key made two histories, so it must be treated as compromised.
	KindFork Kind = "fork"
	// The records could not be read to the end.
	KindReadError Kind = "read_error"
	// More problems were found than a report keeps.
	KindTooMany Kind = "too_many_problems"
)

// Problem is one finding. Index and End bound the affected record indexes,
// [Index, End): End is Index+1 when a single record is identified. Both are -1
// when no record range applies (a forged checkpoint, say). Size is the size
// of the checkpoint concerned, or 0.
type Problem struct {
	Kind   Kind
	Index  int64
	End    int64
	Size   int64
	Source string // "records", "stored" or "published"
	Detail string
}

func (p Problem) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", p.Kind)
	switch {
	case p.Index >= 0 && p.End == p.Index+1:
		fmt.Fprintf(&b, " at index %d", p.Index)
	case p.Index >= 0:
		fmt.Fprintf(&b, " in indexes [%d, %d)", p.Index, p.End)
	}
	if p.Size > 0 {
		fmt.Fprintf(&b, " (%s checkpoint of size %d)", p.Source, p.Size)
	}
	if p.Detail != "" {
		b.WriteString(": " + p.Detail)
	}
	return b.String()
}

// Report is the outcome of Verify.
type Report struct {
	Records     int64     // records read
	Root        tlog.Hash // root recomputed over the records read
	Checkpoints int       // validly signed checkpoints compared with the records
	Problems    []Problem
	// Resumes are the valid resume statements, by epoch, and Superseded the
	// number of checkpoints they account for (VerifyResumed only).
	Resumes    []Resume
	Superseded int
}

// OK reports whether nothing is wrong.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Has reports whether the report holds a problem of kind k at index i (any
// index when i < 0).
func (r *Report) Has(k Kind, i int64) bool {
	for _, p := range r.Problems {
		if p.Kind == k && (i < 0 || p.Index == i) {
			return true
		}
	}
	return false
}

func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d records, root %s, %d checkpoints compared", r.Records, r.Root, r.Checkpoints)
	if r.OK() {
		b.WriteString(": intact\n")
		return b.String()
	}
	fmt.Fprintf(&b, ": %d problems\n", len(r.Problems))
	for _, p := range r.Problems {
		b.WriteString("  " + p.String() + "\n")
	}
	return b.String()
}

// maxProblems bounds a report: a wholesale rewrite would otherwise produce a
// problem per record, and the first few hundred say all there is to say.
const maxProblems = 1000

func (r *Report) add(p Problem) {
	switch {
	case len(r.Problems) < maxProblems:
		r.Problems = append(r.Problems, p)
	case len(r.Problems) == maxProblems:
		r.Problems = append(r.Problems, Problem{Kind: KindTooMany, Index: -1, End: -1,
			Detail: fmt.Sprintf("stopped listing after %d problems", maxProblems)})
	}
}
