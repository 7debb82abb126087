package audit

import (
	"testing"

	"github.com/yuncang/yuncang"
)

// Every event kind the product records must be an audit action, or
// recording it would fail (closed) in production.
func TestEveryEventKindIsAnAction(t *testing.T) {
	for _, k := range []string{yuncang.EventLogin, yuncang.EventLoginFailure, yuncang.EventLockout, yuncang.EventLogout,
		yuncang.EventStepUp, yuncang.EventStepUpFailure, yuncang.EventNewSource, yuncang.EventUserCreate, yuncang.EventRoleChange,
		yuncang.EventScopeChange, yuncang.EventShiftChange, yuncang.EventOffboard, yuncang.EventExpiry, yuncang.EventReview,
		yuncang.EventDeviceEnrol, yuncang.EventDeviceRevoke, yuncang.EventTokenIssue, yuncang.EventTokenRevoke, yuncang.EventTokenUse,
		yuncang.EventOutsideShift, yuncang.EventAccessDenied, yuncang.EventKeyRotation, yuncang.EventPasswordChange, yuncang.EventReveal,
		yuncang.EventOrderCreate, yuncang.EventOrderImport, yuncang.EventOrderView, yuncang.EventListPage, yuncang.EventPhoneSearch,
		yuncang.EventCheckpoint, yuncang.EventAuditExport, yuncang.EventGuardAlert, yuncang.EventSuspend, yuncang.EventReenable,
		yuncang.EventQuotaRaise, yuncang.EventCanarySeed, yuncang.EventAlertDecision, yuncang.EventShipmentCreate, yuncang.EventWaybillVoid, yuncang.EventAuditResume,
		yuncang.EventErasure, yuncang.EventRekey, yuncang.EventRetentionPolicy, yuncang.EventDataRequest, yuncang.EventDataRequestClose,
		yuncang.EventSecurityKeyAdd, yuncang.EventSecurityKeyRemove} {
		if !KnownAction(Action(k)) {
			t.Errorf("event kind %q is not a known audit action", k)
		}
	}
	for _, o := range []string{yuncang.OutcomeOK, yuncang.OutcomeDenied, yuncang.OutcomeAlert} {
		e := Event{Time: yuncang.Event{}.At.AddDate(2000, 0, 0), Action: ActionLogin, Outcome: o}
		if err := e.Validate(); err != nil {
			t.Errorf("outcome %q: %v", o, err)
		}
	}
}
