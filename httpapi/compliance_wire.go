package httpapi

import (
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/compliance"
)

// TrainingRequest records that a person was trained on a topic.
type TrainingRequest struct {
	Username  string    `json:"username"`
	Topic     string    `json:"topic"`
	TrainedAt time.Time `json:"trained_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Note      string    `json:"note,omitempty"`
}

// TrainingJSON is one training record.
type TrainingJSON struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Role      string    `json:"role"`
	Topic     string    `json:"topic"`
	TrainedAt time.Time `json:"trained_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Current   bool      `json:"current"`
	Note      string    `json:"note,omitempty"`
}

// IncidentRequest records a personal-data breach (PIPL art. 57): the
// account whose actions are in question and the time window; the affected
// records are counted from the audit log.
type IncidentRequest struct {
	Actor              string    `json:"actor"`
	WindowStart        time.Time `json:"window_start"`
	WindowEnd          time.Time `json:"window_end"`
	Cause              string    `json:"cause"`
	Categories         string    `json:"categories,omitempty"`
	Harm               string    `json:"harm"`
	Remedies           string    `json:"remedies"`
	IndividualMeasures string    `json:"individual_measures"`
	Contact            string    `json:"contact"`
}

// IncidentJSON is a recorded incident with its drafted notices.
type IncidentJSON struct {
	ID                 int64             `json:"id"`
	OpenedAt           time.Time         `json:"opened_at"`
	Actor              string            `json:"actor"`
	WindowStart        time.Time         `json:"window_start"`
	WindowEnd          time.Time         `json:"window_end"`
	Cause              string            `json:"cause"`
	Categories         string            `json:"categories"`
	Harm               string            `json:"harm"`
	Remedies           string            `json:"remedies"`
	IndividualMeasures string            `json:"individual_measures"`
	Contact            string            `json:"contact"`
	AffectedOrders     int               `json:"affected_orders"`
	AffectedMerchants  []string          `json:"affected_merchants"`
	Notice             compliance.Notice `json:"notice"`
}

// InspectionJSON is a special inspection: its counts, the PDF's hash and
// the detached signature; the report itself is at .../report.
type InspectionJSON struct {
	ID             int64              `json:"id"`
	RunAt          time.Time          `json:"run_at"`
	RunBy          string             `json:"run_by"`
	Passed         int                `json:"passed"`
	Failed         int                `json:"failed"`
	Warned         int                `json:"warned"`
	CheckpointSize int64              `json:"checkpoint_size"`
	PDFSHA256      string             `json:"pdf_sha256"`
	Signature      string             `json:"signature"`
	Checks         []compliance.Check `json:"checks,omitempty"` // in the answer to a run
}

func trainingJSON(t *yuncang.TrainingRecord, now time.Time) TrainingJSON {
	return TrainingJSON{ID: t.ID, Username: t.Username, Role: t.Role, Topic: t.Topic, TrainedAt: t.TrainedAt, ExpiresAt: t.ExpiresAt, Current: t.Current(now),
		Note: maskText(t.Note)} // masked when stored; masked again for notes stored before they were
}

func inspectionJSON(in *yuncang.Inspection) InspectionJSON {
	return InspectionJSON{ID: in.ID, RunAt: in.RunAt, RunBy: in.RunByName, Passed: in.Passed, Failed: in.Failed, Warned: in.Warned,
		CheckpointSize: in.CheckpointSize, PDFSHA256: in.PDFSHA256, Signature: string(in.Signature)}
}

func init() {
	for k, v := range map[string]struct {
		req, resp any
		status    string
	}{
		"GET /api/v1/compliance/ledger":                             {nil, compliance.Ledger{}, "200"},
		"GET /api/v1/compliance/register":                           {nil, compliance.Register{}, "200"},
		"GET /api/v1/compliance/training":                           {nil, pageOf(TrainingJSON{}), "200"},
		"POST /api/v1/compliance/training":                          {TrainingRequest{}, TrainingJSON{}, "201"},
		"POST /api/v1/compliance/inspections":                       {nil, InspectionJSON{}, "201"},
		"GET /api/v1/compliance/inspections":                        {nil, pageOf(InspectionJSON{}), "200"},
		"GET /api/v1/compliance/inspections/{inspection}/report":    {nil, nil, "200"},
		"GET /api/v1/compliance/inspections/{inspection}/signature": {nil, nil, "200"},
		"POST /api/v1/compliance/incidents":                         {IncidentRequest{}, IncidentJSON{}, "201"},
		"GET /api/v1/compliance/incidents":                          {nil, pageOf(IncidentJSON{}), "200"},
		"GET /api/v1/compliance/incidents/{incident}":               {nil, IncidentJSON{}, "200"},
	} {
		apiDocs[k] = v
	}
}
