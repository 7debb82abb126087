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
	EventOrderCreate    = "order_create"
	EventOrderImport    = "order_import"
	EventOrderView      = "order_view"          // one order, masked
	EventListPage       = "recipient_list_page" // a page of orders, masked
	EventPhoneSearch    = "phone_search"
	EventCheckpoint     = "checkpoint"
	EventAuditExport    = "audit_export"
	EventAuditResume    = "audit_resume" // the log resumed after a restore from backup
	EventGuardAlert     = "guard_alert"
	EventSuspend        = "account_suspend"
	EventReenable       = "account_reenable"
	EventQuotaRaise     = "quota_raise"
	EventCanarySeed     = "canary_seed"
	EventAlertDecision  = "alert_decision"
	EventShipmentCreate = "shipment_create" // a recipient's phone bound to a shipment
	EventWaybillVoid    = "waybill_void"
	// Four eyes and self-enrolment.
	EventApprovalRequest  = "approval_request"
	EventApprovalDecision = "approval_decision" // approved or rejected by a second person
	EventApprovalApply    = "approval_apply"    // the approved change took effect (or failed)
	EventEnrolmentIssue   = "enrolment_issue"
	EventEnrolmentRedeem  = "enrolment_redeem"
	// Data-subject requests.
	EventDataRequest      = "data_request"       // recorded
	EventDataRequestClose = "data_request_close" // answered, erased or refused
	// Security keys (WebAuthn).
	EventSecurityKeyAdd    = "security_key_add"
	EventSecurityKeyRemove = "security_key_remove"
	// The catalogue and stock set by hand (administrative routes, the demo's
	// seeding); the pick and pack flow books its own moves in the ledger.
	EventTenantCreate    = "tenant_create"
	EventWarehouseCreate = "warehouse_create"
	EventSKUCreate       = "sku_create"
	EventStockSet        = "stock_set" // on hand set for one SKU in one warehouse
)

// Event outcomes.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeError  = "error" // attempted and failed (e.g. a printer that did not take a job)
	OutcomeAlert  = "alert"
)

// Event is a security event: who did what, from where, with what result.
// Detail never holds personal data of recipients.
type Event struct {
	ID        int64
	At        time.Time
	UserID    int64 // the account acted upon or acting (0 if unknown)
	Username  string
	Role      string
	TenantID  int64
	ActorID   int64 // who caused it, when not the account itself
	ActorName string
	ActorRole string
	Kind      string
	Outcome   string
	Source    string // client address
	DeviceID  int64
	Targets   []string // records acted on, e.g. "order:123"; at most 200
	Purpose   string   // the stated purpose of a reveal
	Detail    string
}

// EventFilter selects events from the audit log.
type EventFilter struct {
	UserID   int64 // the account acted upon or acting
	Kind     string
	TenantID int64
	Target   string
	Since    time.Time
	Until    time.Time
	AfterID  int64 // events with ID < AfterID (newest first)
	Limit    int
}

// EventService records events in the tamper-evident audit log and lists
// them. Actions that touch personal data record theirs inside their own
// storage transaction instead (fail closed).
type EventService interface {
	RecordEvent(ctx context.Context, e *Event) error
	Events(ctx context.Context, f EventFilter) ([]*Event, error)
}
