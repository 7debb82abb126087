package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/orderfile"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/storetest"
)

// runCmd runs a command in process and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

func TestHelpForEveryCommand(t *testing.T) {
	for name := range commands {
		args := append(strings.Fields(name), "--help")
		code, _, errOut := runCmd(t, "", args...)
		if code != 0 || !strings.Contains(errOut, "Usage: yuncang "+name) {
			t.Errorf("%s --help: exit %d, output %q", name, code, errOut)
		}
	}
	for _, want := range []string{"serve", "demo", "migrate", "version", "import", "pii scan", "address parse", "keys rotate", "bench", "user add"} {
		if _, ok := commands[want]; !ok {
			t.Errorf("command %q is missing", want)
		}
	}
	if code, out, errOut := runCmd(t, ""); code != 2 || out != "" || !strings.Contains(errOut, "serve") {
		t.Errorf("no command: exit %d (want 2), stdout %q, usage on stderr: %v", code, out, strings.Contains(errOut, "serve"))
	}
	if code, out, _ := runCmd(t, "", "help"); code != 0 || !strings.Contains(out, "serve") {
		t.Errorf("help: exit %d", code)
	}
	if code, _, _ := runCmd(t, "", "no-such-command"); code != 2 {
		t.Errorf("unknown command exit = %d, want 2", code)
	}
	if code, out, _ := runCmd(t, "", "version"); code != 0 || !strings.HasPrefix(out, "yuncang ") {
		t.Errorf("version: %d %q", code, out)
	}
}

// useDB points the configuration environment at a fresh SQLite file.
func useDB(t *testing.T) string {
	dir := t.TempDir()
	t.Setenv("YUNCANG_DATA", dir)
	t.Setenv("YUNCANG_DB", "")
	t.Setenv("YUNCANG_MASTER_KEY", "k1:"+storetest.RandomKey())
	t.Setenv("YUNCANG_MASTER_KEY_FILE", "")
	skey, _, err := audit.GenerateKey("yuncang-test/audit")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("YUNCANG_AUDIT_SIGNER_KEY", skey)
	t.Setenv("YUNCANG_AUDIT_SIGNER_KEY_FILE", "")
	t.Setenv("YUNCANG_AUDIT_VERIFIER_KEY", "")
	t.Setenv("YUNCANG_AUDIT_PUBLISH_DIR", filepath.Join(dir, "published"))
	return filepath.Join(dir, "yuncang.db")
}

func TestServeRefusesUnmigratedSchema(t *testing.T) {
	useDB(t)
	code, _, errOut := runCmd(t, "", "serve", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errOut, "yuncang migrate") {
		t.Fatalf("serve on an empty database: exit %d, %q", code, errOut)
	}
	if code, out, errOut := runCmd(t, "", "migrate"); code != 0 || !strings.Contains(out, fmt.Sprintf("version %d", len(sqlite.Migrations()))) {
		t.Fatalf("migrate: %d %q %q", code, out, errOut)
	}
	t.Setenv("YUNCANG_MASTER_KEY", "")
	if code, _, errOut := runCmd(t, "", "serve", "--addr", "127.0.0.1:0"); code != 1 || !strings.Contains(errOut, "YUNCANG_MASTER_KEY") {
		t.Fatalf("serve without a master key: exit %d, %q", code, errOut)
	}
}

func TestImportCommandAndKeyRotation(t *testing.T) {
	dbPath := useDB(t)
	ctx := context.Background()
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	c := Config{DataDir: os.Getenv("YUNCANG_DATA"), MasterKey: os.Getenv("YUNCANG_MASTER_KEY")}
	mk, _ := masterKeys(&c)
	db, err := openStore(ctx, &c, mk, false)
	must(t, err)
	tn := &yuncang.Tenant{Code: "yiwu-goods", Name: "x"}
	must(t, db.CreateTenant(ctx, tn, nil))
	for _, s := range demodata.SKUs("yiwu-goods") {
		s.TenantID = tn.ID
		must(t, db.CreateSKU(ctx, s, nil))
	}
	db.Close()

	g := demodata.NewGenerator(5)
	var orders []yuncang.OrderInput
	for i := 0; i < 1200; i++ {
		orders = append(orders, g.Order("yiwu-goods"))
	}
	orders[10].Recipient.Address = "火星基地"
	file := filepath.Join(t.TempDir(), "orders.xlsx")
	f, err := os.Create(file)
	must(t, err)
	must(t, orderfile.WriteXLSX(f, orders))
	f.Close()

	code, out, errOut := runCmd(t, "", "import", "--tenant", "yiwu-goods", "--all-or-nothing", file)
	if code != 1 || !strings.Contains(out, "rejected: 1") || !strings.Contains(errOut, "nothing was stored") {
		t.Fatalf("all-or-nothing import: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", "import", "--tenant", "yiwu-goods", file)
	if code != 1 || !strings.Contains(out, "created: 1199") || !strings.Contains(out, "recipient.address") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	if !strings.Contains(errOut, "storing") || !strings.Contains(errOut, "1199/1199") {
		t.Errorf("no progress: %q", errOut)
	}
	if strings.Contains(errOut, "\r") {
		t.Errorf("redirected output holds progress-bar frames: %q", errOut)
	}
	code, out, _ = runCmd(t, "", "import", "--tenant", "yiwu-goods", "--quiet", file)
	if !strings.Contains(out, "duplicates: 1199") {
		t.Fatalf("re-import: %d %q", code, out)
	}
	for _, s := range []string{orders[0].Recipient.Name, orders[0].Recipient.Phone, "火星基地"} {
		if strings.Contains(out+errOut, s) {
			t.Fatal("import output contains personal data")
		}
	}

	// Rotate to a new master key, then run with only the new key.
	oldKey := os.Getenv("YUNCANG_MASTER_KEY")
	newKey := "k2:" + storetest.RandomKey()
	t.Setenv("YUNCANG_MASTER_KEY", newKey+","+oldKey)
	// Tenant 0 (the platform's key scope) has no keys yet: no staff TOTP was enrolled.
	if code, out, errOut := runCmd(t, "", "keys", "rotate", "--data-keys"); code != 0 || !strings.Contains(out, "rewrapped 3 tenant keys") || !strings.Contains(out, "data key version 2") {
		t.Fatalf("keys rotate: %d %q %q", code, out, errOut)
	}
	t.Setenv("YUNCANG_MASTER_KEY", newKey)
	c.MasterKey = newKey
	mk, _ = masterKeys(&c)
	db, err = openStore(ctx, &c, mk, false)
	must(t, err)
	defer db.Close()
	got, err := db.Orders(ctx, yuncang.OrderFilter{TenantID: tn.ID, Phone: orders[0].Recipient.Phone}, nil)
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("after rotation, phone search finds %d orders", len(got))
	}
	raw, _ := os.ReadFile(dbPath)
	if bytes.Contains(raw, []byte(orders[0].Recipient.Phone)) {
		t.Fatal("plaintext phone in the database file")
	}
}

