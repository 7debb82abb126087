package audit

import (
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// HashReader reads stored tree hashes by their tlog storage index
// (tlog.StoredHashIndex). A storage adapter implements it with a SELECT on
// its hash table inside the transaction that appends, so that the new hashes
// are computed from the same snapshot they are written into.
type HashReader = tlog.HashReader

// StoredHash is one hash to be written by the storage adapter: Index is the
// tlog storage index (the primary key of the hash table), not a record index.
type StoredHash struct {
	Index int64
	Hash  tlog.Hash
}

// LeafHash is the RFC 6962 leaf hash of an encoded record,
// SHA-256(0x00 || encoded).
func LeafHash(encoded []byte) tlog.Hash { return tlog.RecordHash(encoded) }

// Append returns the hashes to store when the record encoded is appended as
// record number n of a log that holds n records. The first returned hash is
// the record's leaf hash. It refuses a record whose embedded index is not n,
// because such a record would fail verification for ever after.
func Append(hr HashReader, n int64, encoded []byte) ([]StoredHash, error) {
	if i, ok := EncodedIndex(encoded); !ok || i != n {
		return nil, fmt.Errorf("audit: appending record %d: encoding carries index %d (ok=%v)", n, i, ok)
	}
	hs, err := tlog.StoredHashes(n, encoded, hr)
	if err != nil {
		return nil, fmt.Errorf("audit: appending record %d: %w", n, err)
	}
	base := tlog.StoredHashIndex(0, n)
	out := make([]StoredHash, len(hs))
	for i, h := range hs {
		out[i] = StoredHash{Index: base + int64(i), Hash: h}
	}
	return out, nil
}

// AppendEvent validates ev, gives it index n, encodes it and returns the
// encoding (to store in the record row) with the hashes to store.
func AppendEvent(hr HashReader, n int64, ev *Event) (encoded []byte, hashes []StoredHash, err error) {
	ev.Index = n
	if err := ev.Validate(); err != nil {
		return nil, nil, err
	}
	encoded = ev.Encode()
	hashes, err = Append(hr, n, encoded)
	return encoded, hashes, err
}

// TreeHash returns the root of the tree of the first n records from the
// stored hashes; it reads at most 1+log₂n of them.
func TreeHash(n int64, hr HashReader) (tlog.Hash, error) {
	return tlog.TreeHash(n, hr)
}
