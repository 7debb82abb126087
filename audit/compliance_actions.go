package audit

// Compliance actions (issue 14): training records, special inspections,
// incidents and register exports. Kept apart from the main table so that
// branches adding actions do not edit the same lines.
const (
	ActionTrainingRecord Action = "training_record"
	ActionInspection     Action = "inspection"
	ActionIncident       Action = "incident"
	ActionRegisterExport Action = "register_export"
)

func init() {
	for _, a := range []Action{ActionTrainingRecord, ActionInspection, ActionIncident, ActionRegisterExport} {
		knownActions[a] = true
	}
}
