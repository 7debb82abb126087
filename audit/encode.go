package audit

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// The encoding, version 1. Every field is fixed-width or length-prefixed, in
// a fixed order, so one Event has exactly one encoding and no two Events
// share one: the leaf hash of a record commits to its meaning, not merely to
// some text that might be parsed two ways.
//
//	offset  size  field
//	0       3     magic "YCA"
//	3       1     version, 1
//	4       8     index, big-endian
//	12      8     time, Unix microseconds, big-endian two's complement
//	20      8     actor id
//	28      8     tenant id
//	36      …     actor name, role, device, source address, action, purpose,
//	              outcome, detail: each a 4-byte big-endian length and UTF-8
//	…       4     number of targets, then each target as length and bytes
//
// The index sits at a fixed offset so that the verifier can read it from a
// million records without decoding them.
//
// Version 2 is version 1 with the subject — the account acted upon, when it
// is not the actor — as an 8-byte id after the tenant id (offset 36), before
// the strings. An event without a subject is encoded as version 1 and one
// with a subject as version 2, so each event still has exactly one encoding;
// records written before version 2 named the subject as a first target
// "user:N" and verify as they always did.
const (
	magic         = "YCA"
	version1      = 1
	version2      = 2
	headerSize    = 36
	headerSizeV2  = 44
	indexOffset   = 4
	maxEncodedLen = 1 << 20
)

// ErrMalformed is returned (wrapped) by DecodeEvent for bytes that are not a
// canonical encoding.
var ErrMalformed = errors.New("audit: malformed event encoding")

// Encode returns the canonical encoding of e: version 1, or version 2 when
// it has a subject. Time is kept to the microsecond, which is what both
// databases store.
func (e *Event) Encode() []byte {
	n := headerSizeV2 + 4
	strs := e.strings()
	for _, s := range strs {
		n += 4 + len(s)
	}
	for _, t := range e.Targets {
		n += 4 + len(t)
	}
	b := make([]byte, 0, n)
	b = append(b, magic...)
	if e.SubjectID != 0 {
		b = append(b, version2)
	} else {
		b = append(b, version1)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(e.Index))
	b = binary.BigEndian.AppendUint64(b, uint64(e.Time.UnixMicro()))
	b = binary.BigEndian.AppendUint64(b, uint64(e.ActorID))
	b = binary.BigEndian.AppendUint64(b, uint64(e.TenantID))
	if e.SubjectID != 0 {
		b = binary.BigEndian.AppendUint64(b, uint64(e.SubjectID))
	}
	for _, s := range strs {
		b = appendString(b, s)
	}
	b = binary.BigEndian.AppendUint32(b, uint32(len(e.Targets)))
	for _, t := range e.Targets {
		b = appendString(b, t)
	}
	return b
}

func (e *Event) strings() [8]string {
	return [8]string{e.ActorName, e.Role, e.Device, e.SourceAddr,
		string(e.Action), e.Purpose, e.Outcome, e.Detail}
}

func appendString(b []byte, s string) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// DecodeEvent parses a canonical encoding. It rejects unknown versions,
// truncated input and trailing bytes; it does not Validate the event, so that
// a verifier can still show an auditor a record that fails validation.
func DecodeEvent(b []byte) (*Event, error) {
	if len(b) < headerSize+8*4+4 {
		return nil, fmt.Errorf("%w: %d bytes is too short", ErrMalformed, len(b))
	}
	if string(b[:3]) != magic {
		return nil, fmt.Errorf("%w: bad magic", ErrMalformed)
	}
	header := headerSize
	switch b[3] {
	case version1:
	case version2:
		header = headerSizeV2
		if len(b) < header+8*4+4 {
			return nil, fmt.Errorf("%w: %d bytes is too short", ErrMalformed, len(b))
		}
	default:
		return nil, fmt.Errorf("%w: unsupported version %d", ErrMalformed, b[3])
	}
	if len(b) > maxEncodedLen {
		return nil, fmt.Errorf("%w: %d bytes is too long", ErrMalformed, len(b))
	}
	be := binary.BigEndian
	e := &Event{
		Index:    int64(be.Uint64(b[4:])),
		Time:     time.UnixMicro(int64(be.Uint64(b[12:]))).UTC(),
		ActorID:  int64(be.Uint64(b[20:])),
		TenantID: int64(be.Uint64(b[28:])),
	}
	if header == headerSizeV2 {
		// A version-2 record without a subject would be a second encoding
		// of a version-1 event.
		if e.SubjectID = int64(be.Uint64(b[36:])); e.SubjectID <= 0 {
			return nil, fmt.Errorf("%w: version 2 without a subject", ErrMalformed)
		}
	}
	d := decoder{b: b[header:]}
	var strs [8]string
	for i := range strs {
		strs[i] = d.string()
	}
	e.ActorName, e.Role, e.Device, e.SourceAddr = strs[0], strs[1], strs[2], strs[3]
	e.Action, e.Purpose, e.Outcome, e.Detail = Action(strs[4]), strs[5], strs[6], strs[7]
	if nt := d.uint32(); nt > 0 && d.err == nil {
		if int(nt) > len(d.b)/4 {
			return nil, fmt.Errorf("%w: %d targets cannot fit", ErrMalformed, nt)
		}
		e.Targets = make([]string, nt)
		for i := range e.Targets {
			e.Targets[i] = d.string()
		}
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(d.b))
	}
	if e.Index < 0 {
		return nil, fmt.Errorf("%w: negative index", ErrMalformed)
	}
	return e, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) uint32() uint32 {
	if d.err != nil {
		return 0
	}
	if len(d.b) < 4 {
		d.err = fmt.Errorf("%w: truncated", ErrMalformed)
		return 0
	}
	v := binary.BigEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

func (d *decoder) string() string {
	n := d.uint32()
	if d.err != nil {
		return ""
	}
	if uint64(n) > uint64(len(d.b)) {
		d.err = fmt.Errorf("%w: truncated string", ErrMalformed)
		return ""
	}
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

// EncodedIndex returns the log index written inside an encoded event without
// decoding the rest, or false if b is not a version-1 or version-2 encoding.
func EncodedIndex(b []byte) (int64, bool) {
	if len(b) < headerSize || string(b[:3]) != magic || (b[3] != version1 && b[3] != version2) {
		return 0, false
	}
	i := int64(binary.BigEndian.Uint64(b[indexOffset:]))
	return i, i >= 0
}
