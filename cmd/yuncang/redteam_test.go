package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestRedteam runs `yuncang redteam --json` and fails when a scenario
// exceeds its target. A scenario marked Open (a side door the issue names,
// fixed on another branch) must still be failing, and the test demands the
// mark be removed once the scenario meets its target: the mark can neither
// hide a regression nor outlive its fix.
func TestRedteam(t *testing.T) {
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"redteam", "--json"}, stdio{out: &out, err: &errb})
	var results []RedteamResult
	if err := json.Unmarshal(out.Bytes(), &results); err != nil {
		t.Fatalf("redteam --json (exit %d): %v\n%s\n%s", code, err, out.String(), errb.String())
	}
	if len(results) < 14 || len(results) != len(scenarios) {
		t.Fatalf("%d results for %d registered scenarios", len(results), len(scenarios))
	}
	allMet := true
	for _, r := range results {
		t.Logf("%s %s: attempts %d, accepted %d, leaked %d, cut off %ds, flagged %ds; %s; met=%v %v",
			r.ID, r.Scenario, r.Attempts, r.Accepted, r.RecordsLeaked, r.CutOffAfter, r.FlaggedAfter, strings.Join(r.StoppedBy, "; "), r.Met, r.Misses)
		allMet = allMet && r.Met
		switch {
		case r.Attempts == 0:
			t.Errorf("scenario %s made no attempt", r.ID)
		case r.Open == "" && !r.Met:
			t.Errorf("scenario %s (%s) misses its target %q: %s", r.ID, r.Scenario, r.Target, strings.Join(r.Misses, "; "))
		case r.Open != "" && r.Met:
			t.Errorf("scenario %s now meets its target: remove its Open mark (%s) so that it is held to it", r.ID, r.Open)
		}
	}
	if want := map[bool]int{true: 0, false: 1}[allMet]; code != want {
		t.Errorf("exit code %d, want %d (all met: %v)", code, want, allMet)
	}
}

// TestRedteamSeesPlantedLeak proves the measurement is honest: the same
// scenario against a server whose order lists are wrapped to carry the
// recipients in plaintext must report the leak and miss its target.
func TestRedteamSeesPlantedLeak(t *testing.T) {
	ctx := context.Background()
	var sc scenario
	for _, s := range scenarios {
		if s.ID == "3" {
			sc = s
		}
	}
	tp, err := newRedteamTemplate(ctx, 200)
	if err != nil {
		t.Fatal(err)
	}
	defer tp.close()
	clean, err := runScenario(ctx, tp, redteamOptions{}, sc)
	if err != nil {
		t.Fatal(err)
	}
	if clean.RecordsLeaked != 0 || !clean.Met {
		t.Fatalf("scenario 3 on the real server: %+v", clean)
	}
	leaky, err := runScenario(ctx, tp, redteamOptions{wrap: leakyOrderLists}, sc)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("with a leaky list handler: %d records leaked (%v), met=%v %v", leaky.RecordsLeaked, leaky.LeakedFields, leaky.Met, leaky.Misses)
	if leaky.RecordsLeaked < 100 || leaky.Met || leaky.LeakedFields["phone"] == 0 || leaky.LeakedFields["name"] == 0 || leaky.LeakedFields["address"] == 0 {
		t.Fatalf("the planted leak went unmeasured: %+v", leaky)
	}
}

// leakyOrderLists wraps the API so that GET /api/v1/orders answers carry
// every listed order's recipient in plaintext, read straight from storage:
// the bug a careless handler would have.
func leakyOrderLists(rt *redteam, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != "GET" || r.URL.Path != "/api/v1/orders" {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var page map[string]any
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &page) != nil {
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
			return
		}
		tn, err := rt.m.DB.TenantByCode(r.Context(), r.URL.Query().Get("tenant"))
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		var plain []yuncang.Recipient
		orders, _ := page["items"].([]any)
		for _, o := range orders {
			id, _ := strconv.ParseInt(fmt.Sprint(o.(map[string]any)["id"]), 10, 64)
			ev := &yuncang.Event{Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeDeliveryException, Username: "leaky-handler"}
			if rc, _, err := rt.m.DB.RevealRecipient(r.Context(), tn.ID, id, ev, nil); err == nil {
				plain = append(plain, *rc)
			}
		}
		page["debug_recipients"] = plain
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(page)
	})
}

// TestLeakIndex checks the detector on the written forms issue 10 lists,
// and that masked forms, order, waybill and date numbers do not count.
func TestLeakIndex(t *testing.T) {
	ix := newLeakIndex()
	ix.addRecipient("order:1", "YWG-20261128-000001", "欧阳娜娜", "13812345678", "浙江省金华市义乌市稠城街道工人北路1088号3单元502室")
	ix.addRecipient("order:2", "YWG-20261128-000002", "王佳", "13900001111", "浙江省杭州市西湖区文三路4号5幢3单元601室")
	ix.addRecipient("order:3", "YWG-20261128-000003", "张伟", "15000002222", "上海市浦东新区张江镇张衡路1289号金色家园6号楼1002室")
	ix.addLiteral("order:3", "zhangwei@example.com")
	ix.finish()
	for body, want := range map[string]string{
		`{"phone":"13812345678"}`:                   "order:1 phone",
		`到了打 138 1234 5678`:                         "order:1 phone",
		`电话 138.1234.5678`:                          "order:1 phone",
		`电话 138_1234_5678`:                          "order:1 phone",
		`+86-138-1234-5678`:                         "order:1 phone",
		`１３８１２３４５６７８`:                               "order:1 phone",
		`一三八一二三四五六七八`:                               "order:1 phone",
		`幺三八幺二三四五六七八`:                               "order:1 phone",
		`收件人欧阳娜娜`:                                   "order:1 name",
		`工人北路1088号3单元502室`:                          "order:1 address",
		`送到文三路4号5幢3单元601室`:                          "order:2 address",
		`送到 4-5-3-601`:                              "order:2 address",
		`收件人王佳 谢谢`:                                  "order:2 name",
		`金色家园6号楼1002室`:                              "order:3 address",
		`mail zhangwei@example.com`:                 "order:3 contact",
		`{"name":"欧**娜","phone":"138******78"}`:     "",
		`浙江省金华市义乌市稠城街道****`:                         "",
		`SF100000000012 YWG-20261128-000001`:        "",
		`"created_at":"2026-11-23T01:00:00Z"`:       "",
		`"phone":"139****1111","address":"文三路****"`: "",
	} {
		l, _ := ix.scan(body)
		var got []string
		for r, fs := range l {
			for f := range fs {
				got = append(got, r+" "+f)
			}
		}
		if want == "" && len(got) > 0 || want != "" && (len(got) != 1 || got[0] != want) {
			t.Errorf("scan(%q) = %v, want %q", body, got, want)
		}
	}
	if _, seen := ix.scan(`{"merchant_order_id":"YWG-20261128-000002"}`); !seen["order:2"] || len(seen) != 1 {
		t.Errorf("seen = %v", seen)
	}
}
