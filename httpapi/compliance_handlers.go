package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/compliance"
	"github.com/yuncang/yuncang/label"
)

// requireTraining refuses a reveal by an account without a current
// personal-data protection training record (the case found "no staff
// training"): fail closed, with a clear reason, and audited. It is the one
// check the reveal path calls.
func (s *Server) requireTraining(r *http.Request) error {
	ctx := r.Context()
	a := yuncang.ActorFromContext(ctx)
	ok, err := s.store.TrainedFor(ctx, a.UserID, yuncang.TrainingPersonalData, s.auth.Now())
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	ev := actorEvent(r, yuncang.EventAccessDenied)
	ev.Outcome, ev.Detail = yuncang.OutcomeDenied, "reveal refused: no current "+yuncang.TrainingPersonalData+" training"
	if err := s.store.RecordEvent(ctx, ev); err != nil {
		return err
	}
	return &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: "training",
		Message: "you have no current personal-data protection training on record: a security officer records it (POST /api/v1/compliance/training)"}
}

// complianceState is the server's inspection machinery, made on first use
// (the report font is parsed once).
type complianceState struct {
	once      sync.Once
	inspector *compliance.Inspector
	err       error
}

func (s *Server) inspector() (*compliance.Inspector, error) {
	c := &s.compliance
	c.once.Do(func() {
		font, _, err := label.ReportFont(s.reportFont)
		if err != nil {
			c.err = yuncang.Internal(err, "report font")
			return
		}
		origin := "yuncang"
		if i := strings.IndexByte(s.vkey, '+'); i > 0 {
			origin = s.vkey[:i]
		}
		c.inspector = &compliance.Inspector{Store: s.store, Signer: s.inspectionSigner, Font: font, System: origin,
			Checkpoint: s.coveringCheckpoint, VerifyAudit: s.verifyAuditHead, Now: s.auth.Now}
	})
	return c.inspector, c.err
}

// verifyAuditHead is the server's audit evidence: the latest checkpoint is
// signed by the audit key and its root is the stored tree's root at that
// size. (yuncang inspection run recomputes the whole tree instead.)
func (s *Server) verifyAuditHead(ctx context.Context) compliance.AuditEvidence {
	if s.vkey == "" {
		return compliance.AuditEvidence{Detail: "no audit verifier key configured"}
	}
	v, err := audit.NewVerifier(s.vkey)
	if err != nil {
		return compliance.AuditEvidence{Detail: "audit verifier key unreadable"}
	}
	notes, err := s.store.Checkpoints(ctx)
	if err != nil || len(notes) == 0 {
		return compliance.AuditEvidence{Detail: "no stored checkpoint"}
	}
	cp, err := audit.ParseCheckpoint(notes[len(notes)-1], v)
	if err != nil {
		return compliance.AuditEvidence{Detail: "latest checkpoint: signature does not verify"}
	}
	root, err := tlog.TreeHash(cp.Size, s.store.AuditHashReader(ctx))
	if err != nil {
		return compliance.AuditEvidence{Detail: "stored tree unreadable at the checkpoint's size"}
	}
	if root != cp.Root {
		return compliance.AuditEvidence{Detail: fmt.Sprintf("stored tree at size %d does not match the signed checkpoint", cp.Size)}
	}
	size, _ := s.store.AuditSize(ctx)
	return compliance.AuditEvidence{Verified: true, Detail: fmt.Sprintf("checkpoint %d signed by %s matches the stored tree (%d records); full recomputation: yuncang audit verify", cp.Size, cp.Origin, size)}
}

// coveringCheckpoint signs a fresh checkpoint when the server can (serve
// passes its checkpointer); otherwise the inspection names the latest stored.
func (s *Server) coveringCheckpoint(ctx context.Context) ([]byte, error) {
	if s.checkpoint == nil {
		return nil, nil
	}
	return s.checkpoint(ctx)
}

func (s *Server) complianceLedger(w http.ResponseWriter, r *http.Request) error {
	now := s.auth.Now()
	f, err := s.store.SecurityFacts(r.Context(), now.Add(-compliance.LedgerWindow), now)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, compliance.BuildLedger(f))
	return nil
}

