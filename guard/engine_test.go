package guard

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// at returns a time in Shanghai on 2026-11-30 (a Monday).
func at(h, m int) time.Time {
	return time.Date(2026, 11, 30, h, m, 0, 0, DefaultConfig().Zone)
}

func act(kind string, t time.Time, targets ...string) Activity {
	return Activity{At: t, ActorID: 1, Role: "customer_service", TenantID: 1, Kind: kind, Targets: targets}
}

func TestCanaryFirstTouch(t *testing.T) {
	e := New(DefaultConfig(), nil)
	a := act(KindReveal, at(10, 0), "order:77")
	a.Canary = true
	if d := observe(t, e, a, Baseline{}); d.Max() != Suspend || d.Signals[0].Rule != "canary" {
		t.Fatalf("canary reveal: %+v", d)
	}
	l := act(KindListPage, at(10, 1), "order:77")
	l.Canary = true
	if d := observe(t, e, l, Baseline{}); d.Max() != 0 {
		t.Fatalf("a canary seen masked in a list is not an alarm: %+v", d)
	}
}

// TestCanaryMovedByHand: paying, cancelling or allocating a decoy by id is
// a touch — an alert, not a suspension (it shows no recipient, and the
// answer must stay that of a real order); the same move of a real order is
// nothing. On the old code the rule ignored every kind but those showing
// recipient data.
func TestCanaryMovedByHand(t *testing.T) {
	e := New(DefaultConfig(), nil)
	a := act(KindOrderChange, at(10, 0), "order:77")
	a.Canary = true
	if d := observe(t, e, a, Baseline{}); d.Max() != Alert || len(d.Signals) != 1 || d.Signals[0].Rule != "canary" {
		t.Fatalf("decoy moved by hand: %+v", d)
	}
	// At night too: no night rule for a move that shows nothing.
	n := act(KindOrderChange, at(3, 0), "order:78")
	if d := observe(t, e, n, Baseline{}); d.Max() != 0 {
		t.Fatalf("a real order moved: %+v", d)
	}
}

func TestVolumeAgainstOwnAndPeers(t *testing.T) {
	e := New(DefaultConfig(), nil)
	b := Baseline{OwnDaily: 4, PeerDaily: 5}
	var got []Severity
	for i := 0; i < 30; i++ {
		d := observe(t, e, act(KindReveal, at(9, 0).Add(time.Duration(i)*15*time.Minute), fmt.Sprintf("order:%d", 1000+i*37)), b)
		got = append(got, d.Max())
	}
	// Alert floor 12 (> 2.5 × 5), suspend floor 25 (> 4 × 5).
	if got[11] != 0 || got[12] != StepUp || got[24] != StepUp || got[25] != Suspend {
		t.Fatalf("severities by count: %v", got)
	}
	// A genuinely busier actor (own baseline 20) is judged by its own day.
	e2 := New(DefaultConfig(), nil)
	for i := 0; i < 45; i++ {
		if d := observe(t, e2, act(KindReveal, at(9, 0).Add(time.Duration(i)*10*time.Minute), fmt.Sprintf("order:%d", 5000+i*91)), Baseline{OwnDaily: 20, PeerDaily: 18}); d.Max() != 0 {
			t.Fatalf("reveal %d of a busy actor flagged: %+v", i+1, d)
		}
	}
}

func TestNightAndShift(t *testing.T) {
	e := New(DefaultConfig(), nil)
	sev := func(a Activity) Severity { return observe(t, e, a, Baseline{PeerDaily: 10}).Max() }
	for i := 1; i <= 3; i++ {
		if s := sev(act(KindReveal, at(3, i), fmt.Sprintf("order:%d", i*100))); s != StepUp {
			t.Fatalf("night reveal %d: %v", i, s)
		}
	}
	if s := sev(act(KindReveal, at(3, 10), "order:999")); s != Suspend {
		t.Fatalf("fourth night reveal: %v", s)
	}
	// A night-shift packer reprinting inside the shift is working.
	e = New(DefaultConfig(), nil)
	for i := 0; i < 5; i++ {
		a := act(KindLabelReprint, at(2, i*5), fmt.Sprintf("waybill:SF%d", 10+i*13))
		a.HasShift, a.InShift = true, true
		if s := observe(t, e, a, Baseline{PeerDaily: 5}).Max(); s != 0 {
			t.Fatalf("in-shift night reprint %d: %v", i, s)
		}
	}
	// Outside the shift at noon: step-up.
	a := act(KindReveal, at(12, 0), "order:5")
	a.HasShift, a.InShift = true, false
	if s := observe(t, e, a, Baseline{}).Max(); s != StepUp {
		t.Fatalf("outside shift: %v", s)
	}
}

