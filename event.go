package yuncang

import (
	"context"
	"time"
)

// Security event kinds.
const (
	EventLogin          = "login"
	EventLoginFailure   = "login_failure"
	EventLockout        = "lockout"
	EventLogout         = "logout"
	EventStepUp         = "step_up"
	EventStepUpFailure  = "step_up_failure"
	EventNewSource      = "new_source" // login from a new address or device
	EventUserCreate     = "user_create"
	EventRoleChange     = "role_change"
	EventScopeChange    = "scope_change"
	EventShiftChange    = "shift_change"
	EventOffboard       = "offboard"
	EventExpiry         = "expiry"
	EventReview         = "access_review"
	EventDeviceEnrol    = "device_enrol"
	EventDeviceRevoke   = "device_revoke"
	EventTokenIssue     = "token_issue"
	EventTokenRevoke    = "token_revoke"
	EventTokenUse       = "token_use"
	EventOutsideShift   = "outside_shift"
	EventAccessDenied   = "access_denied"
	EventKeyRotation    = "key_rotation"
	EventPasswordChange = "password_change"
	EventReveal         = "reveal"
)

// Event outcomes.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeAlert  = "alert"
)

// Event is a security event: who did what, from where, with what result.
// Detail never holds personal data of recipients.
type Event struct {
	ID       int64
	At       time.Time
	UserID   int64 // the account acted upon or acting (0 if unknown)
	Username string
	Role     string
	TenantID int64
	ActorID  int64 // who caused it, when not the account itself
	Kind     string
	Outcome  string
	Source   string // client address
	DeviceID int64
	Detail   string
}

// EventFilter selects security events.
type EventFilter struct {
	UserID  int64
	Kind    string
	Since   time.Time
	AfterID int64
	Limit   int
}

// EventService records and lists security events.
type EventService interface {
	RecordEvent(ctx context.Context, e *Event) error
	Events(ctx context.Context, f EventFilter) ([]*Event, error)
}
