package main

import (
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang/audit"
)

// A benchmark name that does not exist is an error naming the real ones
// (it used to print an empty table and exit 0).
func TestBenchRefusesUnknownName(t *testing.T) {
	code, _, errOut := runCmd(t, "", "bench", "--only", "intake,bogus")
	if code == 0 || !strings.Contains(errOut, `"bogus"`) || !strings.Contains(errOut, "intake_stored") {
		t.Fatalf("bench --only intake,bogus: exit %d, stderr %q; want an error naming bogus and the benchmarks", code, errOut)
	}
}

// The console bench's account names never look like a mobile number to
// the audit log, whatever number names them (it made "bench-admin-13512345678"
// out of the clock and failed at random).
func TestBenchUsernameIsNoPhone(t *testing.T) {
	for _, n := range []int{0, 7, 13512345678, 19999999999, 1380013800012} {
		name := benchUsername("bench-admin-", n)
		ev := audit.Event{Time: time.Now(), Action: audit.ActionLogin, Outcome: audit.OutcomeOK, ActorName: name}
		if err := ev.Validate(); err != nil {
			t.Errorf("benchUsername(%d) = %q: %v", n, name, err)
		}
	}
}

// TestConsoleBenchHonoursRounds: `bench --only console --rounds 1` runs and
// reports one round (it ran and reported "median of 3 rounds"), and the
// --stored help names every benchmark that reads it.
func TestConsoleBenchHonoursRounds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two console sites")
	}
	code, out, errOut := runCmd(t, "", "bench", "--only", "console", "--rounds", "1", "--stored", "1200", "--json")
	if code != 0 {
		t.Fatalf("bench --only console: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "median of 1 rounds; 1200 stored orders (--stored; the newest 1200 sealed") || strings.Contains(out, "median of 3 rounds") {
		t.Errorf("the console bench does not report the rounds and orders asked for:\n%s", out)
	}
	_, _, help := runCmd(t, "", "bench", "--help")
	_, stored, _ := strings.Cut(help, "-stored int")
	stored, _, _ = strings.Cut(stored, "(default")
	for _, name := range []string{"intake_stored", "retention", "console"} {
		if !strings.Contains(stored, name) {
			t.Errorf("bench --help: --stored does not name %s: %q", name, stored)
		}
	}
}
