package yuncang

import "time"

// Erased is what masked views show for recipient data that retention has
// erased (docs/compliance/retention.md).
const Erased = "已删除"

// ErrRecipientErased is what any use of erased recipient data answers
// (reveal, label, manifest, binding): it was destroyed for good, by
// retention or by a data-subject deletion request. Callers that know which
// say so (the reveal names the request).
var ErrRecipientErased = &Error{Code: ECONFLICT, Message: "the recipient's data was erased (by retention or by a deletion request)"}

// EventErasure records one retention erasure: a destroyed bucket key, or a
// batch of legacy orders overwritten. Its targets and detail name keys,
// counts and order id ranges only, never recipient data.
const EventErasure = "retention_erasure"

// EventRekey records one batch of legacy orders (sealed with the tenant
// key) re-sealed under their intake day's bucket key and order keys. Its
// targets and detail name keys, counts and order id ranges only.
const EventRekey = "retention_rekey"

// RekeyReport says what a legacy rekey moved (or, in a dry run, would).
type RekeyReport struct {
	Orders  int // legacy orders re-sealed under their day's bucket and order keys
	Batches int // transactions, one audit record each
	Skipped int // left legacy: their intake day's bucket key is erased already
}

// EventRetentionPolicy records a change of a merchant's retention periods.
const EventRetentionPolicy = "retention_policy"

// RetentionPolicy is how long a merchant's recipient data is kept, in days.
type RetentionPolicy struct {
	TenantID          int64
	AfterDeliveryDays int // after the order is delivered
	AfterCancelDays   int // after it is cancelled
	MaxAgeDays        int // after intake, whatever happened (never shipped, lost)
	Default           bool
}

// DefaultRetention is the policy of a merchant that set none: 30 days after
// delivery (the default; long enough for returns and complaints),
// 30 days after cancellation, and at most 90 days after intake.
var DefaultRetention = RetentionPolicy{AfterDeliveryDays: DefaultRetentionDays, AfterCancelDays: 30, MaxAgeDays: 90, Default: true}

// RetentionBucket is one retention data key with the counters that decide
// when it may be destroyed: one tenant's orders taken in on one day.
type RetentionBucket struct {
	ID            int64
	TenantID      int64
	Day           int       // days since 1970-01-01 UTC
	Orders        int       // orders sealed with the key (valid once Counted)
	Counted       bool      // the day is over and its orders were counted
	Settled       int       // orders delivered or cancelled
	LastDelivered time.Time // zero if none
	LastCancelled time.Time // zero if none
	ErasedAt      time.Time // zero while the key lives
	MinOrderID    int64     // filled for an erasure's record
	MaxOrderID    int64
}

// ValidRetention checks a policy's periods: whole days, at least one, at
// most ten years; the maximum age is at least the other two.
func ValidRetention(p RetentionPolicy) error {
	for _, f := range []struct {
		name string
		v    int
	}{{"after_delivery_days", p.AfterDeliveryDays}, {"after_cancel_days", p.AfterCancelDays}, {"max_age_days", p.MaxAgeDays}} {
		if f.v < 1 || f.v > 3650 {
			return Invalid(f.name, "must be between 1 and 3650 days")
		}
	}
	if p.MaxAgeDays < p.AfterDeliveryDays || p.MaxAgeDays < p.AfterCancelDays {
		return Invalid("max_age_days", "must be at least the days kept after delivery and after cancellation")
	}
	return nil
}