// processingRegister answers the register as JSON, or as CSV with
// ?format=csv; every export is audited.
func (s *Server) processingRegister(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	if format != "" && format != "json" && format != "csv" {
		return yuncang.Invalid("format", "must be json or csv")
	}
	now := s.auth.Now()
	f, err := s.store.SecurityFacts(r.Context(), now.Add(-compliance.LedgerWindow), now)
	if err != nil {
		return err
	}
	reg := compliance.BuildRegister(f, s.RouteAccess())
	ev := actorEvent(r, yuncang.EventRegisterExport)
	ev.Detail = "processing register (" + map[bool]string{true: "csv", false: "json"}[format == "csv"] + ")"
	if err := s.store.RecordEvent(r.Context(), ev); err != nil {
		return err
	}
	if format == "csv" {
		b, err := reg.CSV()
		if err != nil {
			return yuncang.Internal(err, "register csv")
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="processing-register.csv"`)
		w.Write(b)
		return nil
	}
	writeJSON(w, http.StatusOK, reg)
	return nil
}

// RouteAccess is the route table as the processing register names it:
// each authenticated route and the roles its policy admits.
func (s *Server) RouteAccess() []compliance.RouteAccess {
	var out []compliance.RouteAccess
	for _, rt := range s.Routes() {
		if rt.Policy.Public || rt.Policy.Gateway {
			continue
		}
		out = append(out, compliance.RouteAccess{Route: rt.Pattern(), Summary: rt.Summary, Roles: rt.Policy.Roles})
	}
	return out
}

func (s *Server) listTraining(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.store.TrainingRecords(r.Context())
	if err != nil {
		return err
	}
	now := s.auth.Now()
	out := []TrainingJSON{}
	for _, t := range ts {
		out = append(out, trainingJSON(t, now))
	}
	writeList(w, out)
	return nil
}

func (s *Server) recordTraining(w http.ResponseWriter, r *http.Request) error {
	var req TrainingRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Username == "" {
		return yuncang.Invalid("username", "is required")
	}
	u, err := s.store.UserByUsername(r.Context(), req.Username)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return yuncang.Invalid("username", "no such account")
		}
		return err
	}
	if req.TrainedAt.After(s.auth.Now()) {
		return yuncang.Invalid("trained_at", "is in the future")
	}
	a := yuncang.ActorFromContext(r.Context())
	t := &yuncang.TrainingRecord{UserID: u.ID, Username: u.Username, Role: u.Role, Topic: req.Topic, TrainedAt: req.TrainedAt, ExpiresAt: req.ExpiresAt,
		RecordedBy: a.UserID, Note: req.Note}
	if err := t.Validate(); err != nil {
		return err
	}
	// Free text typed by staff is stored masked, like every other note: an
	// officer may paste who attended "for the parcel of 收件人王佳, 138…".
	t.Note = maskText(t.Note)
	ev := actorEvent(r, yuncang.EventTrainingRecord)
	ev.ActorID, ev.ActorName, ev.ActorRole = a.UserID, a.Username, a.Role
	ev.UserID, ev.Username, ev.Role = u.ID, u.Username, u.Role
	ev.Detail = fmt.Sprintf("%s trained %s, valid until %s", t.Topic, t.TrainedAt.UTC().Format("2006-01-02"), t.ExpiresAt.UTC().Format("2006-01-02"))
	if err := s.store.RecordTraining(r.Context(), t, ev); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, trainingJSON(t, s.auth.Now()))
	return nil
}

func (s *Server) runInspection(w http.ResponseWriter, r *http.Request) error {
	in, err := s.inspector()
	if err != nil {
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	rec, rep, err := in.Run(r.Context(), a.Username, a.UserID, actorEvent(r, yuncang.EventInspection))
	if err != nil {
		return err
	}
	out := inspectionJSON(rec)
	out.Checks = rep.Checks
	w.Header().Set("Location", fmt.Sprintf("/api/v1/compliance/inspections/%d/report", rec.ID))
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) listInspections(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.Inspections(r.Context())
	if err != nil {
		return err
	}
	out := []InspectionJSON{}
	for _, in := range list {
		out = append(out, inspectionJSON(in))
	}
	writeList(w, out)
	return nil
}

func (s *Server) inspectionByPath(r *http.Request) (*yuncang.Inspection, error) {
	id, err := strconv.ParseInt(r.PathValue("inspection"), 10, 64)
	if err != nil || id <= 0 {
		return nil, yuncang.Invalid("inspection", "must be a positive integer")
	}
	return s.store.InspectionByID(r.Context(), id)
}

func (s *Server) inspectionReport(w http.ResponseWriter, r *http.Request) error {
	in, err := s.inspectionByPath(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="inspection-%d.pdf"`, in.ID))
	w.Write(in.PDF)
	return nil
}

