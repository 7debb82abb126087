package guard

import (
	"encoding/binary"
	"errors"
	"slices"
	"time"
)

// window is one account's (or, for phone searches, one merchant's) recent
// history: everything the rules need and nothing more, bounded in size
// however fast anyone goes, so that loading and saving it on every request
// stays cheap. It travels through the Store as bytes (see encode).
type window struct {
	nightDay int64    // the night the count belongs to, as yyyymmdd
	night    int64    // accesses to recipient data in that night
	denials  []int64  // times (unix ns) of scope refusals, newest last
	pages    []int64  // times of list pages and phone searches in the last hour
	phones   []int64  // merchant window: its phone searches in the last hour
	ids      []int64  // recent numeric target ids of enumerable kinds, newest last
	targets  []target // recent targets (one minute), newest last
	volume   []volume // per kind: 24 hours of counts in buckets
	machine  []bucket // a machine client's accesses to recipient data, per minute, last hour
}

// target is one access to a record, the record named by a 64-bit hash of
// its name ("order:12"): the rules only count distinct records, and a hash
// costs no allocation to load or compare.
type target struct {
	at  int64
	key uint64
}

// targetKey hashes a target's name (FNV-1a, 64 bits: collisions among the
// few dozen records of a minute are out of reach).
func targetKey[T string | []byte](t T) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(t); i++ {
		h ^= uint64(t[i])
		h *= 1099511628211
	}
	return h
}

// distinctTargets counts the distinct records among ts (at most a few dozen).
func distinctTargets(ts []target) int {
	var buf [64]uint64
	keys := buf[:0]
	for _, t := range ts {
		keys = append(keys, t.key)
	}
	slices.Sort(keys)
	n := 0
	for i, k := range keys {
		if i == 0 || k != keys[i-1] {
			n++
		}
	}
	return n
}

// bucket counts events in one slot of width w: at is unix ns / w.
type bucket struct{ at, n int64 }

type volume struct {
	kind    string
	buckets []bucket
}

// Bucket widths: a day's volume in five-minute slots, a machine client's
// hour in one-minute slots. Counts may include up to one slot more than the
// span (never less), which only errs towards caution.
const (
	volumeSlot  = 5 * time.Minute
	machineSlot = time.Minute
)

// addBucket counts one event at now and drops slots older than span.
func addBucket(bs []bucket, now time.Time, slot, span time.Duration) []bucket {
	idx := now.UnixNano() / int64(slot)
	bs = trimBuckets(bs, idx-int64(span/slot))
	if n := len(bs); n > 0 && bs[n-1].at == idx {
		bs[n-1].n++
		return bs
	}
	return append(bs, bucket{idx, 1})
}

func trimBuckets(bs []bucket, oldest int64) []bucket {
	i := 0
	for i < len(bs) && bs[i].at < oldest {
		i++
	}
	return bs[i:]
}

func sumBuckets(bs []bucket) int {
	n := 0
	for _, b := range bs {
		n += int(b.n)
	}
	return n
}

// trimTimes keeps the times within d before now, and at most keep of them.
func trimTimes(ts []int64, now time.Time, d time.Duration, keep int) []int64 {
	cut := now.Add(-d).UnixNano()
	i := 0
	for i < len(ts) && ts[i] < cut {
		i++
	}
	if len(ts)-i > keep {
		i = len(ts) - keep
	}
	return ts[i:]
}

func (w *window) volumeOf(kind string) *volume {
	for i := range w.volume {
		if w.volume[i].kind == kind {
			return &w.volume[i]
		}
	}
	w.volume = append(w.volume, volume{kind: kind})
	return &w.volume[len(w.volume)-1]
}

// encoding version; a window in an unknown version is an error (fail
// closed). Version 1 stored targets by name; 2 by their hash (targetKey);
// 3 stores every list of times, ids and bucket slots as differences from
// the previous entry (the first from zero), so that a busy account's window
// (a minute of targets milliseconds apart) takes a few bytes a time instead
// of nine. All three are read; 3 is written.
const (
	windowVersion1 = 1
	windowVersion2 = 2
	windowVersion  = 3
)

var errWindow = errors.New("guard window: malformed state")