func TestEnumerationAndSpread(t *testing.T) {
	e := New(DefaultConfig(), nil)
	var last Severity
	for i := 0; i < 5; i++ {
		last = observe(t, e, act(KindResolve, at(10, 0).Add(time.Duration(i)*20*time.Second), fmt.Sprintf("waybill:SF1000%03d", 500+i)), Baseline{PeerDaily: 50}).Max()
		if i < 4 && last != 0 {
			t.Fatalf("resolve %d flagged early: %v", i, last)
		}
	}
	if last != Suspend {
		t.Fatalf("five consecutive waybills: %v", last)
	}
	// Descending counts too; gaps break the run.
	if r := sequentialRun([]int64{9, 8, 7, 6, 5}); r != 5 {
		t.Fatalf("descending run %d", r)
	}
	if r := sequentialRun([]int64{1, 2, 4, 5, 6}); r != 3 {
		t.Fatalf("gapped run %d", r)
	}
	// Many distinct random orders in a minute: step-up.
	e = New(DefaultConfig(), nil)
	var s Severity
	for i := 0; i < 9; i++ {
		s = observe(t, e, act(KindReveal, at(10, 0).Add(time.Duration(i)*5*time.Second), fmt.Sprintf("order:%d", 1000+i*97)), Baseline{PeerDaily: 100}).Max()
	}
	if s != StepUp {
		t.Fatalf("nine orders in 45 s: %v", s)
	}
}

func TestBulkListingAndDenials(t *testing.T) {
	e := New(DefaultConfig(), nil)
	var sevs []Severity
	for i := 0; i < 81; i++ {
		sevs = append(sevs, observe(t, e, act(KindListPage, at(14, 0).Add(time.Duration(i)*30*time.Second)), Baseline{}).Max())
	}
	if sevs[39] != 0 || sevs[40] != StepUp || sevs[80] != Suspend {
		t.Fatalf("paging: 40th %v 41st %v 81st %v", sevs[39], sevs[40], sevs[80])
	}
	e = New(DefaultConfig(), nil)
	for i := 1; i <= 5; i++ {
		s := observe(t, e, act(KindDenied, at(14, i)), Baseline{}).Max()
		want := Severity(0)
		if i >= 2 {
			want = Alert
		}
		if i >= 5 {
			want = Suspend
		}
		if s != want {
			t.Fatalf("denial %d: %v, want %v", i, s, want)
		}
	}
}

// TestNormalDayRaisesNothing is the false-positive check: a busy
// customer-service team's day and a packing shift's, simulated minute by
// minute, suspend nobody and demand no step-up.
func TestNormalDayRaisesNothing(t *testing.T) {
	e := New(DefaultConfig(), nil)
	r := rand.New(rand.NewPCG(1, 2))
	worst := Severity(0)
	observe := func(a Activity, b Baseline) {
		if s := observe(t, e, a, b).Max(); s > Alert {
			t.Fatalf("actor %d %s at %s: %v", a.ActorID, a.Kind, a.At.Format("15:04"), observe(t, e, a, b))
		} else if s > worst {
			worst = s
		}
	}
	// Ten agents, 09:00-18:00: about 20 reveals each of random orders, 40
	// phone searches and 60 list pages.
	for agent := int64(1); agent <= 10; agent++ {
		for i := 0; i < 540; i++ {
			now := at(9, 0).Add(time.Duration(i) * time.Minute)
			base := Baseline{OwnDaily: 18, PeerDaily: 17}
			a := Activity{At: now, ActorID: agent, Role: "customer_service", TenantID: 1 + agent%3}
			switch x := r.IntN(540); {
			case x < 20:
				a.Kind, a.Targets = KindReveal, []string{fmt.Sprintf("order:%d", r.IntN(200000))}
			case x < 60:
				a.Kind = KindPhoneSearch
			case x < 120:
				a.Kind = KindListPage
			default:
				continue
			}
			observe(a, base)
		}
	}
	// Twenty packers on a shift, each printing ~45 labels an hour for 8 hours
	// in wave order (consecutive waybill numbers) and reprinting a few.
	for p := int64(100); p < 120; p++ {
		wb := 1000000 * p
		for i := 0; i < 360; i++ {
			now := at(14, 0).Add(time.Duration(i) * 80 * time.Second)
			a := Activity{At: now, ActorID: p, Role: "operator", TenantID: 1, Kind: KindLabelPrint, HasShift: true, InShift: true,
				Targets: []string{fmt.Sprintf("waybill:SF%d", wb+int64(i))}}
			observe(a, Baseline{OwnDaily: 340, PeerDaily: 350})
			if i%90 == 45 {
				a.Kind = KindLabelReprint
				observe(a, Baseline{OwnDaily: 4, PeerDaily: 4})
			}
		}
	}
	t.Logf("worst response on a normal day: %v", worst)
}

