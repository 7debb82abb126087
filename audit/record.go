package audit

import (
	"iter"

	"golang.org/x/mod/sumdb/tlog"
)

// RecordIterator yields records in ascending index order, as stored. A
// storage adapter implements it over a cursor; Verify does not keep Data after
// yield returns, so the adapter may reuse its buffer.
type RecordIterator = iter.Seq2[Record, error]

// Record is a stored record as the verifier sees it.
type Record struct {
	Index    int64     // the index column
	Data     []byte    // the encoded event
	LeafHash tlog.Hash // the stored leaf hash column; zero when not stored
}
