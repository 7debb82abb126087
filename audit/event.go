package audit

import (
	"time"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
)

// Action names what was done. The set is open: a new kind of audited action
// is a new constant added to knownActions, and Validate refuses names that are
// not on the list so that a typo cannot create an action nobody queries for.
type Action string

// Audited actions. Reads of personal data are audited as well as changes,
// because the harm the brief describes is reading, not writing.
const (
	ActionReveal               Action = "reveal"                 // one recipient shown unmasked
	ActionLabelPrint           Action = "label_print"            // waybill printed
	ActionLabelReprint         Action = "label_reprint"          // waybill printed again
	ActionExport               Action = "export"                 // bulk copy or download
	ActionCarrierHandover      Action = "carrier_handover"       // manifest given to a carrier
	ActionVirtualNumberResolve Action = "virtual_number_resolve" // carrier resolved a 隐私号
	ActionPhoneSearch          Action = "phone_search"           // search by phone (blind index)
	ActionRecipientListPage    Action = "recipient_list_page"    // a page of (masked) recipients listed
	ActionLogin                Action = "login"
	ActionLoginFailure         Action = "login_failure"
	ActionLockout              Action = "lockout"
	ActionLogout               Action = "logout"
	ActionRoleChange           Action = "role_change"
	ActionDeviceEnrol          Action = "device_enrol"
	ActionOffboard             Action = "offboard"
	ActionTokenIssue           Action = "token_issue"
	ActionTokenUse             Action = "token_use"
	ActionKeyRotation          Action = "key_rotation"
	ActionAlertDecision        Action = "alert_decision" // a supervisor confirmed or dismissed an alert
	ActionOrderCreate          Action = "order_create"
	ActionOrderImport          Action = "order_import"
	ActionUserCreate           Action = "user_create"
	ActionCheckpoint           Action = "checkpoint" // the log itself was checkpointed
	ActionAuditVerify          Action = "audit_verify"
	ActionAuditExport          Action = "audit_export"
	ActionOrderView            Action = "order_view" // one order shown, masked
	ActionStepUp               Action = "step_up"
	ActionStepUpFailure        Action = "step_up_failure"
	ActionNewSource            Action = "new_source" // login from a new address or device
	ActionScopeChange          Action = "scope_change"
	ActionShiftChange          Action = "shift_change"
	ActionExpiry               Action = "expiry"
	ActionAccessReview         Action = "access_review"
	ActionDeviceRevoke         Action = "device_revoke"
	ActionTokenRevoke          Action = "token_revoke"
	ActionOutsideShift         Action = "outside_shift"
	ActionAccessDenied         Action = "access_denied"
	ActionPasswordChange       Action = "password_change"
	ActionGuardAlert           Action = "guard_alert"     // the anti-theft guard flagged an actor
	ActionSuspend              Action = "account_suspend" // the guard cut an actor off
	ActionReenable             Action = "account_reenable"
	ActionQuotaRaise           Action = "quota_raise"
	ActionCanarySeed           Action = "canary_seed"
	ActionShipmentCreate       Action = "shipment_create"
	ActionWaybillVoid          Action = "waybill_void"
	ActionApprovalRequest      Action = "approval_request"  // a four-eyes request
	ActionApprovalDecision     Action = "approval_decision" // approved or rejected by a second person
	ActionApprovalApply        Action = "approval_apply"
	ActionEnrolmentIssue       Action = "enrolment_issue" // a one-time code to set one's own credentials
	ActionEnrolmentRedeem      Action = "enrolment_redeem"
	ActionPrinterChange        Action = "printer_change"   // a printer registered or removed
	ActionGatewayRegister      Action = "gateway_register" // a print gateway's sealing key registered
	ActionPrintDelivered       Action = "print_delivered"  // a gateway put a job on paper (with the bytes' hash)
	ActionPrintFailed          Action = "print_failed"     // a gateway could not deliver a job
	ActionPrintRetry           Action = "print_retry"
	ActionAuditResume          Action = "audit_resume"        // the log resumed after a restore (see Resume)
	ActionRetentionErasure     Action = "retention_erasure"   // recipient data erased: a bucket key destroyed, or legacy orders overwritten
	ActionRetentionPolicy      Action = "retention_policy"    // a merchant's retention periods changed
	ActionRetentionRekey       Action = "retention_rekey"     // legacy orders re-sealed under their intake day's key
	ActionDataRequest          Action = "data_request"        // a data-subject request recorded
	ActionDataRequestClose     Action = "data_request_close"  // answered, erased or refused
	ActionSecurityKeyAdd       Action = "security_key_add"    // a WebAuthn key registered to an account
	ActionSecurityKeyRemove    Action = "security_key_remove" // and removed
)

