package reveal

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

// recordingStore records what a reveal would write, and refuses like
// storage does when the quota is spent.
type recordingStore struct {
	events []yuncang.Event
	refuse error
}

func (r *recordingStore) RevealRecipient(_ context.Context, tenantID, orderID int64, ev *yuncang.Event, q *yuncang.QuotaRequest) (*yuncang.Recipient, string, error) {
	if r.refuse != nil {
		return nil, "", r.refuse
	}
	ev.ID = int64(41 + len(r.events)) // storage numbers the record it appended
	r.events = append(r.events, *ev)
	return &yuncang.Recipient{Name: "张三", Phone: "13800138000", Address: "上海市浦东新区世纪大道100号"}, "", nil
}

func TestReveal(t *testing.T) {
	shanghai := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name          string
		purpose, note string
		id            int64
		field         string
	}{
		{"no purpose", "", "call back", 1, "purpose"},
		{"unknown purpose", "curiosity", "call back", 1, "purpose"},
		{"no note", "return", "", 1, "note"},
		{"long note", "return", strings.Repeat("长", 201), 1, "note"},
		{"no order", "return", "call back", 0, "id"},
		{"ok", "return", "客户 13912345678 要求退货", 7, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &recordingStore{}
			s := &Service{Store: st, Now: func() time.Time { return at }, Zone: func() *time.Location { return shanghai }}
			res, err := s.Reveal(context.Background(), Request{TenantID: 1, OrderID: tc.id, Purpose: tc.purpose, Note: tc.note, Username: "op1",
				Event: &yuncang.Event{UserID: 5, Username: "op1", Kind: yuncang.EventReveal}})
			if tc.field != "" {
				if yuncang.ErrorField(err) != tc.field || len(st.events) != 0 {
					t.Fatalf("err = %v (recorded %d), want invalid %s and nothing recorded", err, len(st.events), tc.field)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(st.events) != 1 {
				t.Fatalf("recorded %d events", len(st.events))
			}
			ev := st.events[0]
			if ev.Purpose != "return" || ev.UserID != 5 || strings.Contains(ev.Detail, "13912345678") || !strings.HasPrefix(ev.Detail, "note: ") {
				t.Errorf("event = %+v: want the purpose, the actor and a masked note", ev)
			}
			if res.Watermark != "op1 2026-03-02 09:30 CST return audit#41" {
				t.Errorf("watermark = %q", res.Watermark)
			}
		})
	}
}

func TestRevealRefusedShowsNothing(t *testing.T) {
	st := &recordingStore{refuse: &yuncang.Error{Code: yuncang.ERATELIMITED, Message: "quota spent"}}
	res, err := (&Service{Store: st}).Reveal(context.Background(), Request{TenantID: 1, OrderID: 1, Purpose: "return", Note: "x", Event: &yuncang.Event{}})
	if yuncang.ErrorCode(err) != yuncang.ERATELIMITED || res != nil {
		t.Fatalf("res = %v err = %v", res, err)
	}
}
