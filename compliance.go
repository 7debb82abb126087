package yuncang

import (
	"context"
	"time"
)

// Compliance: the security ledger (台账), staff training, special
// inspections (专项检查) and the breach workflow (PIPL art. 57). The stock
// ledger of goods is something else: see ledger.go.

// Audit kinds of the compliance records.
const (
	EventTrainingRecord = "training_record" // a security officer recorded someone's training
	EventInspection     = "inspection"      // a special inspection was run, signed and stored
	EventIncident       = "incident"        // a breach was recorded and its notice drafted
	EventRegisterExport = "register_export" // the processing register was exported
)

// Training topics. TrainingPersonalData is the one a revealing account
// must hold, current, to reveal (the case found "no staff training").
const (
	TrainingPersonalData = "personal_data_protection" // PIPL, GB/T 35273, the reveal rules
	TrainingSecurity     = "security_awareness"       // remote-control programs, phishing, shared accounts
	TrainingIncident     = "incident_response"        // what to do and whom to tell after a breach
)

// TrainingTopics lists the topics a training record may name.
var TrainingTopics = []string{TrainingPersonalData, TrainingSecurity, TrainingIncident}

// MaxTrainingValidity is how long one training counts at most.
const MaxTrainingValidity = 366 * 24 * time.Hour

// AccessReviewPeriod is how often every account's access must be reviewed.
const AccessReviewPeriod = 90 * 24 * time.Hour

// DefaultRetentionDays is how long a recipient's data is kept after
// delivery when the merchant set nothing else (PIPL art. 19/47; issue 14).
// A merchant's own setting is its RetentionPolicy; the processing register
// reads it through one lookup (sqlstore.DB.RetentionDays).
const DefaultRetentionDays = 30

// TrainingRecord is one person's training on one topic.
type TrainingRecord struct {
	ID         int64
	UserID     int64
	Username   string
	Role       string
	Topic      string
	TrainedAt  time.Time
	ExpiresAt  time.Time
	RecordedBy int64
	Note       string
	CreatedAt  time.Time
}

// Validate checks a training record before it is stored.
func (t *TrainingRecord) Validate() error {
	if t.UserID <= 0 {
		return Invalid("username", "is required")
	}
	known := false
	for _, k := range TrainingTopics {
		known = known || k == t.Topic
	}
	if !known {
		return Invalid("topic", "must be one of personal_data_protection, security_awareness, incident_response")
	}
	if t.TrainedAt.IsZero() {
		return Invalid("trained_at", "is required")
	}
	if !t.ExpiresAt.After(t.TrainedAt) {
		return Invalid("expires_at", "must be after trained_at")
	}
	if t.ExpiresAt.Sub(t.TrainedAt) > MaxTrainingValidity {
		return Invalid("expires_at", "a training counts for at most a year")
	}
	if len([]rune(t.Note)) > 200 {
		return Invalid("note", "is at most 200 characters")
	}
	return nil
}

// Current reports whether the record counts at time at.
func (t *TrainingRecord) Current(at time.Time) bool {
	return !at.Before(t.TrainedAt) && at.Before(t.ExpiresAt)
}

// Incident is a recorded personal-data breach: who (an account) acted in
// which window, what it affected (counted from the audit log) and the
// notice drafted from it. It holds no personal data.
type Incident struct {
	ID                 int64
	OpenedAt           time.Time
	OpenedBy           int64
	ActorID            int64 // the account whose actions are in question
	ActorName          string
	WindowStart        time.Time
	WindowEnd          time.Time
	Cause              string
	Categories         string // categories of personal data concerned
	Harm               string // the harm that may follow
	Remedies           string // what the warehouse did and does
	IndividualMeasures string // what the people concerned can do
	Contact            string
	AffectedOrders     int     // distinct orders revealed or printed by the actor in the window
	AffectedTenants    []int64 // the merchants whose recipients those are
}

// Inspection is a special inspection: its counts, the covering checkpoint,
// the signed PDF report and its detached signature (a signed note).
type Inspection struct {
	ID             int64
	RunAt          time.Time
	RunBy          int64
	RunByName      string
	Passed         int
	Failed         int
	Warned         int
	CheckpointSize int64
	PDFSHA256      string
	PDF            []byte
	Signature      []byte
}

// SecurityFacts is what the security ledger is computed from: rows read
// from the system as it is, no judgement. Counts over time cover the
// window [Since, At].
type SecurityFacts struct {
	At, Since        time.Time
	Users            []*User
	LiveSessions     map[int64]int // unexpired sessions per account
	LiveTokens       map[int64]int // unexpired API tokens per account
	Devices          []*Device
	GatewaySeen      map[int64]time.Time // print gateway device id -> last pull
	QuotaGrants      []*QuotaGrant
	Approvals        map[string]int // four-eyes requests by status
	Alerts           []*Alert
	RevealsByPurpose map[string]int
	RevealsDenied    int
	Reprints         int
	Erasures         int // audit records of erasure: retention's (see ErasureKinds) and data-subject requests closed as erased
	Training         []*TrainingRecord
	Carriers         []*Carrier
	Tenants          []*Tenant
	Retention        map[int64]int // retention days per tenant id
	AuditSize        int64
	Checkpoint       []byte // the latest stored checkpoint note (nil: none)
	Incidents        []*Incident
}

// ComplianceService stores training, inspections and incidents and reads
// the facts the ledger is computed from.
type ComplianceService interface {
	RecordTraining(ctx context.Context, t *TrainingRecord, ev *Event) error
	TrainingRecords(ctx context.Context) ([]*TrainingRecord, error)
	// TrainedFor reports whether the account holds a current record of topic.
	TrainedFor(ctx context.Context, userID int64, topic string, at time.Time) (bool, error)
	SecurityFacts(ctx context.Context, since, at time.Time) (*SecurityFacts, error)
	// AffectedOrders counts the distinct orders the actor revealed or
	// printed labels of in [from, to], and the merchants they belong to.
	AffectedOrders(ctx context.Context, actorID int64, from, to time.Time) (int, []int64, error)
	CreateIncident(ctx context.Context, in *Incident, ev *Event) error
	Incidents(ctx context.Context) ([]*Incident, error)
	IncidentByID(ctx context.Context, id int64) (*Incident, error)
	StoreInspection(ctx context.Context, in *Inspection, ev *Event) error
	Inspections(ctx context.Context) ([]*Inspection, error) // without the PDF bytes
	InspectionByID(ctx context.Context, id int64) (*Inspection, error)
}

// ErasureKinds are the audit kinds that record a retention erasure; the
// ledger counts them.
var ErasureKinds = []string{EventErasure}