// observe runs the engine and fails the test on a storage error.
func observe(t testing.TB, e *Engine, a Activity, b Baseline) Decision {
	t.Helper()
	d, err := e.Observe(context.Background(), a, b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestMachineClientKeepsNoOfficeHours: a carrier's platform resolving at
// night with its API token is not suspended by the night rule (a person's
// session is); it is held to an hourly rate instead.
func TestMachineClientKeepsNoOfficeHours(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MachineHourAlert, cfg.MachineHourSuspend = 40, 60
	e := New(cfg, nil)
	resolve := func(i int, machine bool) Activity {
		a := act(KindResolve, at(2, 0).Add(time.Duration(i)*50*time.Second), fmt.Sprintf("virtual:1700000%04d", i*37%9973))
		a.ActorID, a.Role, a.Machine = 9, "carrier", machine
		return a
	}
	var got []Severity
	for i := 0; i < 61; i++ {
		got = append(got, observe(t, e, resolve(i, true), Baseline{PeerDaily: 500}).Max())
	}
	if got[3] != 0 || got[39] != 0 || got[40] != Alert || got[59] != Alert || got[60] != Suspend {
		t.Fatalf("machine client at night, by count: %v", got)
	}
	// The same account's person at night, on a session: the night rule.
	e = New(cfg, nil)
	for i := 0; i < 4; i++ {
		s := observe(t, e, resolve(i, false), Baseline{PeerDaily: 500}).Max()
		if want := map[bool]Severity{true: StepUp, false: Suspend}[i < 3]; s != want {
			t.Fatalf("person's night resolve %d: %v", i+1, s)
		}
	}
}

// TestShipmentsAndManifestsCount: creating shipments and manifests counts
// like a reveal: at night, and in volume.
func TestShipmentsAndManifestsCount(t *testing.T) {
	e := New(DefaultConfig(), nil)
	for i, k := range []string{KindShipment, KindManifest, KindShipment} {
		if s := observe(t, e, act(k, at(23, i), fmt.Sprintf("order:%d", 10+i*50)), Baseline{}).Max(); s != StepUp {
			t.Fatalf("%s at night: %v", k, s)
		}
	}
	if s := observe(t, e, act(KindManifest, at(23, 5), "carrier:SF"), Baseline{}).Max(); s != Suspend {
		t.Fatalf("fourth access at night: %v", s)
	}
}

// TestWindowEncoding: a window survives its trip through storage.
func TestWindowEncoding(t *testing.T) {
	w := &window{nightDay: 20261130, night: 2, denials: []int64{1, 2}, pages: []int64{3}, phones: []int64{4, 5, 6}, ids: []int64{-7, 8},
		targets: []target{{9, targetKey("order:1")}, {10, targetKey("waybill:SF1")}}, volume: []volume{{"reveal", []bucket{{11, 2}}}, {"export", nil}},
		machine: []bucket{{12, 3}}}
	got, err := decodeWindow(w.encode())
	if err != nil || fmt.Sprint(*got) != fmt.Sprint(*w) {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	b := w.encode()
	for i := 1; i < len(b); i++ {
		if _, err := decodeWindow(b[:i]); err == nil {
			t.Fatalf("truncated window (%d of %d bytes) accepted", i, len(b))
		}
	}
}

// TestWindowVersion1: windows stored before targets were hashed (version 1,
// targets by name) still load, their targets as the same hashes, so an
// upgrade neither fails closed on every account nor forgets the last minute.
func TestWindowVersion1(t *testing.T) {
	var b []byte
	b = append(b, 1)                                        // version 1
	b = binary.AppendVarint(b, 20261130)                    // nightDay
	b = binary.AppendVarint(b, 2)                           // night
	for _, ts := range [][]int64{{1}, nil, nil, {41, 42}} { // denials, pages, phones, ids
		b = binary.AppendUvarint(b, uint64(len(ts)))
		for _, x := range ts {
			b = binary.AppendVarint(b, x)
		}
	}
	names := []string{"order:41", "order:42", "order:41"}
	b = binary.AppendUvarint(b, uint64(len(names)))
	for i, n := range names {
		b = binary.AppendVarint(b, int64(100+i))
		b = binary.AppendUvarint(b, uint64(len(n)))
		b = append(b, n...)
	}
	b = binary.AppendUvarint(b, 1) // one volume
	b = binary.AppendUvarint(b, uint64(len(KindReveal)))
	b = append(b, KindReveal...)
	b = binary.AppendUvarint(b, 1)
	b = binary.AppendVarint(b, 7)
	b = binary.AppendVarint(b, 3)
	b = binary.AppendUvarint(b, 0) // machine buckets
	w, err := decodeWindow(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []target{{100, targetKey("order:41")}, {101, targetKey("order:42")}, {102, targetKey("order:41")}}
	if fmt.Sprint(w.targets) != fmt.Sprint(want) || w.night != 2 || fmt.Sprint(w.ids) != "[41 42]" || w.volume[0].kind != KindReveal {
		t.Fatalf("version 1 window read as %+v", w)
	}
	if n := distinctTargets(w.targets); n != 2 {
		t.Fatalf("distinct targets %d, want 2", n)
	}
	if w.encode()[0] != windowVersion {
		t.Fatal("a loaded version 1 window is not saved in the current version")
	}
	for i := 1; i < len(b); i++ {
		if _, err := decodeWindow(b[:i]); err == nil {
			t.Fatalf("truncated version 1 window (%d of %d bytes) accepted", i, len(b))
		}
	}
}

// TestWindowVersion2: windows saved with absolute times and ids (version 2,
// before differences) still load as the same window, and are saved again
// in the current version.
func TestWindowVersion2(t *testing.T) {
	var b []byte
	b = append(b, 2)                                                    // version 2
	b = binary.AppendVarint(b, 20261130)                                // nightDay
	b = binary.AppendVarint(b, 2)                                       // night
	for _, ts := range [][]int64{{1e18}, {1e18 + 5}, nil, {4100, 42}} { // denials, pages, phones, ids
		b = binary.AppendUvarint(b, uint64(len(ts)))
		for _, x := range ts {
			b = binary.AppendVarint(b, x)
		}
	}
	b = binary.AppendUvarint(b, 2)
	for i, k := range []uint64{targetKey("order:4100"), targetKey("order:42")} {
		b = binary.AppendVarint(b, int64(1e18+i))
		b = binary.LittleEndian.AppendUint64(b, k)
	}
	b = binary.AppendUvarint(b, 1) // one volume
	b = binary.AppendUvarint(b, uint64(len(KindReveal)))
	b = append(b, KindReveal...)
	b = binary.AppendUvarint(b, 2)
	b = binary.AppendVarint(b, 7)
	b = binary.AppendVarint(b, 3)
	b = binary.AppendVarint(b, 9)
	b = binary.AppendVarint(b, 1)
	b = binary.AppendUvarint(b, 1) // machine buckets
	b = binary.AppendVarint(b, 500)
	b = binary.AppendVarint(b, 4)
	w, err := decodeWindow(b)
	if err != nil {
		t.Fatal(err)
	}
	want := &window{nightDay: 20261130, night: 2, denials: []int64{1e18}, pages: []int64{1e18 + 5}, phones: []int64{}, ids: []int64{4100, 42},
		targets: []target{{1e18, targetKey("order:4100")}, {1e18 + 1, targetKey("order:42")}}, volume: []volume{{KindReveal, []bucket{{7, 3}, {9, 1}}}},
		machine: []bucket{{500, 4}}}
	if fmt.Sprint(*w) != fmt.Sprint(*want) {
		t.Fatalf("version 2 window read as %+v, want %+v", w, want)
	}
	again := w.encode()
	if again[0] != windowVersion {
		t.Fatal("a loaded version 2 window is not saved in the current version")
	}
	if w2, err := decodeWindow(again); err != nil || fmt.Sprint(*w2) != fmt.Sprint(*want) {
		t.Fatalf("version 2 window saved again and read as %+v, %v", w2, err)
	}
	for i := 1; i < len(b); i++ {
		if _, err := decodeWindow(b[:i]); err == nil {
			t.Fatalf("truncated version 2 window (%d of %d bytes) accepted", i, len(b))
		}
	}
}

// TestWindowSize: a minute of reveals milliseconds apart, as a busy
// account (or a harvester) leaves it, is saved in under 1000 bytes: times
// and ids are stored as differences, not as nine-byte absolutes.
func TestWindowSize(t *testing.T) {
	w := &window{}
	at := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC).UnixNano()
	for i := 0; i < 64; i++ {
		at += int64(2500 * time.Microsecond)
		w.targets = append(w.targets, target{at, targetKey(fmt.Sprintf("order:%d", 1000+i*37%2000))})
	}
	for i := 0; i < 32; i++ {
		w.ids = append(w.ids, int64(1000+i*37%2000))
	}
	w.volume = []volume{{KindReveal, []bucket{{at / int64(volumeSlot), 400}}}}
	b := w.encode()
	if len(b) >= 1000 {
		t.Fatalf("window of 64 targets and 32 ids takes %d bytes", len(b))
	}
	got, err := decodeWindow(b)
	if err != nil || fmt.Sprint(*got) != fmt.Sprint(*w) {
		t.Fatalf("round trip: %v", err)
	}
}
