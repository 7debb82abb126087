package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/retention"
)

// TestRetentionPolicyRefusesOutOfRange: a period flag given is a value to
// set, so 0 or 5000 is refused naming the flag and the range, and an unknown
// merchant is named. Before, --max-age 0 printed the defaults and exited 0,
// and --tenant nope said "tenant: not_found: tenant not found".
func TestRetentionPolicyRefusesOutOfRange(t *testing.T) {
	useDB(t)
	if code, _, e := runCmd(t, "", "migrate"); code != 0 {
		t.Fatal(e)
	}
	c := Config{DataDir: os.Getenv("YUNCANG_DATA"), MasterKey: os.Getenv("YUNCANG_MASTER_KEY")}
	mk, _ := masterKeys(&c)
	db, err := openStore(context.Background(), &c, mk, false)
	must(t, err)
	must(t, db.CreateTenant(context.Background(), &yuncang.Tenant{Code: "yiwu-goods", Name: "x"}, nil))
	db.Close()

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--tenant", "yiwu-goods", "--max-age", "0"}, "--max-age: must be between 1 and 3650 days, not 0"},
		{[]string{"--tenant", "yiwu-goods", "--after-delivery", "5000"}, "--after-delivery: must be between 1 and 3650 days, not 5000"},
		{[]string{"--tenant", "yiwu-goods", "--max-age", "10"}, "--max-age: must be at least the days kept after delivery and after cancellation"},
		{[]string{"--tenant", "nope"}, `--tenant: no merchant with code "nope"`},
	} {
		code, out, e := runCmd(t, "", append([]string{"retention", "policy"}, tt.args...)...)
		if code == 0 || !strings.Contains(e, tt.want) {
			t.Errorf("retention policy %v: exit %d, out %q, err %q; want %q", tt.args, code, out, e, tt.want)
		}
	}
	// Nothing was set by the refused runs; a good one sets and shows.
	if code, out, e := runCmd(t, "", "retention", "policy", "--tenant", "yiwu-goods"); code != 0 || !strings.Contains(out, "(default): 30 days after delivery, 30 after cancellation, at most 90") {
		t.Fatalf("show: %d %q %q", code, out, e)
	}
	if code, out, e := runCmd(t, "", "retention", "policy", "--tenant", "yiwu-goods", "--max-age", "60"); code != 0 || !strings.Contains(out, "(set): 30 days after delivery, 30 after cancellation, at most 60") {
		t.Fatalf("set: %d %q %q", code, out, e)
	}
	if code, _, e := runCmd(t, "", "retention", "run", "--dry-run", "--exit-tenant", "nope"); code == 0 || !strings.Contains(e, `--exit-tenant: no merchant with code "nope"`) {
		t.Errorf("retention run --exit-tenant nope: %d %q", code, e)
	}
}

// TestRetentionSaysWhyLegacyOrdersStay: the legacy orders rekeying could not
// move are explained; it said "3 left legacy" before.
func TestRetentionSaysWhyLegacyOrdersStay(t *testing.T) {
	var b bytes.Buffer
	printRetention(&b, &retention.Report{Rekeyed: yuncang.RekeyReport{Orders: 2, Skipped: 3}}, false, 0)
	if out := b.String(); strings.Contains(out, "left legacy") || !strings.Contains(out, "3 legacy orders not moved: the key of their intake day was erased already") {
		t.Errorf("retention run output: %q", out)
	}
}
