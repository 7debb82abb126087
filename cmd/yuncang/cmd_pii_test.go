package main

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// runPII runs the command in process and returns its exit code and output.
func runPII(t *testing.T, input string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, stdio{in: strings.NewReader(input), out: &out, err: &errOut})
	return code, out.String(), errOut.String()
}

// jsonLines decodes each output line into a generic map.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("output line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestPIIScanCommand(t *testing.T) {
	input := "电话13812345678请尽快发货\n\n   \n身份证11010519491231002X，座机0579-85123456\r\nno personal data here\n+86 138 1234 5678"
	code, out, errOut := runPII(t, input, "pii", "scan")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := jsonLines(t, out)
	want := []map[string]any{
		{"masked": "电话138******78请尽快发货", "findings": []any{
			map[string]any{"kind": "mobile", "start": 2.0, "end": 13.0}}},
		{"masked": "身份证110*************2X，座机0579-******56", "findings": []any{
			map[string]any{"kind": "id_number", "start": 3.0, "end": 21.0},
			map[string]any{"kind": "landline", "start": 24.0, "end": 37.0}}},
		{"masked": "no personal data here", "findings": []any{}},
		{"masked": "138******78", "findings": []any{
			map[string]any{"kind": "mobile", "start": 0.0, "end": 17.0}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pii scan output:\n%s\nwant %v", out, want)
	}
	if strings.Contains(out, "13812345678") || strings.Contains(out, "85123456") {
		t.Errorf("output leaks a number: %s", out)
	}
	// An empty findings list is an array, never null.
	if !strings.Contains(out, `{"masked":"no personal data here","findings":[]}`) {
		t.Errorf("findings not an empty array: %s", out)
	}
}

func TestPIIScanLongLine(t *testing.T) {
	line := strings.Repeat("备注", 300_000) + " 13912345678"
	code, out, errOut := runPII(t, line+"\n", "pii", "scan")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := jsonLines(t, out)
	if len(got) != 1 {
		t.Fatalf("%d output lines, want 1", len(got))
	}
	fs := got[0]["findings"].([]any)
	if len(fs) != 1 || fs[0].(map[string]any)["start"] != 600_001.0 {
		t.Errorf("findings = %v, want one mobile at rune 600001", fs)
	}
}

func TestAddressParseCommand(t *testing.T) {
	input := "浙江省金华市义乌市稠城街道工人北路100号3幢2单元501室\n\n北京 朝阳区 三里屯街道 工体北路8号\r\n朝阳区建国路88号\n幸福路8号\n"
	code, out, errOut := runPII(t, input, "address", "parse")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	got := jsonLines(t, out)
	want := []map[string]any{
		{"province": "浙江省", "province_code": "33", "city": "金华市", "city_code": "3307",
			"district": "义乌市", "district_code": "330782", "street": "稠城街道", "street_code": "330782001",
			"detail": "工人北路100号3幢2单元501室", "masked": "浙江省金华市义乌市稠城街道****"},
		{"province": "北京市", "province_code": "11", "city": "北京市", "city_code": "1101",
			"district": "朝阳区", "district_code": "110105", "street": "三里屯街道", "street_code": "110105004",
			"detail": "工体北路8号", "masked": "北京市朝阳区三里屯街道****"},
		{"error": "district name is ambiguous without a province or city"},
		{"error": "no province, city or district could be recognised"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("address parse output:\n%s\nwant %v", out, want)
	}
	if strings.Contains(out, "建国路") || strings.Contains(out, "幸福路") {
		t.Errorf("an error line echoes its input: %s", out)
	}
}

func TestPIICommandUsage(t *testing.T) {
	for _, cmd := range [][]string{{"pii", "scan"}, {"address", "parse"}} {
		code, _, errOut := runPII(t, "", append(cmd, "--help")...)
		if code != 0 || !strings.Contains(errOut, "Usage: yuncang "+strings.Join(cmd, " ")) {
			t.Errorf("%v --help: exit %d, stderr %q", cmd, code, errOut)
		}
		code, _, _ = runPII(t, "", append(cmd, "extra")...)
		if code != 2 {
			t.Errorf("%v extra: exit %d, want 2", cmd, code)
		}
		code, out, _ := runPII(t, "", cmd...)
		if code != 0 || out != "" {
			t.Errorf("%v on empty input: exit %d, output %q", cmd, code, out)
		}
	}
}
