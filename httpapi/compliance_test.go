package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/compliance"
	"github.com/yuncang/yuncang/httpapi"
)

// The compliance routes in the authorization matrix: the security officer
// runs them, the auditor reads them; recording training also the platform
// admin. None is tenant- or warehouse-scoped.
func init() {
	for p, rs := range map[string][]string{
		"GET /api/v1/compliance/ledger":                             {so, au},
		"GET /api/v1/compliance/register":                           {so, au},
		"GET /api/v1/compliance/training":                           {so, au},
		"POST /api/v1/compliance/training":                          {pa, so},
		"POST /api/v1/compliance/inspections":                       {so},
		"GET /api/v1/compliance/inspections":                        {so, au},
		"GET /api/v1/compliance/inspections/{inspection}/report":    {so, au},
		"GET /api/v1/compliance/inspections/{inspection}/signature": {so, au},
		"POST /api/v1/compliance/incidents":                         {so},
		"GET /api/v1/compliance/incidents":                          {so, au},
		"GET /api/v1/compliance/incidents/{incident}":               {so, au},
	} {
		allowed[p] = rs
	}
	sampleBodies["POST /api/v1/compliance/training"] = func(role string, n int) string {
		return `{"username":"operator","topic":"security_awareness","trained_at":"2026-11-20T00:00:00Z","expires_at":"2027-11-20T00:00:00Z"}`
	}
	sampleBodies["POST /api/v1/compliance/incidents"] = func(role string, n int) string { return incidentBody("customer_service") }
}

// sampleBodies holds sample request bodies that files other than
// authz_test.go add for their routes.
var sampleBodies = map[string]func(role string, n int) string{}

func incidentBody(actor string) string {
	return fmt.Sprintf(`{"actor":%q,"window_start":"2026-11-27T00:00:00Z","window_end":"2026-11-29T00:00:00Z","cause":"a stolen session on a desk PC",
		"harm":"fraud calls to the recipients","remedies":"sessions revoked, desk re-imaged","individual_measures":"do not pay anyone calling about a parcel",
		"contact":"security office, 0579-0000 ext 1"}`, actor)
}

// inspectionKey makes an inspection key pair for a test server.
func inspectionKey(t *testing.T) (note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := audit.GenerateKey(compliance.DefaultKeyOrigin)
	must(t, err)
	s, err := audit.NewSigner(skey)
	must(t, err)
	v, err := audit.NewVerifier(vkey)
	must(t, err)
	return s, v
}

// train records current personal-data training for an account of a
// revealing role, as its security officer would; accounts named
// "untrained-…" are left without.
func (f *fixture) train(t *testing.T, u *yuncang.User) {
	t.Helper()
	if !yuncang.CanRevealPI(u.Role) || strings.HasPrefix(u.Username, "untrained-") {
		return
	}
	now := f.clock.Now()
	must(t, f.db.RecordTraining(context.Background(), &yuncang.TrainingRecord{UserID: u.ID, Topic: yuncang.TrainingPersonalData,
		TrainedAt: now.Add(-24 * time.Hour), ExpiresAt: now.Add(300 * 24 * time.Hour), RecordedBy: 1}, nil))
}

// inspectionRow runs an inspection as the security officer.
func (m *matrixFixture) inspectionRow(t *testing.T) int64 {
	t.Helper()
	var in httpapi.InspectionJSON
	m.setup(t, 201, "POST", "/api/v1/compliance/inspections", "security_officer", "", &in)
	return in.ID
}

// incidentRow records an incident as the security officer.
func (m *matrixFixture) incidentRow(t *testing.T) int64 {
	t.Helper()
	var in httpapi.IncidentJSON
	m.setup(t, 201, "POST", "/api/v1/compliance/incidents", "security_officer", incidentBody("customer_service"), &in)
	return in.ID
}

func (f *fixture) revealIn(t *testing.T, key string, order int64, tenant string) int {
	t.Helper()
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=%s", order, tenant), f.tokens[key],
		`{"purpose":"delivery_exception","note":"courier cannot find the door"}`, "X-Yuncang-Device", f.desks[f.tokens[key]])
	return rec.Code
}

