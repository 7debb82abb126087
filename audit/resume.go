package audit

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Resume is a signed statement that the log was restored from a backup:
// records [0, Size) — whose tree has Root — are kept, and every checkpoint of
// an earlier epoch larger than Size, up to Superseded (root SupersededRoot),
// describes records that were lost with the restore. It opens Epoch:
// checkpoints signed after it carry that epoch, so a new checkpoint of a size
// that an old, superseded one also had is not a fork of the same history.
//
// Without it a correctly restored backup is indistinguishable from a
// truncation and stays flagged for ever; with it the loss is stated, signed
// by the checkpoint key, recorded in the log itself, and every earlier
// checkpoint stays verifiable: those up to Size against the records, those
// beyond as superseded by this statement.
//
// The note text is
//
//	<origin>
//	resume <epoch>
//	<size>
//	<base64 root>
//	superseded <size> <base64 root>
//	time <time>
//
// whose second line is not a number, so it can never pass for a checkpoint.
type Resume struct {
	Origin         string
	Epoch          int
	Size           int64
	Root           tlog.Hash
	Superseded     int64
	SupersededRoot tlog.Hash
	Time           time.Time
	Note           []byte
}

func (r Resume) text() string {
	return fmt.Sprintf("%s\nresume %d\n%d\n%s\nsuperseded %d %s\ntime %s\n", r.Origin, r.Epoch, r.Size, r.Root,
		r.Superseded, r.SupersededRoot, r.Time.Format(timeLayout))
}

// String says what the statement means, for verification reports.
func (r Resume) String() string {
	// Time is when the resume was signed, not when the backup was taken.
	return fmt.Sprintf("epoch %d: resumed at %s with the %d records restored from a backup; checkpoints beyond that, up to size %d, are superseded",
		r.Epoch, r.Time.Format(time.RFC3339), r.Size, r.Superseded)
}

// SignResume signs r (Origin, Time and Note are set from s and t).
func SignResume(s note.Signer, r Resume, t time.Time) (Resume, error) {
	if r.Epoch < 1 || r.Size < 0 || r.Superseded <= r.Size {
		return Resume{}, fmt.Errorf("audit: resume epoch %d at %d superseding %d: epoch must be 1 or more and the superseded size beyond the restored one",
			r.Epoch, r.Size, r.Superseded)
	}
	r.Origin = s.Name()
	r.Time = t.UTC().Truncate(time.Microsecond)
	msg, err := note.Sign(&note.Note{Text: r.text()}, s)
	if err != nil {
		return Resume{}, fmt.Errorf("audit: signing resume: %w", err)
	}
	r.Note = msg
	return r, nil
}

// ParseResume opens a signed resume statement and checks its signature and
// origin against v.
func ParseResume(text []byte, v note.Verifier) (Resume, error) {
	n, err := note.Open(text, note.VerifierList(v))
	if err != nil {
		var inv *note.InvalidSignatureError
		var unv *note.UnverifiedNoteError
		if errors.As(err, &inv) || errors.As(err, &unv) {
			return Resume{}, fmt.Errorf("%w: %v", ErrCheckpointSignature, err)
		}
		return Resume{}, fmt.Errorf("%w: %v", ErrCheckpointMalformed, err)
	}
	r, err := parseResumeBody(n.Text)
	if err != nil {
		return Resume{}, err
	}
	if r.Origin != v.Name() {
		return Resume{}, fmt.Errorf("%w: origin %q is not the key's name %q", ErrCheckpointSignature, r.Origin, v.Name())
	}
	r.Note = text
	return r, nil
}

func parseResumeBody(text string) (Resume, error) {
	bad := func(what string) (Resume, error) {
		return Resume{}, fmt.Errorf("%w: resume statement: %s", ErrCheckpointMalformed, what)
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) != 6 {
		return bad(fmt.Sprintf("%d lines", len(lines)))
	}
	r := Resume{Origin: lines[0]}
	var err error
	e, ok := strings.CutPrefix(lines[1], "resume ")
	if r.Epoch, err = strconv.Atoi(e); !ok || err != nil || r.Epoch < 1 {
		return bad("epoch")
	}
	if r.Size, err = strconv.ParseInt(lines[2], 10, 64); err != nil || r.Size < 0 {
		return bad("size")
	}
	if r.Root, err = tlog.ParseHash(lines[3]); err != nil {
		return bad("root")
	}
	sup := strings.Fields(strings.TrimPrefix(lines[4], "superseded "))
	if !strings.HasPrefix(lines[4], "superseded ") || len(sup) != 2 {
		return bad("superseded line")
	}
	if r.Superseded, err = strconv.ParseInt(sup[0], 10, 64); err != nil || r.Superseded <= r.Size {
		return bad("superseded size")
	}
	if r.SupersededRoot, err = tlog.ParseHash(sup[1]); err != nil {
		return bad("superseded root")
	}
	t, ok := strings.CutPrefix(lines[5], "time ")
	if r.Time, err = time.Parse(timeLayout, t); !ok || err != nil {
		return bad("time")
	}
	return r, nil
}

