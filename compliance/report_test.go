package compliance

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/label"
)

// scenario is a small system: one revealing agent without training, one
// trained; a departed packer with a live session; a temporary hire past
// its end; a stale gateway; an old high alert.
func scenario(now time.Time) *yuncang.SecurityFacts {
	day := 24 * time.Hour
	return &yuncang.SecurityFacts{At: now, Since: now.Add(-LedgerWindow),
		Users: []*yuncang.User{
			{ID: 1, Username: "security1", Role: yuncang.RoleSecurityOfficer, Status: yuncang.UserActive, HasTOTP: true, CreatedAt: now.Add(-10 * day)},
			{ID: 2, Username: "cs-trained", Role: yuncang.RoleCustomerService, Status: yuncang.UserActive, HasTOTP: true, CreatedAt: now.Add(-10 * day)},
			{ID: 3, Username: "cs-untrained", Role: yuncang.RoleCustomerService, Status: yuncang.UserActive, HasTOTP: false, CreatedAt: now.Add(-100 * day)},
			{ID: 4, Username: "packer-left", Role: yuncang.RoleOperator, Status: yuncang.UserDisabled, DisabledReason: "offboarded", CreatedAt: now.Add(-10 * day)},
			{ID: 5, Username: "temp-late", Role: yuncang.RoleOperator, Status: yuncang.UserActive, HasTOTP: true, EmploymentType: yuncang.EmploymentTemporary,
				EndAt: now.Add(-2 * time.Hour), CreatedAt: now.Add(-10 * day)},
		},
		LiveSessions: map[int64]int{4: 1}, LiveTokens: map[int64]int{},
		Devices: []*yuncang.Device{
			{ID: 10, Code: "GW-1", Kind: yuncang.DevicePrintGateway, WarehouseID: 1, EnrolledAt: now.Add(-20 * day)},
			{ID: 11, Code: "DESK-1", Kind: yuncang.DeviceOfficeDesk, WarehouseID: 1, AssignedTo: 2, EnrolledAt: now.Add(-20 * day)},
		},
		GatewaySeen: map[int64]time.Time{10: now.Add(-9 * day)},
		QuotaGrants: []*yuncang.QuotaGrant{{ID: 1, UserID: 2, Extra: 5, RequestedBy: 1, ApprovedBy: 9}},
		Approvals:   map[string]int{"applied": 2},
		Alerts: []*yuncang.Alert{{ID: 7, At: now.Add(-5 * day), Username: "cs-untrained", Rule: "night", Severity: "suspend", Status: yuncang.AlertOpen},
			{ID: 8, At: now.Add(-1 * day), Rule: "volume", Severity: "alert", Status: yuncang.AlertDismissed}},
		RevealsByPurpose: map[string]int{yuncang.PurposeDeliveryException: 3},
		Reprints:         2,
		Training: []*yuncang.TrainingRecord{{UserID: 2, Username: "cs-trained", Role: yuncang.RoleCustomerService, Topic: yuncang.TrainingPersonalData,
			TrainedAt: now.Add(-day), ExpiresAt: now.Add(300 * day)}},
		Tenants:   []*yuncang.Tenant{{ID: 1, Code: "m1", Name: "商家一"}},
		Retention: map[int64]int{1: yuncang.DefaultRetentionDays},
		AuditSize: 40,
	}
}