// An account that can reveal but holds no current training is refused,
// with the reason, and the refusal is audited; once a security officer
// records the training, the same reveal works.
func TestUntrainedRevealRefused(t *testing.T) {
	f := newFixture(t)
	u := &yuncang.User{Username: "untrained-cs", Role: yuncang.RoleCustomerService}
	f.addUser(t, u, mustHash(t, f.password), "untrained-cs")
	rec := f.do(t, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", f.orderA), f.tokens["untrained-cs"],
		`{"purpose":"delivery_exception","note":"courier cannot find the door"}`, "X-Yuncang-Device", f.desks[f.tokens["untrained-cs"]])
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), `"training"`) || strings.Contains(rec.Body.String(), "欧阳") {
		t.Fatalf("untrained reveal: %d %s", rec.Code, rec.Body)
	}
	evs, err := f.db.Events(context.Background(), yuncang.EventFilter{UserID: u.ID, Kind: yuncang.EventAccessDenied})
	must(t, err)
	if len(evs) != 1 || !strings.Contains(evs[0].Detail, "training") {
		t.Fatalf("refusal not audited: %+v", evs)
	}
	if reveals, _ := f.db.Events(context.Background(), yuncang.EventFilter{UserID: u.ID, Kind: yuncang.EventReveal}); len(reveals) != 0 {
		t.Fatalf("a refused reveal was recorded as a reveal: %+v", reveals)
	}
	// A security awareness course is not the personal-data one.
	body := func(topic string) string {
		return fmt.Sprintf(`{"username":"untrained-cs","topic":%q,"trained_at":"2026-11-27T00:00:00Z","expires_at":"2027-11-27T00:00:00Z"}`, topic)
	}
	if rec := f.do(t, "POST", "/api/v1/compliance/training", f.tokens["security_officer"], body("security_awareness")); rec.Code != 201 {
		t.Fatalf("record training: %d %s", rec.Code, rec.Body)
	}
	if code := f.revealIn(t, "untrained-cs", f.orderA, "ta"); code != 403 {
		t.Fatalf("reveal with another topic's training: %d", code)
	}
	for _, bad := range []struct{ body, field string }{
		{`{"username":"nobody","topic":"personal_data_protection","trained_at":"2026-11-27T00:00:00Z","expires_at":"2027-11-27T00:00:00Z"}`, "username"},
		{`{"username":"untrained-cs","topic":"cooking","trained_at":"2026-11-27T00:00:00Z","expires_at":"2027-11-27T00:00:00Z"}`, "topic"},
		{`{"username":"untrained-cs","topic":"personal_data_protection","trained_at":"2026-11-27T00:00:00Z","expires_at":"2026-11-26T00:00:00Z"}`, "expires_at"},
		{`{"username":"untrained-cs","topic":"personal_data_protection","trained_at":"2026-11-27T00:00:00Z","expires_at":"2028-11-27T00:00:00Z"}`, "expires_at"},
		{`{"username":"untrained-cs","topic":"personal_data_protection","trained_at":"2027-11-27T00:00:00Z","expires_at":"2027-12-27T00:00:00Z"}`, "trained_at"},
	} {
		rec := f.do(t, "POST", "/api/v1/compliance/training", f.tokens["security_officer"], bad.body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"`+bad.field+`"`) {
			t.Errorf("bad training %s: %d %s", bad.body, rec.Code, rec.Body)
		}
	}
	if code := f.revealIn(t, "untrained-cs", f.orderA, "ta"); code != 403 {
		t.Fatalf("a refused training request changed something: %d", code)
	}
	if rec := f.do(t, "POST", "/api/v1/compliance/training", f.tokens["security_officer"], body("personal_data_protection")); rec.Code != 201 {
		t.Fatalf("record training: %d %s", rec.Code, rec.Body)
	}
	if code := f.revealIn(t, "untrained-cs", f.orderA, "ta"); code != 200 {
		t.Fatalf("trained reveal: %d", code)
	}
	evs, err = f.db.Events(context.Background(), yuncang.EventFilter{UserID: u.ID, Kind: yuncang.EventTrainingRecord})
	must(t, err)
	if len(evs) != 2 || evs[0].ActorName != "security_officer" {
		t.Fatalf("training not audited as the officer's act: %+v", evs)
	}
	// Training runs out: a year later the reveal is refused again.
	f.clock.Advance(366 * 24 * time.Hour)
	if ok, err := f.db.TrainedFor(context.Background(), u.ID, yuncang.TrainingPersonalData, f.clock.Now()); err != nil || ok {
		t.Fatalf("expired training still counts: %v %v", ok, err)
	}
}

// The ledger's figures match a seeded scenario: an untrained revealing
// account, an offboarded person whose desk is still enrolled, reveals by
// purpose; the inspection fails the matching controls, its PDF reads back
// with each control, and its signature breaks when one byte changes.
func TestLedgerAndInspection(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.addUser(t, &yuncang.User{Username: "untrained-ms", Role: yuncang.RoleMerchantStaff, TenantID: f.a.ID, ManagerID: f.users["merchant_admin-ta"].ID}, mustHash(t, f.password), "untrained-ms@ta")
	for _, o := range []struct {
		order  int64
		tenant string
	}{{f.orderA, "ta"}, {f.orderA, "ta"}, {f.orderB, "tb"}} {
		if code := f.revealIn(t, "customer_service", o.order, o.tenant); code != 200 {
			t.Fatalf("reveal: %d", code)
		}
	}
	leaver := f.users["merchant_staff-tb"]
	must(t, f.db.Disable(ctx, leaver.ID, "offboarded: left the company", f.clock.Now(), nil))
	f.checkpoint(t)

	var l compliance.Ledger
	rec := f.do(t, "GET", "/api/v1/compliance/ledger", f.tokens["auditor"], "")
	if rec.Code != 200 {
		t.Fatalf("ledger: %d %s", rec.Code, rec.Body)
	}
	must(t, json.Unmarshal(rec.Body.Bytes(), &l))
	if got := l.RevealsByPurpose[yuncang.PurposeDeliveryException]; got != 3 {
		t.Errorf("reveals for delivery exceptions: %d, want 3", got)
	}
	if len(l.UntrainedReveal) != 1 || l.UntrainedReveal[0].Username != "untrained-ms" {
		t.Errorf("untrained revealing accounts: %+v", l.UntrainedReveal)
	}
	if len(l.DepartedLive) != 1 || l.DepartedLive[0].Username != "merchant_staff-tb" || len(l.DepartedLive[0].Devices) != 1 || l.DepartedLive[0].Sessions != 0 {
		t.Errorf("departed with live access: %+v", l.DepartedLive)
	}
	if l.DevicesByKind[yuncang.DeviceOfficeDesk] == 0 || l.AuditSize == 0 || l.CheckpointSize != l.AuditSize {
		t.Errorf("devices %v, audit %d, checkpoint %d", l.DevicesByKind, l.AuditSize, l.CheckpointSize)
	}

	var in httpapi.InspectionJSON
	rec = f.do(t, "POST", "/api/v1/compliance/inspections", f.tokens["security_officer"], "")
	if rec.Code != 201 {
		t.Fatalf("inspection: %d %s", rec.Code, rec.Body)
	}
	must(t, json.Unmarshal(rec.Body.Bytes(), &in))
	results := map[string]string{}
	for _, c := range in.Checks {
		results[c.ID] = c.Result
	}
	for id, want := range map[string]string{"C01": compliance.Pass, "C03": compliance.Fail, "C07": compliance.Fail, "C09": compliance.Pass, "C10": compliance.Pass, "C17": compliance.Pass} {
		if results[id] != want {
			t.Errorf("%s: %q, want %q", id, results[id], want)
		}
	}
	if in.Failed != 2 || in.RunBy != "security_officer" {
		t.Errorf("inspection: %+v", in)
	}
	pdf := f.do(t, "GET", fmt.Sprintf("/api/v1/compliance/inspections/%d/report", in.ID), f.tokens["auditor"], "")
	sig := f.do(t, "GET", fmt.Sprintf("/api/v1/compliance/inspections/%d/signature", in.ID), f.tokens["auditor"], "")
	if pdf.Code != 200 || sig.Code != 200 || pdf.Header().Get("Content-Type") != "application/pdf" {
		t.Fatalf("report %d, signature %d", pdf.Code, sig.Code)
	}
	if _, err := compliance.VerifyReport(pdf.Body.Bytes(), sig.Body.Bytes(), f.inspection); err != nil {
		t.Fatalf("verify: %v", err)
	}
	bad := append([]byte(nil), pdf.Body.Bytes()...)
	bad[len(bad)/3] ^= 0x20
	if _, err := compliance.VerifyReport(bad, sig.Body.Bytes(), f.inspection); !errors.Is(err, compliance.ErrReportModified) {
		t.Errorf("one byte changed: %v", err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		path := filepath.Join(t.TempDir(), "r.pdf")
		must(t, os.WriteFile(path, pdf.Body.Bytes(), 0o600))
		out, err := exec.Command("pdftotext", path, "-").Output()
		must(t, err)
		text := strings.Join(strings.Fields(string(out)), " ")
		for _, c := range in.Checks {
			if !strings.Contains(text, c.ID+" "+strings.ToUpper(c.Result)) || !strings.Contains(text, c.Title) {
				t.Errorf("report lacks %s %s %s", c.ID, c.Result, c.Title)
			}
		}
		for _, want := range []string{"untrained-ms", "merchant_staff-tb", "yuncang-test/audit"} {
			if !strings.Contains(text, want) {
				t.Errorf("report lacks %q", want)
			}
		}
	}
	evs, err := f.db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventInspection})
	must(t, err)
	if len(evs) != 1 || !strings.Contains(evs[0].Detail, "fail 2") {
		t.Errorf("inspection not audited: %+v", evs)
	}
}

// A breach's affected records are counted from the audit log: distinct
// orders the account revealed in the window, and their merchants.
func TestIncidentEstimatesFromAudit(t *testing.T) {
	f := newFixture(t)
	for _, o := range []struct {
		order  int64
		tenant string
	}{{f.orderA, "ta"}, {f.orderA, "ta"}, {f.orderB, "tb"}} {
		if code := f.revealIn(t, "customer_service", o.order, o.tenant); code != 200 {
			t.Fatalf("reveal: %d", code)
		}
	}
	f.revealIn(t, "merchant_staff@ta", f.orderA, "ta") // someone else's reveal is not counted
	rec := f.do(t, "POST", "/api/v1/compliance/incidents", f.tokens["security_officer"], incidentBody("customer_service"))
	if rec.Code != 201 {
		t.Fatalf("incident: %d %s", rec.Code, rec.Body)
	}
	var in httpapi.IncidentJSON
	must(t, json.Unmarshal(rec.Body.Bytes(), &in))
	if in.AffectedOrders != 2 || strings.Join(in.AffectedMerchants, ",") != "ta,tb" {
		t.Errorf("affected: %d orders, merchants %v", in.AffectedOrders, in.AffectedMerchants)
	}
	for _, want := range []string{"2 个订单", "stolen session", "fraud calls", "sessions revoked", "do not pay", "0579-0000", "ta, tb"} {
		if !strings.Contains(in.Notice.ToMerchants, want) {
			t.Errorf("notice lacks %q", want)
		}
	}
	outside := strings.Replace(incidentBody("customer_service"), "2026-11-29", "2026-11-28", 1)
	outside = strings.Replace(outside, "2026-11-27", "2026-11-20", 1)
	rec = f.do(t, "POST", "/api/v1/compliance/incidents", f.tokens["security_officer"], outside)
	must(t, json.Unmarshal(rec.Body.Bytes(), &in))
	if rec.Code != 201 || in.AffectedOrders != 0 {
		t.Errorf("a window before the reveals: %d, %d orders", rec.Code, in.AffectedOrders)
	}
	for _, bad := range []struct{ from, to, field string }{
		{`"actor":"customer_service"`, `"actor":"nobody"`, "actor"},
		{`"contact":"security office, 0579-0000 ext 1"`, `"contact":""`, "contact"},
		{`"window_end":"2026-11-29T00:00:00Z"`, `"window_end":"2026-11-26T00:00:00Z"`, "window_end"},
	} {
		rec := f.do(t, "POST", "/api/v1/compliance/incidents", f.tokens["security_officer"], strings.Replace(incidentBody("customer_service"), bad.from, bad.to, 1))
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"field":"`+bad.field+`"`) {
			t.Errorf("bad incident (%s): %d %s", bad.field, rec.Code, rec.Body)
		}
	}
	var list struct {
		Incidents []httpapi.IncidentJSON `json:"items"`
	}
	rec = f.do(t, "GET", "/api/v1/compliance/incidents", f.tokens["auditor"], "")
	must(t, json.Unmarshal(rec.Body.Bytes(), &list))
	if len(list.Incidents) != 2 {
		t.Errorf("incidents: %d, want 2 (refused ones change nothing)", len(list.Incidents))
	}
	evs, err := f.db.Events(context.Background(), yuncang.EventFilter{Kind: yuncang.EventIncident})
	must(t, err)
	if len(evs) != 2 || !strings.Contains(evs[1].Detail, "2 orders affected") {
		t.Errorf("incidents not audited: %+v", evs)
	}
}

