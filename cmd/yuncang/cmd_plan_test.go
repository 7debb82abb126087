package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/plan"
)

const planExample = "../../docs/examples/plan-example.json"

// TestPlanExample runs the documented example through the command and checks
// the outcomes docs/plan.md describes.
func TestPlanExample(t *testing.T) {
	for _, args := range [][]string{
		{"plan", "--in", planExample},
		{"plan", "--in", planExample, "--pretty", "--strategy", "exact"},
		{"plan", "--in", planExample, "--greedy"},
	} {
		code, out, errOut := runCmd(t, "", args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var p plan.Plan
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatalf("%v: output is not a plan: %v", args, err)
		}
		if p.Summary.Orders != 10 || p.Summary.Planned != 7 || p.Summary.Unfulfilled != 3 {
			t.Errorf("%v: summary %+v", args, p.Summary)
		}
		reasons := map[string]string{}
		for _, o := range p.Orders {
			reasons[o.ID] = o.Reason
			if o.Status == plan.StatusPlanned && o.Explanation == "" {
				t.Errorf("%v: %s has no explanation", args, o.ID)
			}
		}
		want := map[string]string{"A1005": plan.ReasonNoCarrier, "A1008": plan.ReasonPromise, "A1009": plan.ReasonNoStock, "A1007": ""}
		for id, r := range want {
			if reasons[id] != r {
				t.Errorf("%v: %s reason %q, want %q", args, id, reasons[id], r)
			}
		}
		if !strings.Contains(errOut, "3 of 10 orders cannot be fulfilled") {
			t.Errorf("%v: stderr %q", args, errOut)
		}
	}
	// The example in docs/plan.md is the command's real output for A1007.
	_, out, _ := runCmd(t, "", "plan", "--in", planExample)
	doc, err := os.ReadFile("../../docs/plan.md")
	if err != nil {
		t.Fatal(err)
	}
	var p plan.Plan
	json.Unmarshal([]byte(out), &p)
	for _, o := range p.Orders {
		if o.ID == "A1007" && !strings.Contains(string(doc), o.Explanation) {
			t.Errorf("docs/plan.md is out of date: it lacks %q", o.Explanation)
		}
	}
}

func TestPlanStdinAndErrors(t *testing.T) {
	example, err := os.ReadFile(planExample)
	if err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCmd(t, string(example), "plan"); code != 0 || !strings.Contains(out, `"A1001"`) {
		t.Errorf("from stdin: exit %d", code)
	}
	badSKU := strings.Replace(string(example), `{"sku": "KETTLE-03", "qty": 1}, {"sku": "MUG-01"`, `{"sku": "KETTLE-03", "qty": 1}, {"sku": "MUG-99"`, 1)
	cases := []struct {
		name, stdin string
		args        []string
		code        int
		want        string
	}{
		{"unknown SKU", badSKU, nil, 1, `orders[6].lines[1].sku: unknown SKU "MUG-99"`},
		{"type error", `{"orders":[{"id":"x","lines":[{"sku":"S","qty":"1"}]}]}`, nil, 1, "orders[0].lines[0].qty: must be a whole number"},
		{"malformed", `{"orders": [`, nil, 1, "malformed JSON"},
		{"missing file", "", []string{"--in", filepath.Join(t.TempDir(), "none.json")}, 1, "no such file"},
		{"positional argument", "", []string{"file.json"}, 2, "Usage: yuncang plan"},
		{"contradicting flags", string(example), []string{"--greedy", "--strategy", "exact"}, 1, "contradict"},
		{"unknown strategy", string(example), []string{"--strategy", "best"}, 1, "strategy"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, c.stdin, append([]string{"plan"}, c.args...)...)
			if code != c.code || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d, stderr %q, stdout %d bytes; want %d and %q", code, errOut, len(out), c.code, c.want)
			}
		})
	}
}

// TestPlanJointFlags runs the documented example in every batch mode and
// checks the flags that contradict each other or lack a value.
func TestPlanJointFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		mode string
	}{
		{[]string{"--joint"}, "joint"},
		{[]string{"--mode", "joint", "--strategy", "exact"}, "joint"},
		{[]string{"--mode", "bounded", "--max-premium", "5%"}, "bounded"},
		{[]string{"--mode", "arrival"}, "arrival"},
	} {
		code, out, errOut := runCmd(t, "", append([]string{"plan", "--in", planExample}, c.args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		var p plan.Plan
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if p.Mode != c.mode || (c.mode != "arrival") != (p.Summary.Joint != nil) {
			t.Errorf("%v: mode %q, joint summary %+v", c.args, p.Mode, p.Summary.Joint)
		}
		if c.mode == "joint" && (p.Summary.Planned != 7 || p.Summary.TotalFen >= 20100 || !p.Summary.Joint.Exact) {
			t.Errorf("%v: joint should plan as many orders as arrival order (7) for less than ¥201.00, exactly: %+v", c.args, p.Summary)
		}
	}
	for _, args := range [][]string{
		{"--joint", "--mode", "bounded"},
		{"--mode", "bounded"},
		{"--mode", "joint", "--max-premium", "5%"},
		{"--mode", "bounded", "--max-premium", "lots"},
		{"--mode", "fair"},
		{"--joint", "--greedy"},
	} {
		if code, _, errOut := runCmd(t, "", append([]string{"plan", "--in", planExample}, args...)...); code == 0 || errOut == "" {
			t.Errorf("%v: accepted", args)
		}
	}
}
