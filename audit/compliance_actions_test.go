package audit

import (
	"testing"

	"github.com/yuncang/yuncang"
)

func TestComplianceKindsAreActions(t *testing.T) {
	for _, k := range []string{yuncang.EventTrainingRecord, yuncang.EventInspection, yuncang.EventIncident, yuncang.EventRegisterExport} {
		if !KnownAction(Action(k)) {
			t.Errorf("event kind %q is not a known audit action", k)
		}
	}
}
