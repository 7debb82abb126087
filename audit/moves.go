package audit

import "fmt"

// moves classifies records whose embedded index differs from their index
// column. An administrator who deletes a row and renumbers the rest to close
// the gap, or inserts one and renumbers to make room, or swaps two rows, can
// keep the index column continuous and even move the stored leaf hashes along
// with the rows; what they cannot do without changing the leaf hash is change
// the index written inside each encoding. A run of records all displaced by
// the same offset is a shift (deletion or insertion); lone displaced records
// are paired up afterwards to recognise swaps.
type moves struct {
	run     moveRun
	singles []displaced
	report  *Report
}

type moveRun struct {
	start, last int64 // index columns of the first and last record in the run
	d           int64 // index column minus embedded index
	n           int64
}

type displaced struct {
	pos, embedded int64
}

// maxSingles bounds the memory the swap pairing may use; past it, lone
// displaced records are reported as modified without looking for a partner.
const maxSingles = 1 << 16

// observe is called for every record in order.
func (m *moves) observe(pos, embedded int64) {
	d := pos - embedded
	if m.run.n > 0 && d == m.run.d && pos == m.run.last+1 {
		m.run.last, m.run.n = pos, m.run.n+1
		return
	}
	m.close(false)
	if d != 0 {
		m.run = moveRun{start: pos, last: pos, d: d, n: 1}
	}
}

// close ends the current run. atEnd says the run reaches the end of the
// log, where a one-record shift is as plain as a long one.
func (m *moves) close(atEnd bool) {
	r := m.run
	m.run = moveRun{}
	if r.n == 0 {
		return
	}
	if r.n == 1 && !atEnd {
		if len(m.singles) < maxSingles {
			m.singles = append(m.singles, displaced{pos: r.start, embedded: r.start - r.d})
			return
		}
		m.report.add(Problem{Kind: KindModified, Index: r.start, End: r.start + 1, Source: "records",
			Detail: fmt.Sprintf("holds the record written at index %d", r.start-r.d)})
		return
	}
	if r.d < 0 {
		m.report.add(Problem{Kind: KindDeleted, Index: r.start, End: r.start - r.d, Source: "records",
			Detail: fmt.Sprintf("%d record(s) deleted and the %d after them renumbered down", -r.d, r.n)})
	} else {
		m.report.add(Problem{Kind: KindInserted, Index: r.start - r.d, End: r.start, Source: "records",
			Detail: fmt.Sprintf("%d record(s) inserted and the %d after them renumbered up", r.d, r.n)})
	}
}

// finish closes the last run and pairs the lone displaced records.
func (m *moves) finish(lastPos int64) {
	m.close(m.run.n > 0 && m.run.last == lastPos)
	byPos := make(map[int64]displaced, len(m.singles))
	for _, s := range m.singles {
		byPos[s.pos] = s
	}
	for _, s := range m.singles {
		other, ok := byPos[s.embedded]
		switch {
		case ok && other.embedded == s.pos:
			m.report.add(Problem{Kind: KindReordered, Index: s.pos, End: s.pos + 1, Source: "records",
				Detail: fmt.Sprintf("swapped with index %d", s.embedded)})
		case ok:
			m.report.add(Problem{Kind: KindReordered, Index: s.pos, End: s.pos + 1, Source: "records",
				Detail: fmt.Sprintf("holds the record written at index %d", s.embedded)})
		default:
			m.report.add(Problem{Kind: KindModified, Index: s.pos, End: s.pos + 1, Source: "records",
				Detail: fmt.Sprintf("holds a record written at index %d: copied, or its index edited", s.embedded)})
		}
	}
}
