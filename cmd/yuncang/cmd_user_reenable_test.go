package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/guard"
)

// TestUserReenableBreakGlass: the only security officer, suspended by the
// guard, has nobody to approve his return over the API; the operator at
// the host brings him back with `user reenable --break-glass`, which is
// audited as an alert and raises an open alert (sent to the webhook too).
// Without --break-glass the command refuses; offboarded accounts stay off;
// an account that needs no four eyes comes back without breaking glass.
func TestUserReenableBreakGlass(t *testing.T) {
	useDB(t)
	var mu sync.Mutex
	var hooked []guard.AlertPayload
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p guard.AlertPayload
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &p)
		mu.Lock()
		hooked = append(hooked, p)
		mu.Unlock()
	}))
	defer sink.Close()
	t.Setenv("YUNCANG_ALERT_WEBHOOK_URL", sink.URL)
	t.Setenv("YUNCANG_ALERT_WEBHOOK_SECRET", "webhook-secret-for-tests")
	runCmd(t, "", "migrate")
	ctx := context.Background()
	for _, args := range [][]string{
		{"user", "add", "--username", "root", "--role", "platform_admin"},
		{"user", "add", "--username", "sec1", "--role", "security_officer", "--break-glass"},
	} {
		if code, out, errOut := runCmd(t, "", args...); code != 0 {
			t.Fatalf("%v: %d %q %q", args, code, out, errOut)
		}
	}
	db := openTestStore(t)
	sec1, err := db.UserByUsername(ctx, "sec1")
	must(t, err)
	must(t, db.Disable(ctx, sec1.ID, "suspended by the guard: night reveals", db.Now(), nil))
	db.Close()

	code, _, errOut := runCmd(t, "", "user", "reenable", "--username", "sec1", "--reason", "false alarm")
	if code != 1 || !strings.Contains(errOut, "second person") || !strings.Contains(errOut, "--break-glass") {
		t.Fatalf("re-enabled without breaking glass: %d %q", code, errOut)
	}
	code, out, errOut := runCmd(t, "", "user", "reenable", "--username", "sec1", "--reason", "false alarm, called him on 13812345678", "--break-glass")
	if code != 0 || !strings.Contains(out, "re-enabled sec1") {
		t.Fatalf("break glass: %d %q %q", code, out, errOut)
	}

	db = openTestStore(t)
	if u, _ := db.UserByID(ctx, sec1.ID); u.Status != yuncang.UserActive {
		t.Fatalf("sec1 after break glass: %s %q", u.Status, u.DisabledReason)
	}
	evs, err := db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventReenable})
	must(t, err)
	if len(evs) != 1 || evs[0].Outcome != yuncang.OutcomeAlert || evs[0].Source != "cli" || evs[0].UserID != sec1.ID ||
		!strings.HasPrefix(evs[0].Detail, "break glass:") || strings.Contains(evs[0].Detail, "13812345678") {
		t.Fatalf("re-enable record: %+v", evs)
	}
	als, err := db.Alerts(ctx, yuncang.AlertOpen, 100)
	must(t, err)
	glass := map[string]bool{}
	for _, a := range als {
		if a.Rule == RuleBreakGlass && a.UserID == sec1.ID {
			glass[a.Response] = true
		}
	}
	if !glass["re-enabled on the command line"] || !glass["account created on the command line"] {
		t.Fatalf("break-glass alerts: %+v", als)
	}
	mu.Lock()
	if len(hooked) != 2 || hooked[1].Rule != RuleBreakGlass || hooked[1].Username != "sec1" {
		t.Errorf("webhook: %+v", hooked)
	}
	mu.Unlock()

	// Offboarded stays off, break glass or not; an operator needs no glass.
	wh := &yuncang.Warehouse{Code: "YW1", Name: "义乌", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"}
	must(t, db.CreateWarehouse(ctx, wh, nil))
	op := &yuncang.User{Username: "op1", Role: yuncang.RoleOperator, Warehouses: []int64{wh.ID}}
	must(t, db.CreateUser(ctx, op, ""))
	must(t, db.Disable(ctx, op.ID, "suspended by the guard: volume", db.Now(), nil))
	root, err := db.UserByUsername(ctx, "root")
	must(t, err)
	must(t, db.Disable(ctx, root.ID, "offboarded: left", db.Now(), nil))
	db.Close()
	if code, _, errOut := runCmd(t, "", "user", "reenable", "--username", "root", "--reason", "back", "--break-glass"); code != 1 || !strings.Contains(errOut, "offboarded") {
		t.Fatalf("offboarded account re-enabled: %d %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "", "user", "reenable", "--username", "op1", "--reason", "checked"); code != 0 {
		t.Fatalf("operator: %d %q", code, errOut)
	}
	db = openTestStore(t)
	defer db.Close()
	if evs, _ := db.Events(ctx, yuncang.EventFilter{Kind: yuncang.EventReenable}); len(evs) != 2 || evs[0].Outcome != yuncang.OutcomeOK {
		t.Fatalf("operator's re-enable record: %+v", evs)
	}
}
