package yuncang

import (
	"context"
	"time"
)

// Approval kinds: the changes that give someone reach towards plaintext and
// so need a second, different person's consent (four eyes).
const (
	ApprovalRole     = "role"     // grant a role that can reveal, resolve or administer (also a new account of such a role)
	ApprovalShift    = "shift"    // widen a shift into the night
	ApprovalToken    = "token"    // issue a carrier token or a token that reads personal data
	ApprovalReenable = "reenable" // re-enable a suspended account that could reveal or resolve
	// ApprovalCarrier configures a carrier: the key its manifests are
	// encrypted to, the account that acts (and resolves virtual numbers)
	// for it, its limits. One person with both would control a carrier.
	ApprovalCarrier = "carrier"
)

// Approval statuses. A request starts pending; a second person approves or
// rejects it before it expires; an approved change is then applied (or,
// if applying failed, marked failed): the change exists only after applied.
const (
	ApprovalPending  = "pending"
	ApprovalApproved = "approved"
	ApprovalRejected = "rejected"
	ApprovalApplied  = "applied"
	ApprovalFailed   = "failed"
)

// ApprovalTTL is how long a request waits for its second person.
const ApprovalTTL = 24 * time.Hour

// ApprovalChange is the change an approval carries, applied only once a
// second person approved it. Only the fields of its kind are set.
type ApprovalChange struct {
	Role       string // ApprovalRole: the role granted
	NewAccount bool   // ApprovalRole: the account was created for this grant and stays pending until approved
	// EnrolPartHash is the hash of the half of the enrolment code the
	// requester was given; the approver receives the other half, so that
	// neither administrator alone can redeem the new account.
	EnrolPartHash []byte
	Shift         *Shift   // ApprovalShift
	TokenLabel    string   // ApprovalToken
	Scopes        []string // ApprovalToken
	TTLHours      int      // ApprovalToken
	Reason        string   // ApprovalReenable: masked
	Carrier       *Carrier // ApprovalCarrier: the carrier as it will be created (UserID: the target account, or 0)
}

// Approval is one four-eyes request.
type Approval struct {
	ID          int64
	TenantID    int64 // the target account's tenant (0: platform)
	Kind        string
	TargetID    int64 // the account the change is for
	Change      ApprovalChange
	Status      string
	RequestedBy int64
	DecidedBy   int64
	Note        string // the decider's note, masked
	CreatedAt   time.Time
	DecidedAt   time.Time
	ExpiresAt   time.Time
}

// ApprovalService stores four-eyes requests. Decisions are atomic: two
// approvers racing for the same request cannot both win.
type ApprovalService interface {
	CreateApproval(ctx context.Context, ap *Approval, ev *Event) error
	ApprovalByID(ctx context.Context, id int64) (*Approval, error)
	// Approvals lists requests, newest first; tenantID < 0 means every
	// tenant, status "" every status.
	Approvals(ctx context.Context, tenantID int64, status string, limit int) ([]*Approval, error)
	// DecideApproval moves a pending, unexpired request to approved or
	// rejected, with its audit event; the decider must not be the
	// requester (ECONFLICT if it is no longer pending).
	DecideApproval(ctx context.Context, id, deciderID int64, status, note string, at time.Time, ev *Event) (*Approval, error)
	// FinishApproval records the outcome of applying an approved request
	// (applied or failed), with its audit event.
	FinishApproval(ctx context.Context, id int64, status string, ev *Event) error
}
