package httpapi

import "testing"

// TestCSVSafeFullWidth: the audit export defuses full-width formula starts
// as the order files do (a spreadsheet evaluates ＝ like =).
func TestCSVSafeFullWidth(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "＝HYPERLINK(\"x\")": "'＝HYPERLINK(\"x\")", "＠SUM(A1)": "'＠SUM(A1)", "-2": "'-2", "plain": "plain", "": "",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
