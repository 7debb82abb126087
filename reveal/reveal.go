// Package reveal is the audited reveal of one recipient in plaintext: the
// one way a person reaches recipient data. It checks the stated purpose
// and note, masks personal data out of the note before it is recorded,
// has storage record the reveal (and spend the quota) in the transaction
// that reads the ciphertext, and stamps what it shows with a watermark
// naming who looked, when and why. The guard's observation and quota
// policy stay with the caller that knows the request.
package reveal

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// Store is the storage a reveal needs.
type Store interface {
	// RevealRecipient records the reveal event and spends the quota (if
	// any) in the transaction that reads the ciphertexts; it decrypts only
	// after that committed.
	RevealRecipient(ctx context.Context, tenantID, orderID int64, ev *yuncang.Event, quota *yuncang.QuotaRequest) (*yuncang.Recipient, string, error)
}

// Service reveals recipients.
type Service struct {
	Store Store
	// Zone is the time zone of the watermark (the shifts' zone); nil is UTC.
	Zone func() *time.Location
	Now  func() time.Time
}

// Request is one reveal: whose order, why, and on whose behalf.
type Request struct {
	TenantID int64
	OrderID  int64
	Purpose  string // one of yuncang.Purposes
	Note     string // free text, masked before it is recorded
	Username string // for the watermark
	// Event is the audit event to record, with the actor filled in.
	Event *yuncang.Event
	// Quota is what the reveal spends; nil spends none.
	Quota *yuncang.QuotaRequest
}

// Result is what the reveal shows.
type Result struct {
	Recipient *yuncang.Recipient
	Remarks   string
	Watermark string
}

// CheckReason validates the purpose and note: a reveal without a reason is
// refused before anything is observed or recorded.
func CheckReason(purpose, note string) error {
	if !slices.Contains(yuncang.Purposes, purpose) {
		return yuncang.Invalid("purpose", "must be one of %s", strings.Join(yuncang.Purposes, ", "))
	}
	if note == "" || utf8.RuneCountInString(note) > 200 {
		return yuncang.Invalid("note", "is required, at most 200 characters")
	}
	return nil
}

// Reveal records and performs one reveal. The note is recorded masked: the
// audit log never holds the personal data a reveal is about.
func (s *Service) Reveal(ctx context.Context, req Request) (*Result, error) {
	if err := CheckReason(req.Purpose, req.Note); err != nil {
		return nil, err
	}
	if req.OrderID <= 0 {
		return nil, yuncang.Invalid("id", "must be a positive integer")
	}
	note, _ := pii.MaskText(req.Note)
	ev := *req.Event
	ev.Kind, ev.Purpose, ev.Detail = yuncang.EventReveal, req.Purpose, "note: "+note
	rec, remarks, err := s.Store.RevealRecipient(ctx, req.TenantID, req.OrderID, &ev, req.Quota)
	if err != nil {
		return nil, err
	}
	return &Result{Recipient: rec, Remarks: remarks, Watermark: Watermark(req.Username, s.now().In(s.zone()), req.Purpose, ev.ID)}, nil
}

// Watermark is the line a revealed recipient is shown with: who, when, why,
// and the number of the audit record of this very reveal. A photo or
// screenshot of revealed data that turns up elsewhere names the record to
// look up; a watermark copied onto other data, or made up, names a record
// that is not a reveal of that order by that person.
func Watermark(username string, at time.Time, purpose string, auditRecord int64) string {
	return fmt.Sprintf("%s %s %s audit#%d", username, at.Format("2006-01-02 15:04 MST"), purpose, auditRecord)
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Service) zone() *time.Location {
	if s.Zone == nil || s.Zone() == nil {
		return time.UTC
	}
	return s.Zone()
}
