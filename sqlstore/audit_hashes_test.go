package sqlstore

import (
	"crypto/sha256"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/yuncang/yuncang/audit"
)

// storedTree builds the stored hashes of an n-record tree the way
// appendAudit stores them: record i's blob holds the hashes its append made.
func storedTree(t *testing.T, n int64) (map[int64][]byte, map[int64]tlog.Hash) {
	t.Helper()
	all := map[int64]tlog.Hash{}
	blobs := map[int64][]byte{}
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = all[x]
		}
		return out, nil
	})
	for i := int64(0); i < n; i++ {
		leaf := sha256.Sum256([]byte{byte(i), byte(i >> 8)})
		hs, err := tlog.StoredHashesForRecordHash(i, tlog.Hash(leaf), reader)
		if err != nil {
			t.Fatal(err)
		}
		for k, h := range hs {
			all[tlog.StoredHashIndex(0, i)+int64(k)] = h
			blobs[i] = append(blobs[i], h[:]...)
		}
	}
	return blobs, all
}

// TestReadHashesWhileCacheChanges replays the interleaving that corrupted
// the tree on PostgreSQL under concurrent writers: another request of the
// same server commits (its hashes enter the cache) or the cache is reset
// while this append is reading the table. Every hash must still be the
// stored one, never left zero, never reported missing.
func TestReadHashesWhileCacheChanges(t *testing.T) {
	const n = 40
	blobs, all := storedTree(t, n)
	var want []int64
	for x := range all {
		want = append(want, x)
	}
	for _, tc := range []struct {
		name   string
		during func(c *hashCache, asked []int64)
	}{
		{"a concurrent commit fills the cache", func(c *hashCache, asked []int64) {
			var hs []audit.StoredHash
			for x, h := range all {
				hs = append(hs, audit.StoredHash{Index: x, Hash: h})
			}
			c.put(hs)
		}},
		{"the cache is reset", func(c *hashCache, asked []int64) { c.m = map[int64]tlog.Hash{} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cache := &hashCache{}
			// Half the hashes are cached before the read starts.
			var pre []audit.StoredHash
			for x, h := range all {
				if x%2 == 0 {
					pre = append(pre, audit.StoredHash{Index: x, Hash: h})
				}
			}
			cache.put(pre)
			got, err := readHashes(want, nil, cache, func(recs []int64) (map[int64][]byte, error) {
				tc.during(cache, recs)
				out := map[int64][]byte{}
				for _, r := range recs {
					out[r] = blobs[r]
				}
				return out, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i, x := range want {
				if w := all[x]; got[i] != w {
					t.Fatalf("hash %d: got %x, want %x", x, got[i][:4], w[:4])
				}
			}
		})
	}
}