func TestLedgerFromScenario(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	l := BuildLedger(scenario(now))
	names := func(as []Account) string {
		var s []string
		for _, a := range as {
			s = append(s, a.Username)
		}
		return strings.Join(s, ",")
	}
	for what, got := range map[string]string{
		"without second factor": names(l.WithoutSecondFactor),
		"past review":           names(l.PastReview),
		"temporary":             names(l.Temporary),
		"untrained":             names(l.UntrainedReveal),
		"stale gateways":        strings.Join(l.StaleGateways, ","),
	} {
		want := map[string]string{"without second factor": "cs-untrained", "past review": "cs-untrained", "temporary": "temp-late",
			"untrained": "cs-untrained", "stale gateways": "GW-1"}[what]
		if got != want {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	if len(l.DepartedLive) != 1 || l.DepartedLive[0].Username != "packer-left" || l.DepartedLive[0].Sessions != 1 {
		t.Errorf("departed: %+v", l.DepartedLive)
	}
	if l.AlertsOpen != 1 || l.AlertsClosed != 1 || len(l.OpenHigh) != 1 || l.ActiveAccounts != 4 {
		t.Errorf("alerts open %d closed %d high %d, active %d", l.AlertsOpen, l.AlertsClosed, len(l.OpenHigh), l.ActiveAccounts)
	}
	results := map[string]string{}
	for _, c := range Inspect(l, AuditEvidence{Verified: true, Detail: "ok"}, map[int64]int{1: 30}) {
		results[c.ID] = c.Result
	}
	for id, want := range map[string]string{"C01": Fail, "C02": Pass, "C03": Fail, "C04": Fail, "C06": Warn, "C07": Fail, "C09": Pass,
		"C10": Fail, "C11": Fail, "C13": Pass, "C15": Warn, "C17": Pass} {
		if results[id] != want {
			t.Errorf("%s: %s, want %s", id, results[id], want)
		}
	}
}

// An account a few minutes past its end, before the sweep ran, is a
// warning; hours past it, a failure.
func TestTemporaryPastEnd(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		past time.Duration
		want string
	}{{-time.Hour, Pass}, {10 * time.Minute, Warn}, {2 * time.Hour, Fail}} {
		f := scenario(now)
		f.Users[4].EndAt = now.Add(-c.past)
		for _, ch := range Inspect(BuildLedger(f), AuditEvidence{}, nil) {
			if ch.ID == "C04" && ch.Result != c.want {
				t.Errorf("%s past the end: %s, want %s", c.past, ch.Result, c.want)
			}
		}
	}
}

func newKey(t *testing.T) (note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := audit.GenerateKey(DefaultKeyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	s, err := audit.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := audit.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

// The report read back with pdftotext names each control, its result and
// its evidence; the signature verifies, and fails after any one byte of
// the PDF is changed.
func TestReportPDFAndSignature(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	font, _, err := label.ReportFont("")
	if err != nil {
		t.Fatal(err)
	}
	l := BuildLedger(scenario(now))
	cp := []byte("yuncang-test/audit\n40\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntime 2026-12-02T11:59:00.000000Z\n\n— yuncang-test/audit sig\n")
	r := &Report{RunAt: now, Officer: "security1", System: "test", Checks: Inspect(l, AuditEvidence{Verified: true, Detail: "40 records, root ok"}, map[int64]int{1: 30}),
		Ledger: l, Checkpoint: cp}
	pdf, err := RenderPDF(r, font)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := RenderPDF(r, font)
	if string(again) != string(pdf) {
		t.Error("the same report rendered twice gives different bytes")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, c := range r.Checks {
		for _, want := range []string{c.ID + " " + strings.ToUpper(c.Result), c.Title, strings.Join(strings.Fields(c.Evidence), " ")[:min(40, len(c.Evidence))]} {
			if !strings.Contains(text, want) {
				t.Errorf("report text lacks %q", want)
			}
		}
	}
	for _, want := range []string{"专项检查报告", "yuncang-test/audit", "security1", "packer-left"} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	s, v := newKey(t)
	sig, err := SignReport(s, pdf, r)
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyReport(pdf, sig, v)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	if got.Officer != "security1" || !strings.HasPrefix(got.Checkpoint, "yuncang-test/audit 40 ") {
		t.Errorf("signed: %+v", got)
	}
	for _, i := range []int{0, len(pdf) / 2, len(pdf) - 1} {
		bad := append([]byte(nil), pdf...)
		bad[i] ^= 1
		if _, err := VerifyReport(bad, sig, v); !errors.Is(err, ErrReportModified) {
			t.Errorf("byte %d changed: %v, want ErrReportModified", i, err)
		}
	}
	badSig := []byte(strings.Replace(string(sig), "officer security1", "officer security2", 1))
	if _, err := VerifyReport(pdf, badSig, v); err == nil {
		t.Error("an edited signature verified")
	}
	_, other := newKey(t)
	if _, err := VerifyReport(pdf, sig, other); err == nil {
		t.Error("verified with another key")
	}
}

func TestNoticeHasArticle57Content(t *testing.T) {
	in := &yuncang.Incident{ID: 3, ActorID: 2, ActorName: "cs9", WindowStart: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		WindowEnd: time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), Cause: "stolen session", Harm: "fraud calls", Remedies: "account suspended",
		IndividualMeasures: "ignore calls asking for payment", Contact: "dpo@example.com", AffectedOrders: 17}
	if err := ValidateIncident(in); err != nil {
		t.Fatal(err)
	}
	n := DraftNotice(in, []string{"m1"})
	for _, want := range []string{"信息种类", DefaultCategories, "17 个订单", "stolen session", "fraud calls", "account suspended", "ignore calls", "dpo@example.com", "m1"} {
		if !strings.Contains(n.ToMerchants, want) {
			t.Errorf("notice to merchants lacks %q", want)
		}
	}
	if !strings.Contains(n.ToAuthorities, "网信") {
		t.Error("notice to authorities is not addressed to them")
	}
	in.Contact = ""
	if err := ValidateIncident(in); yuncang.ErrorCode(err) != yuncang.EINVALID {
		t.Errorf("missing contact: %v", err)
	}
}