// VerifyResumed is Verify for a log that may have been restored and resumed:
// resumes are the resume statements found (stored and published, in any
// order, duplicates allowed). A checkpoint is compared with the records unless
// a later epoch's resume restored the log to fewer records than it covers;
// then it is superseded, and must be one the resume gave up: signed before the
// resume, of an earlier epoch, and no larger than the size the resume says it
// superseded (with the same root at that size). A checkpoint that fails this —
// a server still signing the old history after the resume, say — is reported
// as a fork. Each live resume's restored root is compared with the records
// like a checkpoint's.
func VerifyResumed(records RecordIterator, stored, published []Checkpoint, resumes [][]byte, v note.Verifier) Report {
	var rep Report
	byEpoch := map[int]Resume{}
	for _, n := range resumes {
		r, err := ParseResume(n, v)
		if err != nil {
			rep.add(Problem{Kind: KindForgedCheckpoint, Index: -1, End: -1, Source: "resume", Detail: err.Error()})
			continue
		}
		if old, dup := byEpoch[r.Epoch]; dup && old.Text() != r.Text() {
			rep.add(Problem{Kind: KindFork, Index: -1, End: -1, Size: r.Size, Source: "resume",
				Detail: fmt.Sprintf("two different signed resume statements open epoch %d: the signing key must be treated as compromised", r.Epoch)})
			continue
		}
		byEpoch[r.Epoch] = r
	}
	maxEpoch := 0
	for e := range byEpoch {
		maxEpoch = max(maxEpoch, e)
	}
	for e := 1; e <= maxEpoch; e++ {
		if _, ok := byEpoch[e]; !ok {
			rep.add(Problem{Kind: KindDeleted, Index: -1, End: -1, Source: "resume",
				Detail: fmt.Sprintf("the resume statement opening epoch %d is missing", e)})
		}
	}
	// supersededBy returns the first later resume that restored fewer
	// records than size, or nil.
	supersededBy := func(epoch int, size int64) *Resume {
		for e := epoch + 1; e <= maxEpoch; e++ {
			if r, ok := byEpoch[e]; ok && r.Size < size {
				return &r
			}
		}
		return nil
	}
	var anchors []sourced
	for e := 1; e <= maxEpoch; e++ {
		r, ok := byEpoch[e]
		if !ok {
			continue
		}
		rep.Resumes = append(rep.Resumes, r)
		if supersededBy(e, r.Size) == nil {
			anchors = append(anchors, sourced{Checkpoint{Origin: r.Origin, Size: r.Size, Root: r.Root, Time: r.Time, Epoch: e}, "resume"})
		}
	}
	filter := func(list []Checkpoint, source string) []Checkpoint {
		var live []Checkpoint
		for _, c := range list {
			got, err := ParseCheckpoint(c.Note, v)
			if err != nil {
				live = append(live, c) // Verify reports it
				continue
			}
			if got.Epoch > maxEpoch {
				rep.add(Problem{Kind: KindForgedCheckpoint, Index: -1, End: -1, Size: got.Size, Source: source,
					Detail: fmt.Sprintf("checkpoint of epoch %d, but no resume statement opens it", got.Epoch)})
				continue
			}
			r := supersededBy(got.Epoch, got.Size)
			if r == nil {
				live = append(live, c)
				continue
			}
			rep.Superseded++
			switch {
			case got.Time.After(r.Time):
				rep.add(Problem{Kind: KindFork, Index: -1, End: -1, Size: got.Size, Source: source,
					Detail: fmt.Sprintf("checkpoint of epoch %d signed at %s, after the resume of epoch %d superseded that history",
						got.Epoch, got.Time.Format(timeLayout), r.Epoch)})
			case got.Epoch == r.Epoch-1 && got.Size > r.Superseded:
				rep.add(Problem{Kind: KindTruncated, Index: r.Size, End: got.Size, Size: got.Size, Source: source,
					Detail: fmt.Sprintf("the resume of epoch %d gave up checkpoints up to size %d, but this one is larger", r.Epoch, r.Superseded)})
			case got.Epoch == r.Epoch-1 && got.Size == r.Superseded && got.Root != r.SupersededRoot:
				rep.add(Problem{Kind: KindFork, Index: -1, End: -1, Size: got.Size, Source: source,
					Detail: fmt.Sprintf("root %s differs from the one the resume of epoch %d superseded (%s)", got.Root, r.Epoch, r.SupersededRoot)})
			}
		}
		return live
	}
	inner := verify(records, filter(stored, "stored"), filter(published, "published"), anchors, v)
	inner.Problems = append(rep.Problems, inner.Problems...)
	inner.Resumes, inner.Superseded = rep.Resumes, rep.Superseded
	sortProblems(inner.Problems)
	return inner
}

// Text is the signed body of the statement, for comparing two statements.
func (r Resume) Text() string { return r.text() }

// SupersededBy reports whether one of resumes gave c up: a later epoch's
// resume restored the log to fewer records than c covers.
func SupersededBy(c Checkpoint, resumes []Resume) bool {
	for _, r := range resumes {
		if r.Epoch > c.Epoch && r.Size < c.Size {
			return true
		}
	}
	return false
}