func (w *window) encode() []byte {
	b := make([]byte, 0, 64+9*(len(w.denials)+len(w.pages)+len(w.phones)+len(w.ids))+17*len(w.targets)+20*len(w.machine))
	b = append(b, windowVersion)
	b = binary.AppendVarint(b, w.nightDay)
	b = binary.AppendVarint(b, w.night)
	for _, ts := range [][]int64{w.denials, w.pages, w.phones, w.ids} {
		b = binary.AppendUvarint(b, uint64(len(ts)))
		prev := int64(0)
		for _, t := range ts {
			b = binary.AppendVarint(b, t-prev)
			prev = t
		}
	}
	b = binary.AppendUvarint(b, uint64(len(w.targets)))
	prev := int64(0)
	for _, t := range w.targets {
		b = binary.AppendVarint(b, t.at-prev)
		prev = t.at
		b = binary.LittleEndian.AppendUint64(b, t.key)
	}
	b = binary.AppendUvarint(b, uint64(len(w.volume)))
	for _, v := range w.volume {
		b = binary.AppendUvarint(b, uint64(len(v.kind)))
		b = append(b, v.kind...)
		b = appendBuckets(b, v.buckets)
	}
	return appendBuckets(b, w.machine)
}

func appendBuckets(b []byte, bs []bucket) []byte {
	b = binary.AppendUvarint(b, uint64(len(bs)))
	prev := int64(0)
	for _, x := range bs {
		b = binary.AppendVarint(b, x.at-prev)
		prev = x.at
		b = binary.AppendVarint(b, x.n)
	}
	return b
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = errWindow, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) count() int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 || v > uint64(len(r.b)) { // every element takes at least a byte
		r.err, r.b = errWindow, nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

// bytes reads a length-prefixed byte string, without copying it.
func (r *reader) bytes() []byte {
	n := r.count()
	if n > len(r.b) {
		r.err, r.b = errWindow, nil
		return nil
	}
	b := r.b[:n]
	r.b = r.b[n:]
	return b
}

// kind reads an activity kind, as the package's own string when it is a
// known one, so that a loaded window holds no copies of them.
func (r *reader) kind() string {
	b := r.bytes()
	for _, k := range knownKinds {
		if string(b) == k {
			return k
		}
	}
	return string(b)
}

var knownKinds = []string{KindReveal, KindLabelPrint, KindLabelReprint, KindPhoneSearch, KindListPage, KindExport,
	KindResolve, KindWaybillQuery, KindShipment, KindManifest, KindDenied, KindOrderChange}

func (r *reader) uint64() uint64 {
	if len(r.b) < 8 {
		r.err, r.b = errWindow, nil
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

// strKey reads a name stored by version 1 as its hash, without keeping the name.
func (r *reader) strKey() uint64 { return targetKey(r.bytes()) }

// buckets reads a list of buckets, their slots as differences if delta.
func (r *reader) buckets(delta bool) []bucket {
	n := r.count()
	bs := make([]bucket, 0, n)
	prev := int64(0)
	for i := 0; i < n && r.err == nil; i++ {
		at := r.varint()
		if delta {
			at += prev
			prev = at
		}
		bs = append(bs, bucket{at, r.varint()})
	}
	return bs
}

// decodeWindow reads a stored window; nil or empty is a fresh one.
func decodeWindow(b []byte) (*window, error) {
	w := &window{}
	if len(b) == 0 {
		return w, nil
	}
	version := b[0]
	if version != windowVersion && version != windowVersion2 && version != windowVersion1 {
		return nil, errWindow
	}
	delta := version >= windowVersion // differences from the previous entry
	r := &reader{b: b[1:]}
	w.nightDay, w.night = r.varint(), r.varint()
	for _, p := range []*[]int64{&w.denials, &w.pages, &w.phones, &w.ids} {
		n := r.count()
		ts := make([]int64, 0, n)
		prev := int64(0)
		for i := 0; i < n && r.err == nil; i++ {
			t := r.varint()
			if delta {
				t += prev
				prev = t
			}
			ts = append(ts, t)
		}
		*p = ts
	}
	n := r.count()
	w.targets = make([]target, 0, n)
	prev := int64(0)
	for i := 0; i < n && r.err == nil; i++ {
		t := target{at: r.varint()}
		if delta {
			t.at += prev
			prev = t.at
		}
		if version == windowVersion1 {
			t.key = r.strKey()
		} else {
			t.key = r.uint64()
		}
		w.targets = append(w.targets, t)
	}
	n = r.count()
	for i := 0; i < n && r.err == nil; i++ {
		w.volume = append(w.volume, volume{kind: r.kind(), buckets: r.buckets(delta)})
	}
	w.machine = r.buckets(delta)
	if r.err != nil || len(r.b) != 0 {
		return nil, errWindow
	}
	return w, nil
}