func (s *Server) inspectionSignature(w http.ResponseWriter, r *http.Request) error {
	in, err := s.inspectionByPath(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="inspection-%d.pdf.sig"`, in.ID))
	w.Write(in.Signature)
	return nil
}

func (s *Server) recordIncident(w http.ResponseWriter, r *http.Request) error {
	var req IncidentRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Actor == "" {
		return yuncang.Invalid("actor", "is required: the account whose actions are in question")
	}
	u, err := s.store.UserByUsername(r.Context(), req.Actor)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return yuncang.Invalid("actor", "no such account")
		}
		return err
	}
	a := yuncang.ActorFromContext(r.Context())
	in := &yuncang.Incident{OpenedBy: a.UserID, ActorID: u.ID, ActorName: u.Username, WindowStart: req.WindowStart, WindowEnd: req.WindowEnd,
		Cause: req.Cause, Categories: req.Categories, Harm: req.Harm, Remedies: req.Remedies, IndividualMeasures: req.IndividualMeasures, Contact: req.Contact}
	if err := compliance.ValidateIncident(in); err != nil {
		return err
	}
	if in.Categories == "" {
		in.Categories = compliance.DefaultCategories
	}
	if in.AffectedOrders, in.AffectedTenants, err = s.store.AffectedOrders(r.Context(), u.ID, in.WindowStart, in.WindowEnd); err != nil {
		return err
	}
	ev := actorEvent(r, yuncang.EventIncident)
	ev.Detail = fmt.Sprintf("incident: account %s, %s..%s, %d orders affected, %d merchants; notice drafted", u.Username,
		in.WindowStart.UTC().Format("2006-01-02T15:04Z"), in.WindowEnd.UTC().Format("2006-01-02T15:04Z"), in.AffectedOrders, len(in.AffectedTenants))
	if err := s.store.CreateIncident(r.Context(), in, ev); err != nil {
		return err
	}
	out, err := s.incidentJSON(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) incidentJSON(ctx context.Context, in *yuncang.Incident) (IncidentJSON, error) {
	merchants := []string{}
	for _, id := range in.AffectedTenants {
		t, err := s.store.TenantByID(ctx, id)
		if err != nil {
			return IncidentJSON{}, err
		}
		merchants = append(merchants, t.Code)
	}
	return IncidentJSON{ID: in.ID, OpenedAt: in.OpenedAt, Actor: in.ActorName, WindowStart: in.WindowStart, WindowEnd: in.WindowEnd, Cause: in.Cause,
		Categories: in.Categories, Harm: in.Harm, Remedies: in.Remedies, IndividualMeasures: in.IndividualMeasures, Contact: in.Contact,
		AffectedOrders: in.AffectedOrders, AffectedMerchants: merchants, Notice: compliance.DraftNotice(in, merchants)}, nil
}

func (s *Server) listIncidents(w http.ResponseWriter, r *http.Request) error {
	list, err := s.store.Incidents(r.Context())
	if err != nil {
		return err
	}
	out := []IncidentJSON{}
	for _, in := range list {
		j, err := s.incidentJSON(r.Context(), in)
		if err != nil {
			return err
		}
		out = append(out, j)
	}
	writeList(w, out)
	return nil
}

func (s *Server) getIncident(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("incident"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("incident", "must be a positive integer")
	}
	in, err := s.store.IncidentByID(r.Context(), id)
	if err != nil {
		return err
	}
	out, err := s.incidentJSON(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// registerComplianceRoutes: the ledger, register, training, inspections and
// incidents are the security officer's; the auditor reads them all.
func (s *Server) registerComplianceRoutes() {
	const (
		pa = yuncang.RolePlatformAdmin
		so = yuncang.RoleSecurityOfficer
		au = yuncang.RoleAuditor
	)
	read := Policy{Roles: roles(so, au)}
	s.handle("GET", "/api/v1/compliance/ledger", "compliance", "The security ledger (台账), computed from the system as it stands", read, s.complianceLedger)
	s.handle("GET", "/api/v1/compliance/register", "compliance", "The processing register (GB/T 35273 §11.3) from the configuration; ?format=csv", read, s.processingRegister)
	s.handle("GET", "/api/v1/compliance/training", "compliance", "Training records: who was trained on what, until when", read, s.listTraining)
	s.handle("POST", "/api/v1/compliance/training", "compliance", "Record a person's training (revealing needs current personal-data training)",
		Policy{Roles: roles(pa, so), StepUp: true}, s.recordTraining)
	s.handle("POST", "/api/v1/compliance/inspections", "compliance", "Run a special inspection (专项检查): signed PDF report with its evidence and covering checkpoint",
		Policy{Roles: roles(so), StepUp: true}, s.runInspection)
	s.handle("GET", "/api/v1/compliance/inspections", "compliance", "List special inspections", read, s.listInspections)
	s.handle("GET", "/api/v1/compliance/inspections/{inspection}/report", "compliance", "An inspection's PDF report", read, s.inspectionReport)
	s.handle("GET", "/api/v1/compliance/inspections/{inspection}/signature", "compliance", "An inspection report's detached signature (a signed note)", read, s.inspectionSignature)
	s.handle("POST", "/api/v1/compliance/incidents", "compliance", "Record a breach: affected records from the audit log, the art. 57 notice drafted",
		Policy{Roles: roles(so), StepUp: true}, s.recordIncident)
	s.handle("GET", "/api/v1/compliance/incidents", "compliance", "List incidents with their notices", read, s.listIncidents)
	s.handle("GET", "/api/v1/compliance/incidents/{incident}", "compliance", "One incident with its notices", read, s.getIncident)
}
