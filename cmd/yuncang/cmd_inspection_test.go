package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/compliance"
)

var updateSample = flag.Bool("update-compliance-sample", false, "rewrite the sample inspection report in docs/compliance")

// TestInspectionRunAndVerify runs `yuncang inspection run` on the demo data
// set, reads the report back with pdftotext, verifies it with `yuncang
// inspection verify`, and checks that one changed byte fails verification.
// With -update-compliance-sample it writes the sample in docs/compliance.
func TestInspectionRunAndVerify(t *testing.T) {
	useDB(t)
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	db := openTestStore(t)
	ctx := context.Background()
	if _, err := seedDemo(ctx, db, auth.New(db, db.Vault()), 40); err != nil {
		t.Fatal(err)
	}
	// A week of findings: reveals for listed purposes, a reprint, cs1 left
	// (offboarded) but its desk is still enrolled, an alert that suspended
	// someone five days ago is still open.
	cs1, err := db.UserByUsername(ctx, "cs1")
	if err != nil {
		t.Fatal(err)
	}
	now := db.Now()
	var evs []*yuncang.Event
	for i, p := range []string{yuncang.PurposeDeliveryException, yuncang.PurposeDeliveryException, yuncang.PurposeCustomerCallback, yuncang.PurposeReturn} {
		evs = append(evs, &yuncang.Event{At: now.Add(-time.Duration(i+1) * 24 * time.Hour), UserID: cs1.ID, Username: cs1.Username, Role: cs1.Role,
			Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: p, Targets: []string{fmt.Sprintf("order:%d", i+1)}, Detail: "note: 派送异常"})
	}
	evs = append(evs, &yuncang.Event{At: now.Add(-2 * time.Hour), UserID: cs1.ID, Username: "operator1", Role: yuncang.RoleOperator,
		Kind: yuncang.EventKindLabelReprint, Outcome: yuncang.OutcomeOK, Targets: []string{"shipment:1"}, Detail: "reason: damaged"})
	if err := db.AppendEvents(ctx, evs); err != nil {
		t.Fatal(err)
	}
	if err := db.Disable(ctx, cs1.ID, "offboarded: contract ended", now, nil); err != nil {
		t.Fatal(err)
	}
	al := &yuncang.Alert{At: now.Add(-5 * 24 * time.Hour), UserID: cs1.ID, Username: cs1.Username, Role: cs1.Role, Rule: "night", Severity: "suspend",
		Response: "suspended", Detail: "4 reveals at night", Status: yuncang.AlertOpen}
	if err := db.RecordAlert(ctx, al, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	skey, vkey, err := audit.GenerateKey(compliance.DefaultKeyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("YUNCANG_INSPECTION_SIGNER_KEY", skey)
	t.Setenv("YUNCANG_INSPECTION_SIGNER_KEY_FILE", "")
	t.Setenv("YUNCANG_INSPECTION_VERIFIER_KEY", "")
	t.Setenv("YUNCANG_INSPECTION_VERIFIER_KEY_FILE", "")
	dir := t.TempDir()
	report := filepath.Join(dir, "report.pdf")
	if code, _, e := runCmd(t, "", "inspection", "run", "--officer", "operator1", "--out", report); code == 0 || !strings.Contains(e, "security_officer") {
		t.Fatalf("an operator ran an inspection: %d %q", code, e)
	}
	code, out, e := runCmd(t, "", "inspection", "run", "--officer", "security1", "--out", report)
	if code != 0 {
		t.Fatalf("inspection run: %d %q %q", code, out, e)
	}
	for _, want := range []string{"C01 pass", "C03 fail", "1 departed with live access: cs1 (sessions 0, tokens 0, devices YW01-CS-01)", "C07 pass", "C09 pass",
		"recomputed", "C10 pass", "C11 fail", "C12 warn", "reveals by purpose: customer_callback 1, delivery_exception 2, return 1; refused 0; reprints 1", "inspection 1:"} {
		if !strings.Contains(out, want) {
			t.Errorf("inspection run output lacks %q:\n%s", want, out)
		}
	}
	if code, out, e := runCmd(t, "", "inspection", "verify", "--key", vkey, report); code != 0 || !strings.Contains(out, "OK: report signed by yuncang/inspection") {
		t.Fatalf("verify: %d %q %q", code, out, e)
	}
	pubDir := os.Getenv("YUNCANG_AUDIT_PUBLISH_DIR")
	if code, out, e := runCmd(t, "", "inspection", "verify", "--key", vkey, "--published", pubDir, report); code != 0 || !strings.Contains(out, "covering checkpoint found") {
		t.Fatalf("verify with the published checkpoints: %d %q %q", code, out, e)
	}
	_, otherAudit, _ := audit.GenerateKey("yuncang-test/audit")
	if code, _, e := runCmd(t, "", "inspection", "verify", "--key", vkey, "--published", pubDir, "--audit-key", otherAudit, report); code == 0 {
		t.Errorf("the covering checkpoint verified with another audit key: %q", e)
	}
	if code, _, e := runCmd(t, "", "inspection", "verify", "--key", vkey, "--published", t.TempDir(), report); code == 0 || !strings.Contains(e, "not among") {
		t.Errorf("verified without the covering checkpoint published: %d %q", code, e)
	}
	pdf, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		txt, err := exec.Command("pdftotext", report, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(txt)), " ")
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			id, rest, ok := strings.Cut(line, " ")
			if !ok || !strings.HasPrefix(id, "C") {
				continue
			}
			result, _, _ := strings.Cut(strings.TrimSpace(rest), " ")
			if !strings.Contains(text, id+" "+strings.ToUpper(result)) {
				t.Errorf("report lacks %s %s", id, result)
			}
			if _, ev, ok := strings.Cut(line, " — "); ok && !strings.Contains(text, strings.Join(strings.Fields(ev), " ")[:min(30, len(ev))]) {
				t.Errorf("report lacks the evidence of %s: %q", id, ev)
			}
		}
	} else {
		t.Log("pdftotext not installed: the report's text is not read back")
	}
	for _, i := range []int{10, len(pdf) / 2, len(pdf) - 2} {
		bad := append([]byte(nil), pdf...)
		bad[i]++
		edited := filepath.Join(dir, "edited.pdf")
		if err := os.WriteFile(edited, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if code, _, e := runCmd(t, "", "inspection", "verify", "--key", vkey, edited, report+".sig"); code == 0 || !strings.Contains(e, "modified") {
			t.Errorf("byte %d changed: exit %d %q", i, code, e)
		}
	}
	if code, out, e := runCmd(t, "", "compliance", "register", "--format", "csv"); code != 0 || !strings.Contains(out, "recipient,carrier:SF,顺丰速运") ||
		!strings.Contains(out, "role,customer_service,can_reveal=true") {
		t.Errorf("register: %d %q %q", code, out, e)
	}
	if code, out, e := runCmd(t, "", "compliance", "ledger"); code != 0 || !strings.Contains(out, `"username": "cs1"`) || !strings.Contains(out, `"reprints": 1`) {
		t.Errorf("ledger: %d %q %q", code, out, e)
	}
	_, other, _ := audit.GenerateKey(compliance.DefaultKeyOrigin)
	if code, _, _ := runCmd(t, "", "inspection", "verify", "--key", other, report); code == 0 {
		t.Error("verified with another key")
	}
	if *updateSample {
		sig, _ := os.ReadFile(report + ".sig")
		for name, b := range map[string][]byte{"sample-inspection.pdf": pdf, "sample-inspection.pdf.sig": sig, "sample-inspection.vkey": []byte(vkey + "\n")} {
			if err := os.WriteFile(filepath.Join("..", "..", "docs", "compliance", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The sample in docs/compliance verifies with its published key, and
// fails once a byte is changed.
func TestSampleInspectionVerifies(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "compliance")
	vkey, err := os.ReadFile(filepath.Join(dir, "sample-inspection.vkey"))
	if err != nil {
		t.Skip("no sample yet: go test ./cmd/yuncang -run TestInspectionRunAndVerify -update-compliance-sample")
	}
	pdf := filepath.Join(dir, "sample-inspection.pdf")
	if code, out, e := runCmd(t, "", "inspection", "verify", "--key", strings.TrimSpace(string(vkey)), pdf); code != 0 {
		t.Fatalf("sample: %d %q %q", code, out, e)
	}
	b, _ := os.ReadFile(pdf)
	b[len(b)/2] ^= 1
	edited := filepath.Join(t.TempDir(), "x.pdf")
	os.WriteFile(edited, b, 0o600)
	if code, _, _ := runCmd(t, "", "inspection", "verify", "--key", strings.TrimSpace(string(vkey)), edited, pdf+".sig"); code == 0 {
		t.Error("an edited sample verified")
	}
}

// serve signs inspections with YUNCANG_INSPECTION_SIGNER_KEY and covers
// each with a checkpoint it signs at that moment.
func TestServeRunsInspection(t *testing.T) {
	skey, vkey, err := audit.GenerateKey(compliance.DefaultKeyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("YUNCANG_INSPECTION_SIGNER_KEY", skey)
	t.Setenv("YUNCANG_INSPECTION_SIGNER_KEY_FILE", "")
	ts := startServer(t, 20)
	tok := ts.login(t, "security1")
	var in struct {
		ID             int64
		CheckpointSize int64 `json:"checkpoint_size"`
		Checks         []compliance.Check
	}
	if code := ts.jsonCall(t, "POST", "/api/v1/compliance/inspections", tok, "", &in); code != 201 {
		t.Fatalf("inspection: %d", code)
	}
	size, err := ts.DB.AuditSize(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The covering checkpoint was signed for the inspection: it covers
	// every record but the inspection's own.
	if in.CheckpointSize != size-1 {
		t.Errorf("covering checkpoint %d, log %d", in.CheckpointSize, size)
	}
	for _, c := range in.Checks {
		if (c.ID == "C09" || c.ID == "C10") && c.Result != compliance.Pass {
			t.Errorf("%s: %s (%s)", c.ID, c.Result, c.Evidence)
		}
	}
	dir := t.TempDir()
	for _, part := range []string{"report", "signature"} {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/compliance/inspections/%d/%s", ts.URL(), in.ID, part), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		name := map[string]string{"report": "r.pdf", "signature": "r.pdf.sig"}[part]
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if code, out, e := runCmd(t, "", "inspection", "verify", "--key", vkey, filepath.Join(dir, "r.pdf")); code != 0 {
		t.Fatalf("verify: %d %q %q", code, out, e)
	}
}

// TestInspectionVerifyKeyFile: --key takes the path of a file holding the
// verifier key (docs/compliance/sample-inspection.vkey) as well as the key;
// a wrong value says what was expected and never repeats a signer key. A file
// failed with "audit: verifier key: malformed verifier id" before.
func TestInspectionVerifyKeyFile(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "compliance")
	vkeyFile := filepath.Join(dir, "sample-inspection.vkey")
	pdf := filepath.Join(dir, "sample-inspection.pdf")
	if _, err := os.Stat(vkeyFile); err != nil {
		t.Skip("no sample yet")
	}
	if code, out, e := runCmd(t, "", "inspection", "verify", "--key", vkeyFile, pdf); code != 0 || !strings.Contains(out, "OK: report signed by") {
		t.Fatalf("--key FILE: %d %q %q", code, out, e)
	}
	skey, _, _ := audit.GenerateKey(compliance.DefaultKeyOrigin)
	signerFile := filepath.Join(t.TempDir(), "signer.key")
	os.WriteFile(signerFile, []byte(skey+"\n"), 0o600)
	for _, tt := range []struct{ arg, want string }{
		{filepath.Join(t.TempDir(), "missing.vkey"), "--key: expected the verifier key (NAME+HASH+KEY"},
		{"not-a-key", "or a file holding it"},
		{pdf, "does not hold a verifier key"},
		{skey, "this is a signer key"},
		{signerFile, "holds a signer key"},
	} {
		code, _, e := runCmd(t, "", "inspection", "verify", "--key", tt.arg, pdf)
		if code == 0 || !strings.Contains(e, tt.want) || strings.Contains(e, skey) || strings.Contains(e, "malformed verifier id") {
			t.Errorf("--key %.20s…: exit %d, %q; want %q", tt.arg, code, e, tt.want)
		}
	}
	if _, _, e := runCmd(t, "", "inspection", "verify", "--help"); !strings.Contains(e, "path of a file holding it") {
		t.Errorf("--help does not say --key takes a file: %q", e)
	}
}
