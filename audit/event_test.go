package audit

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

func sampleEvent() *Event {
	return &Event{
		Index:      7,
		Time:       time.Date(2026, 3, 1, 9, 30, 0, 123456000, time.UTC),
		ActorID:    42,
		ActorName:  "cs_wang",
		Role:       yuncang.RoleCustomerService,
		Device:     "dev-01",
		SourceAddr: "10.0.0.8",
		Action:     ActionReveal,
		TenantID:   3,
		Targets:    []string{"order:123", "recipient:9"},
		Purpose:    "物流异常回访",
		Outcome:    OutcomeOK,
		Detail:     "revealed phone 138******78",
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*Event)
		field string // "" means valid
	}{
		{"valid", func(*Event) {}, ""},
		{"unknown action", func(e *Event) { e.Action = "reveall" }, "action"},
		{"bad outcome", func(e *Event) { e.Outcome = "maybe" }, "outcome"},
		{"zero time", func(e *Event) { e.Time = time.Time{} }, "time"},
		{"bad role", func(e *Event) { e.Role = "root" }, "role"},
		{"no role is fine", func(e *Event) { e.Role = "" }, ""},
		{"reveal without purpose", func(e *Event) { e.Purpose = "" }, "purpose"},
		{"phone in detail", func(e *Event) { e.Detail = "called 13800138000 back" }, "detail"},
		{"phone in purpose", func(e *Event) { e.Purpose = "回访13912345678" }, "purpose"},
		{"phone in target", func(e *Event) { e.Targets = []string{"phone:15012345678"} }, "targets"},
		{"empty target", func(e *Event) { e.Targets = []string{""} }, "targets"},
		{"invalid utf8", func(e *Event) { e.Detail = "\xff" }, "detail"},
		{"too long", func(e *Event) { e.Detail = strings.Repeat("a", maxText+1) }, "detail"},
		{"too many targets", func(e *Event) { e.Targets = make([]string, maxTargets+1) }, "targets"},
		{"negative index", func(e *Event) { e.Index = -1 }, "index"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := sampleEvent()
			tt.edit(e)
			err := e.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != tt.field {
				t.Fatalf("Validate() = %v, want invalid %s", err, tt.field)
			}
		})
	}
}

func TestContainsMobile(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"13800138000", true},
		{"call 13800138000.", true},
		{"电话13912345678请回电", true},
		{"138 0013 8000", true},
		{"138-0013-8000", true},
		{"+86 138 0013 8000", true},
		{"8613800138000", true},
		{"１３８００１３８０００", true},
		{"no. 12345 13800138000", true},
		{"138******78", false},
		{"138****5678", false},
		{"12800138000", false},  // 12x is not a mobile prefix
		{"1380013800", false},   // ten digits
		{"138001380001", false}, // twelve digits
		{"order:20260301123456", false},
		{"YT123456789012", false},
		{"", false},
		{"10.0.0.8", false},
	}
	for _, tt := range tests {
		if got := containsMobile(tt.s); got != tt.want {
			t.Errorf("containsMobile(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	withSubject := sampleEvent()
	withSubject.SubjectID = 7
	events := []*Event{sampleEvent(), {Time: time.Unix(0, 0).UTC(), Action: ActionLogin, Outcome: OutcomeOK}, withSubject}
	gen := newEventGen(9)
	for i := range 50 {
		events = append(events, gen.next(int64(i)))
	}
	for i, e := range events {
		b := e.Encode()
		got, err := DecodeEvent(b)
		if err != nil {
			t.Fatalf("event %d: DecodeEvent: %v", i, err)
		}
		if len(e.Targets) == 0 {
			e.Targets = nil
		}
		if !reflect.DeepEqual(got, e) {
			t.Fatalf("event %d: round trip\n got %+v\nwant %+v", i, got, e)
		}
		if !bytes.Equal(got.Encode(), b) {
			t.Fatalf("event %d: re-encoding differs", i)
		}
		if idx, ok := EncodedIndex(b); !ok || idx != e.Index {
			t.Fatalf("event %d: EncodedIndex = %d, %v", i, idx, ok)
		}
	}
}

// An event with a subject is encoded as version 2 and one without as
// version 1, as every record before version 2 was: old records decode (and
// so verify) unchanged.
func TestEncodeVersions(t *testing.T) {
	e := sampleEvent()
	if v1 := e.Encode(); v1[3] != 1 {
		t.Fatalf("an event without a subject encodes as version %d", v1[3])
	}
	e.SubjectID = 42
	v2 := e.Encode()
	if v2[3] != 2 || len(v2) != len(sampleEvent().Encode())+8 {
		t.Fatalf("an event with a subject: version %d, %d bytes", v2[3], len(v2))
	}
	got, err := DecodeEvent(v2)
	if err != nil || got.SubjectID != 42 || got.ActorID != e.ActorID || !reflect.DeepEqual(got.Targets, e.Targets) {
		t.Fatalf("decoded %+v, %v", got, err)
	}
	e.SubjectID = -1
	if err := e.Validate(); err == nil {
		t.Error("a negative subject validates")
	}
}

// Fields that would collide in a naive concatenation must encode
// differently: the leaf hash has to commit to which field said what.
func TestEncodeUnambiguous(t *testing.T) {
	a, b := sampleEvent(), sampleEvent()
	a.ActorName, a.Role = "cs_wangcustomer_service", ""
	b.ActorName = "cs_wang"
	c := sampleEvent()
	c.Targets = []string{"order:123recipient:9"}
	if bytes.Equal(a.Encode(), b.Encode()) || bytes.Equal(c.Encode(), sampleEvent().Encode()) {
		t.Fatal("distinct events share an encoding")
	}
	d := sampleEvent()
	d.Time = d.Time.In(time.FixedZone("CST", 8*3600))
	if !bytes.Equal(d.Encode(), sampleEvent().Encode()) {
		t.Fatal("the same instant in another zone encodes differently")
	}
}

func TestDecodeRejects(t *testing.T) {
	good := sampleEvent().Encode()
	tests := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"truncated", good[:len(good)-1]},
		{"trailing", append(append([]byte{}, good...), 0)},
		{"bad magic", append([]byte("XCA"), good[3:]...)},
		{"future version", append([]byte{'Y', 'C', 'A', 3}, good[4:]...)},
		// Version 2 with a zero subject would be a second encoding of the
		// version-1 event.
		{"version 2 without a subject", func() []byte {
			b := append([]byte{'Y', 'C', 'A', 2}, good[4:headerSize]...)
			b = append(b, make([]byte, 8)...)
			return append(b, good[headerSize:]...)
		}()},
		{"huge string length", func() []byte {
			b := append([]byte{}, good...)
			b[headerSize] = 0xff
			return b
		}()},
	}
	for _, tt := range tests {
		if _, err := DecodeEvent(tt.b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: DecodeEvent error = %v, want ErrMalformed", tt.name, err)
		}
	}
}

// The largest event Validate accepts must still decode.
func TestLargestEventDecodes(t *testing.T) {
	e := sampleEvent()
	long := strings.Repeat("字", maxText/3)
	e.ActorName, e.Device, e.SourceAddr, e.Purpose, e.Detail = long, long, long, long, long
	e.Targets = make([]string, maxTargets)
	for i := range e.Targets {
		e.Targets[i] = strings.Repeat("t", maxText)
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeEvent(e.Encode()); err != nil {
		t.Fatalf("largest valid event: %v", err)
	}
}
