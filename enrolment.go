package yuncang

import (
	"context"
	"time"
)

// Enrolment purposes.
const (
	// EnrolAccount: a new account; the redeemer sets the password and
	// enrols the second factor.
	EnrolAccount = "account"
	// EnrolFactor: a second-factor reset; the redeemer proves the current
	// password and enrols a new factor. An administrator who holds the code
	// still cannot take the factor over without the person's password.
	EnrolFactor = "factor"
)

// EnrolmentTTL is how long an enrolment code stays redeemable.
const EnrolmentTTL = 24 * time.Hour

// Enrolment is a one-time code with which a person sets up their own
// credentials. Only hashes of the code's two parts are stored.
type Enrolment struct {
	ID         int64
	TenantID   int64
	UserID     int64
	Purpose    string
	LookupHash []byte // hash of the code's first part (the requester's)
	CheckHash  []byte // hash of the second part (the approver's, or the requester's when no approval was needed)
	CreatedBy  int64
	ApprovedBy int64
	CreatedAt  time.Time
	ExpiresAt  time.Time
	UsedAt     time.Time
}

// EnrolmentService stores enrolment codes.
type EnrolmentService interface {
	// CreateEnrolment stores a code for the user and voids every earlier
	// unused code of the user, with its audit event.
	CreateEnrolment(ctx context.Context, e *Enrolment, ev *Event) error
	// EnrolmentByLookup returns the unused, unexpired enrolment whose first
	// part hashes to h (ENOTFOUND otherwise).
	EnrolmentByLookup(ctx context.Context, h []byte, now time.Time) (*Enrolment, error)
	// RedeemEnrolment marks the enrolment used and, in the same
	// transaction, sets the password (if passwordHash is not empty) and the
	// sealed second factor, with the audit event. It fails with ECONFLICT if
	// the code was used or expired meanwhile (single use, even on two
	// servers at once).
	RedeemEnrolment(ctx context.Context, id, userID int64, passwordHash string, sealedTOTP []byte, at time.Time, ev *Event) error
}
