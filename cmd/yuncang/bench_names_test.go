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
