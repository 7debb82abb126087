package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestLoggerWritesReadableDurations: a duration is logged as "4s", not as
// its nanoseconds ("retry_in":4000000000), wherever it is in the record.
func TestLoggerWritesReadableDurations(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, "info")
	log.Warn("pull failed", "retry_in", 4*time.Second)
	log.With("request", "x").Info("request", "duration", 18789908*time.Nanosecond)
	got := buf.String()
	for _, want := range []string{`"retry_in":"4s"`, `"duration":"18.789908ms"`} {
		if !strings.Contains(got, want) {
			t.Errorf("log lacks %s:\n%s", want, got)
		}
	}
}