var knownActions = map[Action]bool{
	ActionReveal: true, ActionLabelPrint: true, ActionLabelReprint: true,
	ActionExport: true, ActionCarrierHandover: true, ActionVirtualNumberResolve: true,
	ActionPhoneSearch: true, ActionRecipientListPage: true, ActionLogin: true,
	ActionLoginFailure: true, ActionLockout: true, ActionLogout: true,
	ActionRoleChange: true, ActionDeviceEnrol: true, ActionOffboard: true,
	ActionTokenIssue: true, ActionTokenUse: true, ActionKeyRotation: true,
	ActionAlertDecision: true, ActionOrderCreate: true, ActionOrderImport: true,
	ActionUserCreate: true, ActionCheckpoint: true, ActionAuditVerify: true,
	ActionAuditExport: true, ActionOrderView: true, ActionStepUp: true, ActionStepUpFailure: true,
	ActionNewSource: true, ActionScopeChange: true, ActionShiftChange: true, ActionExpiry: true,
	ActionAccessReview: true, ActionDeviceRevoke: true, ActionTokenRevoke: true, ActionOutsideShift: true,
	ActionAccessDenied: true, ActionPasswordChange: true,
	ActionGuardAlert: true, ActionSuspend: true, ActionReenable: true, ActionQuotaRaise: true, ActionCanarySeed: true,
	ActionShipmentCreate: true, ActionWaybillVoid: true, ActionAuditResume: true,
	ActionApprovalRequest: true, ActionApprovalDecision: true, ActionApprovalApply: true,
	ActionEnrolmentIssue: true, ActionEnrolmentRedeem: true,
	ActionPrinterChange: true, ActionGatewayRegister: true, ActionPrintDelivered: true, ActionPrintFailed: true, ActionPrintRetry: true,
	ActionRetentionErasure: true, ActionRetentionPolicy: true, ActionRetentionRekey: true, ActionDataRequest: true, ActionDataRequestClose: true,
	ActionSecurityKeyAdd: true, ActionSecurityKeyRemove: true,
}

// KnownAction reports whether a is one of the audited actions.
func KnownAction(a Action) bool { return knownActions[a] }

// Outcomes. Denied and failed attempts are audited too: a burst of denials is
// often the first sign of a stolen session.
const (
	OutcomeOK     = "ok"
	OutcomeDenied = "denied"
	OutcomeError  = "error"
	OutcomeAlert  = "alert" // allowed, but flagged for review
)

// Event is one audit record. Every text field must already be free of
// personal data: Detail and Purpose are written by people and code under
// pressure, so Validate refuses anything that looks like an unmasked mobile
// number rather than trusting the caller.
type Event struct {
	// Index is the record's position in the log, assigned when it is
	// appended. It is part of the encoding so that a record moved to another
	// position, or renumbered after a deletion, no longer verifies.
	Index   int64
	Time    time.Time // recorded to the microsecond, in UTC
	ActorID int64     // 0 when unknown (a failed login for a missing user)
	// SubjectID is the account acted upon when it is not the actor (an
	// administrator offboarding an operator); 0 when the actor acted on
	// itself or on records only. Records before encoding version 2 named
	// it as a first target "user:N".
	SubjectID  int64
	ActorName  string
	Role       string // a yuncang role, or "" when there is none yet
	Device     string // enrolled device id, if any
	SourceAddr string // client address
	Action     Action
	TenantID   int64    // 0 for platform-level actions
	Targets    []string // record ids such as "order:123"
	Purpose    string   // stated purpose, required for reveals
	Outcome    string
	Detail     string // masked free text
}

// Validate checks an event before it is appended. It returns a yuncang
// EINVALID error naming the field.
func (e *Event) Validate() error {
	if e.Index < 0 {
		return yuncang.Invalid("index", "must not be negative")
	}
	if e.Time.IsZero() {
		return yuncang.Invalid("time", "is required")
	}
	if !KnownAction(e.Action) {
		return yuncang.Invalid("action", "is not a known audit action")
	}
	switch e.Outcome {
	case OutcomeOK, OutcomeDenied, OutcomeError, OutcomeAlert:
	default:
		return yuncang.Invalid("outcome", "must be ok, denied, error or alert")
	}
	if e.Role != "" && !yuncang.ValidRole(e.Role) {
		return yuncang.Invalid("role", "is not a known role")
	}
	if e.ActorID < 0 || e.TenantID < 0 || e.SubjectID < 0 {
		return yuncang.Invalid("actor", "ids must not be negative")
	}
	if e.Action == ActionReveal && e.Purpose == "" {
		return yuncang.Invalid("purpose", "is required for a reveal")
	}
	texts := []struct{ field, s string }{
		{"actor_name", e.ActorName}, {"role", e.Role}, {"device", e.Device},
		{"source_addr", e.SourceAddr}, {"purpose", e.Purpose}, {"detail", e.Detail},
	}
	for _, t := range texts {
		if err := checkText(t.field, t.s); err != nil {
			return err
		}
	}
	if len(e.Targets) > maxTargets {
		return yuncang.Invalid("targets", "lists more than %d records; audit the batch by its id", maxTargets)
	}
	for _, t := range e.Targets {
		if t == "" {
			return yuncang.Invalid("targets", "must not contain an empty id")
		}
		if err := checkText("targets", t); err != nil {
			return err
		}
	}
	return nil
}

// maxText and maxTargets bound an event so that a runaway Detail cannot make
// the log, and every verification pass over it, arbitrarily expensive; the
// largest valid event stays well under maxEncodedLen.
const (
	maxText    = 4096
	maxTargets = 200
)

func checkText(field, s string) error {
	if len(s) > maxText {
		return yuncang.Invalid(field, "is longer than %d bytes", maxText)
	}
	if !utf8.ValidString(s) {
		return yuncang.Invalid(field, "is not valid UTF-8")
	}
	if containsMobile(s) {
		return yuncang.Invalid(field, "contains what looks like an unmasked mobile number")
	}
	return nil
}