func TestUserAdd(t *testing.T) {
	useDB(t)
	runCmd(t, "", "migrate")
	code, out, errOut := runCmd(t, "", "user", "add", "--username", "root", "--role", "platform_admin")
	if code != 0 || !strings.Contains(out, "password: ") || !strings.Contains(out, "otpauth://totp/") {
		t.Fatalf("user add: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", "user", "add", "--username", "temp1", "--role", "operator")
	if code != 1 || !strings.Contains(errOut, "warehouses") {
		t.Fatalf("operator without warehouse: %d %q %q", code, out, errOut)
	}
	// Once a platform admin exists, revealing accounts go through the API's
	// four eyes; the command line refuses them unless told to break glass.
	code, _, errOut = runCmd(t, "", "user", "add", "--username", "cs1", "--role", "customer_service")
	if code != 1 || !strings.Contains(errOut, "second person") {
		t.Fatalf("revealing account from the command line: %d %q", code, errOut)
	}
	if code, out, _ = runCmd(t, "", "user", "add", "--username", "cs1", "--role", "customer_service", "--break-glass"); code != 0 {
		t.Fatalf("break glass: %d %q", code, out)
	}
	c := Config{DataDir: os.Getenv("YUNCANG_DATA"), MasterKey: os.Getenv("YUNCANG_MASTER_KEY")}
	mk, err := masterKeys(&c)
	must(t, err)
	db, err := openStore(context.Background(), &c, mk, false)
	must(t, err)
	evs, err := db.Events(context.Background(), yuncang.EventFilter{Kind: yuncang.EventUserCreate})
	db.Close()
	must(t, err)
	if len(evs) != 2 || evs[0].Outcome != yuncang.OutcomeAlert || !strings.Contains(evs[1].Detail, "bootstrap") {
		t.Fatalf("command-line accounts not audited: %+v", evs)
	}
	code, out, _ = runCmd(t, "", "staff", "offboard", "--username", "root", "--reason", "left, call 13812345678")
	if code != 0 || !strings.Contains(out, "offboarded root") {
		t.Fatalf("staff offboard: %d %q", code, out)
	}
	if code, out, _ := runCmd(t, "", "staff", "sweep"); code != 0 || !strings.Contains(out, "0 accounts disabled") {
		t.Fatalf("staff sweep: %d %q", code, out)
	}
	code, _, errOut = runCmd(t, "short\n", "user", "add", "--username", "x", "--role", "operator", "--password-stdin")
	if code != 1 || !strings.Contains(errOut, "password") {
		t.Fatalf("weak password accepted: %d %q", code, errOut)
	}
	code, _, errOut = runCmd(t, "", "user", "add", "--username", "m", "--role", "merchant_admin")
	if code != 1 || !strings.Contains(errOut, "tenant") {
		t.Fatalf("merchant without tenant: %d %q", code, errOut)
	}
}

func TestParseTrustedProxies(t *testing.T) {
	ps, err := parseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,::1,")
	if err != nil || len(ps) != 3 || ps[0].String() != "10.0.0.0/8" || ps[1].String() != "192.0.2.7/32" || ps[2].String() != "::1/128" {
		t.Fatalf("parse: %v %v", ps, err)
	}
	if _, err := parseTrustedProxies("10.0.0.0/8,proxy.local"); err == nil || !strings.Contains(err.Error(), "proxy.local") {
		t.Fatalf("a host name was accepted: %v", err)
	}
}

func TestTOTPCommand(t *testing.T) {
	const secret = "JBSWY3DPEHPK3PXP"
	code, out, _ := runCmd(t, "", "totp", "--secret", secret)
	want, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || strings.TrimSpace(out) != want {
		// The 30 s step may have turned between the two; once more.
		if want2, _ := auth.TOTPCode(secret, time.Now()); strings.TrimSpace(out) != want2 {
			t.Fatalf("totp: exit %d, %q, want %q", code, out, want)
		}
	}
	if code, _, _ := runCmd(t, "", "totp", "--secret", "not base32!"); code == 0 {
		t.Fatal("a bad secret gave a code")
	}
}
