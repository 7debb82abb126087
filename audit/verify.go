package audit

import (
	"errors"
	"fmt"
	"sort"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Verify recomputes the Merkle tree from the records in one streaming pass
// and reports every way in which the records, the stored checkpoints (those
// kept in the database) and the published checkpoints (those copied out of
// it) disagree. It checks:
//
//   - each checkpoint's signature and origin against v;
//   - that no two valid checkpoints of one size have different roots;
//   - that the index column runs 0, 1, 2, … without gaps or repeats;
//   - that each record's embedded index equals its index column;
//   - that each record's leaf hash equals the stored leaf hash, when stored;
//   - that the root at each checkpoint size equals the checkpoint's root;
//   - that the log is at least as long as every checkpoint.
//
// Memory is O(log n) plus what the report holds; the records are read once.
func Verify(records RecordIterator, stored, published []Checkpoint, v note.Verifier) Report {
	return verify(records, stored, published, nil, v)
}

// verify is Verify with extra, already authenticated roots to compare (the
// restored roots of resume statements).
func verify(records RecordIterator, stored, published []Checkpoint, extra []sourced, v note.Verifier) Report {
	var rep Report
	byS := map[int64][]sourced{}
	openCheckpoints(&rep, byS, stored, "stored", v)
	openCheckpoints(&rep, byS, published, "published", v)
	for _, x := range extra {
		byS[x.c.Size] = append(byS[x.c.Size], x)
	}
	sizes := make([]int64, 0, len(byS))
	for s := range byS {
		sizes = append(sizes, s)
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	findForks(&rep, byS, sizes)

	roots := rootChecker{report: &rep}
	acc := newAccumulator()
	mv := moves{report: &rep}
	next := 0 // next checkpoint size to reach
	reach := func() {
		for next < len(sizes) && sizes[next] == acc.n {
			roots.compare(sizes[next], acc.root(), byS[sizes[next]])
			next++
		}
	}
	reach()
	expect, lastPos := int64(0), int64(-1)
	for r, err := range records {
		if err != nil {
			rep.add(Problem{Kind: KindReadError, Index: acc.n, End: -1, Source: "records",
				Detail: fmt.Sprintf("reading stopped after %d records: %v", acc.n, err)})
			break
		}
		switch {
		case r.Index == expect:
		case r.Index > expect:
			rep.add(Problem{Kind: KindDeleted, Index: expect, End: r.Index, Source: "records",
				Detail: fmt.Sprintf("index column jumps from %d to %d", expect-1, r.Index)})
		default:
			rep.add(Problem{Kind: KindInserted, Index: r.Index, End: r.Index + 1, Source: "records",
				Detail: fmt.Sprintf("index %d appears again after %d", r.Index, expect-1)})
		}
		expect = max(expect, r.Index+1)
		lastPos = r.Index

		leaf := acc.leafHash(r.Data)
		if e, ok := EncodedIndex(r.Data); !ok {
			mv.close(false)
			rep.add(Problem{Kind: KindModified, Index: r.Index, End: r.Index + 1, Source: "records",
				Detail: "not a version-1 event encoding"})
		} else {
			mv.observe(r.Index, e)
			// A displaced record is reported by moves; a leaf mismatch on
			// it says only that the row moved without its hash.
			if e == r.Index && r.LeafHash != (tlog.Hash{}) && r.LeafHash != leaf {
				rep.add(Problem{Kind: KindModified, Index: r.Index, End: r.Index + 1, Source: "records",
					Detail: "content does not match the stored leaf hash"})
			}
		}
		acc.add(leaf)
		reach()
	}
	mv.finish(lastPos)
	rep.Records, rep.Root = acc.n, acc.root()
	if next < len(sizes) {
		last := sizes[len(sizes)-1]
		rep.add(Problem{Kind: KindTruncated, Index: acc.n, End: last, Size: last, Source: byS[last][0].source,
			Detail: fmt.Sprintf("the log has %d records, a signed checkpoint commits to %d", acc.n, last)})
	}
	roots.finish()
	sortProblems(rep.Problems)
	return rep
}

type sourced struct {
	c      Checkpoint
	source string
}

func openCheckpoints(rep *Report, byS map[int64][]sourced, list []Checkpoint, source string, v note.Verifier) {
	for _, c := range list {
		got, err := ParseCheckpoint(c.Note, v)
		if err != nil {
			p := Problem{Kind: KindForgedCheckpoint, Index: -1, End: -1, Source: source, Detail: err.Error()}
			if claimed, cerr := parseUnverified(c.Note); cerr == nil {
				p.Size = claimed.Size
			} else if !errors.Is(err, ErrCheckpointMalformed) {
				p.Size = c.Size
			}
			rep.add(p)
			continue
		}
		byS[got.Size] = append(byS[got.Size], sourced{got, source})
	}
}

func findForks(rep *Report, byS map[int64][]sourced, sizes []int64) {
	for _, s := range sizes {
		cs := byS[s]
		for _, c := range cs[1:] {
			if c.c.Root != cs[0].c.Root {
				rep.add(Problem{Kind: KindFork, Index: -1, End: -1, Size: s, Source: c.source,
					Detail: fmt.Sprintf("validly signed roots %s (%s) and %s (%s): the signing key must be treated as compromised",
						cs[0].c.Root, cs[0].source, c.c.Root, c.source)})
				break
			}
		}
	}
}

// rootChecker compares checkpoint roots with recomputed roots and localises
// a disagreement to the range between the last agreeing checkpoint and the
// first disagreeing one, separately for stored and published checkpoints:
// the stored ones may themselves have been rewritten to match the records.
type rootChecker struct {
	report   *Report
	lastGood map[string]int64
	first    map[string]*Problem
	later    map[string]int
	// agreeing stored checkpoint sizes, to tell a consistent rewrite from
	// plain tampering
	storedGoodMax int64
}

func (rc *rootChecker) compare(size int64, root tlog.Hash, cs []sourced) {
	if rc.first == nil {
		rc.lastGood, rc.first, rc.later = map[string]int64{}, map[string]*Problem{}, map[string]int{}
	}
	for _, c := range cs {
		rc.report.Checkpoints++
		src := c.source
		if c.c.Root == root {
			if rc.first[src] == nil {
				rc.lastGood[src] = size
			}
			if src == "stored" {
				rc.storedGoodMax = max(rc.storedGoodMax, size)
			}
			continue
		}
		if rc.first[src] != nil {
			rc.later[src]++
			continue
		}
		rc.first[src] = &Problem{Kind: KindRootMismatch, Index: rc.lastGood[src], End: size, Size: size, Source: src,
			Detail: fmt.Sprintf("signed root %s, records give %s", c.c.Root, root)}
	}
}

func (rc *rootChecker) finish() {
	for _, src := range []string{"stored", "published", "resume"} {
		p := rc.first[src]
		if p == nil {
			continue
		}
		if n := rc.later[src]; n > 0 {
			p.Detail += fmt.Sprintf("; %d later %s checkpoint(s) disagree too", n, src)
		}
		if src == "published" && rc.first["stored"] == nil && rc.storedGoodMax >= p.Size {
			p.Kind = KindRewritten
			p.Detail = fmt.Sprintf("stored checkpoints up to size %d agree with the records but the published one does not, "+
				"so records and stored checkpoints were rewritten after publication; a record in [%d, %d) changed; ",
				rc.storedGoodMax, p.Index, p.End) + p.Detail
		}
		rc.report.add(*p)
	}
}

// sortProblems orders problems by the first index they concern, keeping
// checkpoint-only problems (index -1) first and the truncation marker last.
func sortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if (ps[i].Kind == KindTooMany) != (ps[j].Kind == KindTooMany) {
			return ps[j].Kind == KindTooMany
		}
		return ps[i].Index < ps[j].Index
	})
}
