package audit

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// MemLog is an in-memory log laid out the way the SQL adapters store one: a
// record row per event (index, encoding, leaf hash) and a table of stored
// tree hashes. Tests tamper with Rows and Hashes directly to play the
// database administrator.
type MemLog struct {
	Rows   []Record
	Hashes []tlog.Hash // dense by tlog storage index
}

// Size returns the number of records appended.
func (m *MemLog) Size() int64 { return int64(len(m.Rows)) }

// ReadHashes implements HashReader.
func (m *MemLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.Hashes)) {
			return nil, fmt.Errorf("audit: memlog has no stored hash %d", x)
		}
		out[i] = m.Hashes[x]
	}
	return out, nil
}

// Append appends ev as the next record, as a storage adapter does inside its
// transaction.
func (m *MemLog) Append(ev *Event) (int64, error) {
	n := m.Size()
	enc, hashes, err := AppendEvent(m, n, ev)
	if err != nil {
		return 0, err
	}
	m.store(n, enc, hashes)
	return n, nil
}

// AppendEncoded appends an already encoded record.
func (m *MemLog) AppendEncoded(encoded []byte) error {
	n := m.Size()
	hashes, err := Append(m, n, encoded)
	if err != nil {
		return err
	}
	m.store(n, encoded, hashes)
	return nil
}

func (m *MemLog) store(n int64, enc []byte, hashes []StoredHash) {
	for _, h := range hashes {
		if h.Index != int64(len(m.Hashes)) {
			panic("audit: memlog hash index out of step")
		}
		m.Hashes = append(m.Hashes, h.Hash)
	}
	m.Rows = append(m.Rows, Record{Index: n, Data: enc, LeafHash: hashes[0].Hash})
}

// TreeHash returns the current root.
func (m *MemLog) TreeHash() (tlog.Hash, error) { return TreeHash(m.Size(), m) }

// Records iterates over the rows in slice order, which plays the part of
// ORDER BY index in SQL.
func (m *MemLog) Records() RecordIterator {
	return func(yield func(Record, error) bool) {
		for _, r := range m.Rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}
