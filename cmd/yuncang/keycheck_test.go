package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/storetest"
)

// TestServeRefusesWrongMasterKey: issue 11 item 3. A server started with a
// ring that does not unwrap the stored tenant keys used to start and report
// ok on /healthz while every intake failed; now it refuses, naming the
// problem and no key material.
func TestServeRefusesWrongMasterKey(t *testing.T) {
	useDB(t)
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	db := openTestStore(t)
	if err := db.CreateTenant(context.Background(), &yuncang.Tenant{Code: "acme", Name: "Acme"}, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	wrong := storetest.RandomKey()
	t.Setenv("YUNCANG_MASTER_KEY", "k1:"+wrong)
	// Bounded: a server that starts anyway must fail the test, not hang it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var outb, errb bytes.Buffer
	code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, stdio{in: strings.NewReader(""), out: &outb, err: &errb})
	out, errOut := outb.String(), errb.String()
	if code != 1 || !strings.Contains(errOut, "refusing to start") || !strings.Contains(errOut, "master key ring does not unwrap") {
		t.Fatalf("serve with the wrong ring: exit %d, %q %q", code, out, errOut)
	}
	if strings.Contains(errOut, wrong) {
		t.Fatalf("the error shows the key: %q", errOut)
	}
}

// TestHealthzReportsUnwrappableKeys: a tenant created by another node
// configured with another ring makes this node unready.
func TestHealthzReportsUnwrappableKeys(t *testing.T) {
	ts := startServer(t, 0)
	var health map[string]any
	other, err := sqlite.Open(ts.dbPath, storetest.NewMasterKeys(t, "k1"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.CreateTenant(context.Background(), &yuncang.Tenant{Code: "wrongring", Name: "Made elsewhere"}, nil); err != nil {
		t.Fatal(err)
	}
	if code := ts.jsonCall(t, "GET", "/healthz", "", "", &health); code != 503 || health["status"] != "unavailable" {
		t.Fatalf("healthz with an unwrappable tenant key: %d %v", code, health)
	}
	if !strings.Contains(ts.logs.String(), "master key ring does not unwrap") {
		t.Errorf("the log does not say why the node is unready")
	}
}

// TestAuditVerifyNeedsNoMasterKey: auditors hold the public checkpoint key
// only; verify must not ask for the master key ring.
func TestAuditVerifyNeedsNoMasterKey(t *testing.T) {
	auditEnv(t)
	_, vkey, err := newAuditKeysFromEnv()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("YUNCANG_MASTER_KEY", "")
	t.Setenv("YUNCANG_AUDIT_SIGNER_KEY", "")
	t.Setenv("YUNCANG_AUDIT_VERIFIER_KEY", vkey)
	code, out, errOut := runCmd(t, "", "audit", "verify")
	if code != 0 || !strings.Contains(out, "OK") {
		t.Fatalf("verify with the public key only: %d %q %q", code, out, errOut)
	}
}

func newAuditKeysFromEnv() (*auditKeys, string, error) {
	k, err := loadAuditKeys(true)
	if err != nil {
		return nil, "", err
	}
	return k, k.vkey, nil
}