// The register is generated from the route table and configuration.
func TestProcessingRegister(t *testing.T) {
	f := newFixture(t)
	var reg compliance.Register
	rec := f.do(t, "GET", "/api/v1/compliance/register", f.tokens["auditor"], "")
	must(t, json.Unmarshal(rec.Body.Bytes(), &reg))
	found := false
	for _, r := range reg.Roles {
		if r.Role == yuncang.RoleCustomerService {
			found = r.CanReveal && strings.Contains(strings.Join(r.Routes, " "), "POST /api/v1/orders/{id}/reveal")
		}
		if r.Role == yuncang.RoleAuditor && strings.Contains(strings.Join(r.Routes, " "), "reveal") {
			t.Error("the register lets the auditor reveal")
		}
	}
	if !found || len(reg.Retention) != 2 || reg.Retention[0].Days != yuncang.DefaultRetentionDays {
		t.Errorf("register: %+v", reg)
	}
	rec = f.do(t, "GET", "/api/v1/compliance/register?format=csv", f.tokens["security_officer"], "")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "retention,ta,days_after_delivery,30") {
		t.Errorf("csv: %d %s", rec.Code, rec.Body)
	}
	if rec := f.do(t, "GET", "/api/v1/compliance/register?format=xml", f.tokens["security_officer"], ""); rec.Code != 400 {
		t.Errorf("format xml: %d", rec.Code)
	}
	evs, _ := f.db.Events(context.Background(), yuncang.EventFilter{Kind: yuncang.EventRegisterExport})
	if len(evs) != 2 {
		t.Errorf("register exports audited: %d, want 2", len(evs))
	}
}

func mustHash(t *testing.T, password string) string {
	t.Helper()
	h, err := auth.HashPassword(password)
	must(t, err)
	return h
}

// Without an inspection key the server refuses to run one, saying how to
// configure it, and stores nothing.
func TestInspectionNeedsKey(t *testing.T) {
	f := newFixtureConfig(t, nil, func(c *httpapi.Config) { c.InspectionSigner = nil })
	rec := f.do(t, "POST", "/api/v1/compliance/inspections", f.tokens["security_officer"], "")
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "YUNCANG_INSPECTION_SIGNER_KEY") {
		t.Fatalf("no key: %d %s", rec.Code, rec.Body)
	}
	if list, err := f.db.Inspections(context.Background()); err != nil || len(list) != 0 {
		t.Fatalf("inspections stored: %v %v", list, err)
	}
}
