package yuncang

import (
	"context"
	"time"
)

// QuotaRequest asks to spend one unit of a quota: an account's hourly and
// daily allowance of a kind of access (plus any approved raise) and its
// merchant's daily ceiling. A limit of 0 means none.
type QuotaRequest struct {
	UserID, TenantID                 int64
	Kind                             string
	At                               time.Time
	HourLimit, DayLimit, TenantLimit int
	// Guard, when set, runs the anti-theft guard's rules in the same
	// transaction, before anything is read or spent, over windows locked by
	// that transaction: one commit carries the guard's counts, the quota
	// and the audit record. An error with a code other than EINTERNAL
	// refuses the access; the windows Guard saved are committed all the same
	// (a refused attempt counts). When the access fails after Guard let it
	// through (no such record, quota used up), the store runs Guard once more
	// in a transaction of its own, so every attempt counts exactly once.
	Guard func(ctx context.Context, w GuardWindows) error
}

// GuardKey names one of the guard's windows: an account's (Subject is its
// id, TenantID its own merchant, 0 for platform staff) or a merchant's
// shared one (Subject 0).
type GuardKey struct {
	TenantID int64
	Subject  int64
}

// GuardWindows loads and saves the guard's windows, where every server
// process sees them.
type GuardWindows interface {
	// UpdateGuardWindows loads the state of each key (nil when none yet),
	// locked against every other caller on any server until fn returns, and
	// saves what fn returns in the same order. If fn fails nothing is saved.
	// A store may run fn on a state it remembers and run it again on the
	// state it loads if that one turns out to have changed: only what the
	// last run returns is saved, and that run saw the state it replaces.
	UpdateGuardWindows(ctx context.Context, keys []GuardKey, at time.Time, fn func(states [][]byte) ([][]byte, error)) error
}

// QuotaGrant raises an account's daily quota for one day. It needs a second
// person's approval, and expires at the end of the day it was approved.
type QuotaGrant struct {
	ID          int64
	UserID      int64
	Kind        string
	Extra       int
	Reason      string
	RequestedBy int64
	ApprovedBy  int64
	CreatedAt   time.Time
	ApprovedAt  time.Time
	ExpiresAt   time.Time
}

// MaxQuotaExtra caps the raises an account holds at once for one kind:
// grants do not stack past it, however many pairs of people approve them.
const MaxQuotaExtra = 100

// Alert statuses.
const (
	AlertOpen      = "open"
	AlertConfirmed = "confirmed" // the supervisor judged it theft (or misuse)
	AlertDismissed = "dismissed" // a false alarm, with a note saying why
)

// Alert is a guard finding for supervisors to review.
type Alert struct {
	ID         int64
	At         time.Time
	UserID     int64
	Username   string
	Role       string
	TenantID   int64
	Rule       string
	Severity   string
	Response   string // what was done: alerted, step-up required, suspended
	Detail     string
	Status     string
	ReviewedBy int64
	ReviewNote string
	ReviewedAt time.Time
}

// GuardService stores what the anti-theft guard needs to hold across
// server processes: quotas, alerts, canaries and activity baselines.
type GuardService interface {
	// ConsumeQuota spends one unit or, if any limit would be exceeded,
	// spends nothing and fails with ERATELIMITED naming the limit.
	ConsumeQuota(ctx context.Context, q QuotaRequest) error
	RequestQuotaGrant(ctx context.Context, g *QuotaGrant) error
	// ApproveQuotaGrant approves a pending grant; the approver must not be
	// the requester.
	ApproveQuotaGrant(ctx context.Context, id, approverID int64, at time.Time, ev *Event) (*QuotaGrant, error)
	RecordAlert(ctx context.Context, a *Alert, ev *Event) error
	Alerts(ctx context.Context, status string, limit int) ([]*Alert, error)
	// Alert returns one alert, or ENOTFOUND.
	Alert(ctx context.Context, id int64) (*Alert, error)
	ReviewAlert(ctx context.Context, id, reviewerID int64, status, note string, at time.Time, ev *Event) (*Alert, error)
	// Reenable reactivates a disabled account, with its audit event.
	Reenable(ctx context.Context, userID int64, ev *Event) error
	// ScheduleDecoys asks for n more decoy orders of the tenant; they are
	// created among its next real orders, in their intake's transaction
	// (PreparedOrder.Decoy). PendingDecoys is how many are still to come.
	ScheduleDecoys(ctx context.Context, tenantID int64, n int, ev *Event) error
	PendingDecoys(ctx context.Context, tenantID int64) (int, error)
	// RecentMerchantOrderIDs returns the tenant's latest merchant order
	// ids, newest first: the pattern decoy ids follow.
	RecentMerchantOrderIDs(ctx context.Context, tenantID int64, n int) ([]string, error)
	// IsCanary reports whether any of the orders is a decoy.
	IsCanary(ctx context.Context, orderIDs []int64) (bool, error)
	CanaryIDs(ctx context.Context) ([]int64, error)
	// ActivityBaseline returns the account's average daily count of an
	// audited action over [since, until) and the median of its role's.
	ActivityBaseline(ctx context.Context, userID int64, role, action string, since, until time.Time) (own, peer float64, err error)
	// TenantDailyShippedMax is the most orders of the merchant shipped on
	// one day since the given time (imported orders do not count).
	TenantDailyShippedMax(ctx context.Context, tenantID int64, since time.Time) (int, error)
}
