package audit

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/yuncang/yuncang"
	"golang.org/x/mod/sumdb/note"
)

// BenchVerify measures Verify over n realistic encoded events held in
// memory, with stored leaf hashes and four signed checkpoints, against a
// plain SHA-256 pass over the same bytes in the same run. The issue asks for
// verify ≤ 3 × plainHash at n = 1,000,000. Each is the best of three runs so
// that one scheduling hiccup does not decide the ratio.
func BenchVerify(n int) (verify, plainHash time.Duration, err error) {
	if n <= 0 {
		return 0, 0, fmt.Errorf("audit: bench needs n > 0")
	}
	records, stored, v, err := benchLog(n)
	if err != nil {
		return 0, 0, err
	}
	iterate := func(yield func(Record, error) bool) {
		for _, r := range records {
			if !yield(r, nil) {
				return
			}
		}
	}
	verify, plainHash = time.Duration(1<<63-1), time.Duration(1<<63-1)
	for range 3 {
		start := time.Now()
		rep := Verify(iterate, stored, stored, v)
		verify = min(verify, time.Since(start))
		if !rep.OK() || rep.Records != int64(n) {
			return 0, 0, fmt.Errorf("audit: bench log did not verify: %s", rep.String())
		}
		start = time.Now()
		h := sha256.New()
		for _, r := range records {
			h.Write(r.Data)
		}
		var sum [sha256.Size]byte
		h.Sum(sum[:0])
		plainHash = min(plainHash, time.Since(start))
	}
	return verify, plainHash, nil
}

// benchLog builds n records the way storage would hold them, in one
// contiguous buffer (as rows arrive from a cursor), with stored leaf hashes
// and checkpoints at a quarter, half, three quarters and all of the log.
func benchLog(n int) ([]Record, []Checkpoint, note.Verifier, error) {
	skey, vkey, err := GenerateKey("bench.yuncang.invalid/audit")
	if err != nil {
		return nil, nil, nil, err
	}
	s, err := NewSigner(skey)
	if err != nil {
		return nil, nil, nil, err
	}
	v, err := NewVerifier(vkey)
	if err != nil {
		return nil, nil, nil, err
	}
	gen := newEventGen(1)
	records := make([]Record, n)
	buf := make([]byte, 0, n*260)
	acc := newAccumulator()
	var stored []Checkpoint
	at := map[int64]bool{int64(n / 4): true, int64(n / 2): true, int64(3 * n / 4): true, int64(n): true}
	for i := range records {
		ev := gen.next(int64(i))
		if err := ev.Validate(); err != nil {
			return nil, nil, nil, fmt.Errorf("audit: bench event %d: %w", i, err)
		}
		start := len(buf)
		buf = append(buf, ev.Encode()...)
		data := buf[start:len(buf):len(buf)]
		leaf := LeafHash(data)
		records[i] = Record{Index: int64(i), Data: data, LeafHash: leaf}
		acc.add(leaf)
		if at[acc.n] {
			c, err := SignCheckpoint(s, acc.n, acc.root(), ev.Time)
			if err != nil {
				return nil, nil, nil, err
			}
			stored = append(stored, c)
		}
	}
	return records, stored, v, nil
}

// eventGen makes plausible audit traffic: mostly label prints and list
// pages, some reveals with a purpose, logins, carrier resolves, with masked
// detail text in Chinese as the console writes it.
type eventGen struct {
	r *rand.Rand
	t time.Time
}

func newEventGen(seed uint64) *eventGen {
	return &eventGen{r: rand.New(rand.NewPCG(seed, 0x5eed)),
		t: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)}
}

var genActions = []Action{
	ActionLabelPrint, ActionLabelPrint, ActionLabelPrint, ActionRecipientListPage,
	ActionRecipientListPage, ActionReveal, ActionLogin, ActionCarrierHandover,
	ActionVirtualNumberResolve, ActionOrderCreate, ActionOrderCreate, ActionLabelReprint,
	ActionPhoneSearch, ActionTokenUse, ActionLoginFailure, ActionExport,
}

var genPurposes = []string{"物流异常回访", "客户投诉处理", "地址核实后改派", "退货取件联系"}

func (g *eventGen) next(i int64) *Event {
	r := g.r
	g.t = g.t.Add(time.Duration(r.IntN(900)) * time.Millisecond)
	a := genActions[r.IntN(len(genActions))]
	role := yuncang.Roles[r.IntN(len(yuncang.Roles))]
	ev := &Event{
		Index:      i,
		Time:       g.t,
		ActorID:    int64(1 + r.IntN(400)),
		ActorName:  fmt.Sprintf("%s_%03d", role, r.IntN(400)),
		Role:       role,
		Device:     fmt.Sprintf("dev-%08x", r.Uint32()),
		SourceAddr: fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), 1+r.IntN(254)),
		Action:     a,
		TenantID:   int64(1 + r.IntN(50)),
		Targets:    []string{fmt.Sprintf("order:%d", 1_000_000+r.IntN(9_000_000))},
		Outcome:    OutcomeOK,
		Detail: fmt.Sprintf("收件人 %s** 1%d%d******%02d 浙江省金华市义乌市稠城街道**** 运单 YT%012d",
			[]string{"王", "李", "张", "欧阳", "陈"}[r.IntN(5)], 3+r.IntN(7), r.IntN(10), r.IntN(100), r.Int64N(1e12)),
	}
	switch a {
	case ActionReveal:
		ev.Purpose = genPurposes[r.IntN(len(genPurposes))]
	case ActionRecipientListPage:
		ev.Targets = append(ev.Targets, fmt.Sprintf("order:%d", 1_000_000+r.IntN(9_000_000)))
	}
	if r.IntN(50) == 0 {
		ev.Outcome = OutcomeDenied
	}
	return ev
}
