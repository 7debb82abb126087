package yuncang

import (
	"context"
	"time"
)

// Data-subject requests (PIPL arts. 44-50): a recipient asks, through the
// merchant's customer service, to see, correct or delete what is held about
// them, or withdraws consent. docs/compliance/retention.md describes the flow.
const (
	DataRequestAccess     = "access"
	DataRequestCorrection = "correction"
	DataRequestDeletion   = "deletion"
	DataRequestWithdrawal = "withdrawal"
)

// DataRequestKinds lists the kinds of request.
var DataRequestKinds = []string{DataRequestAccess, DataRequestCorrection, DataRequestDeletion, DataRequestWithdrawal}

// Data-request statuses: open until closed with one outcome.
const (
	DataRequestOpen      = "open"
	DataRequestAnswered  = "answered"  // access: the data was revealed (purpose data_subject_request) and given
	DataRequestCorrected = "corrected" // correction: the orders' recipient re-sealed with the corrected values
	DataRequestErased    = "erased"    // deletion or withdrawal: the orders' recipient data erased
	DataRequestRefused   = "refused"   // with a reason
)

// DataRequestDueWorkingDays is the default time to answer: 15 working days,
// the limit the 《App违法违规收集使用个人信息行为认定方法》(2019) sets for
// handling correction, deletion and complaints where none was promised;
// GB/T 35273-2020 §8.7 allows at most 30 days. Public holidays are not
// modelled: weekends only.
const DataRequestDueWorkingDays = 15

// DataRequest is one request. The phone it was found by is not kept: the
// orders it matched (through the blind index) when recorded are.
type DataRequest struct {
	ID         int64
	TenantID   int64
	Kind       string
	Status     string
	OrderIDs   []int64
	ReceivedAt time.Time
	DueAt      time.Time
	ClosedAt   time.Time
	Reason     string // refusal reason or closing note, masked
	CreatedBy  string
	ClosedBy   string
}

// AddWorkingDays returns t plus n working days (Monday to Friday).
func AddWorkingDays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// DataRequestService records and closes data-subject requests; every step
// is audited in its own transaction.
type DataRequestService interface {
	CreateDataRequest(ctx context.Context, d *DataRequest, ev *Event) error
	DataRequests(ctx context.Context, tenantID int64) ([]*DataRequest, error)
	// OpenAccessRequestFor reports whether an open access request of the
	// tenant names the order.
	OpenAccessRequestFor(ctx context.Context, tenantID, orderID int64) (bool, error)
	CloseDataRequest(ctx context.Context, tenantID, id int64, status, reason, by string, ev *Event) (*DataRequest, error)
	// CorrectDataRequest closes a correction request by sealing the
	// corrected recipient (validated and masked like intake) into each of
	// its orders.
	CorrectDataRequest(ctx context.Context, tenantID, id int64, p *PreparedOrder, by string, ev *Event) (*DataRequest, error)
}
