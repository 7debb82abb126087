package yuncang

import (
	"time"
)

// Shift modes: what happens to a request outside the shift window.
const (
	ShiftDeny   = "deny"    // refused
	ShiftStepUp = "step_up" // allowed after a fresh second factor, with an alert
)

// Shift is an operator's working window in the warehouse's local time.
// Start and End are minutes after midnight; End < Start spans midnight.
// Days is a bit set of time.Weekday (bit 0 = Sunday). A zero Shift (Days 0)
// means no shift restriction.
type Shift struct {
	StartMin int
	EndMin   int
	Days     uint8
	Mode     string
}

// Restricted reports whether the shift limits access at all.
func (s Shift) Restricted() bool { return s.Days != 0 }

// Validate checks a shift.
func (s *Shift) Validate() error {
	if !s.Restricted() {
		return nil
	}
	if s.StartMin < 0 || s.StartMin >= 1440 || s.EndMin < 0 || s.EndMin > 1440 || s.StartMin == s.EndMin {
		return Invalid("shift", "start and end must be distinct times of day")
	}
	if s.Days >= 1<<7 {
		return Invalid("shift", "days must be weekdays")
	}
	switch s.Mode {
	case "":
		s.Mode = ShiftDeny
	case ShiftDeny, ShiftStepUp:
	default:
		return Invalid("shift", "mode must be deny or step_up")
	}
	return nil
}

// Contains reports whether t, taken in loc, falls within the shift. A window
// spanning midnight belongs to the day it started.
func (s Shift) Contains(t time.Time, loc *time.Location) bool {
	if !s.Restricted() {
		return true
	}
	t = t.In(loc)
	min := t.Hour()*60 + t.Minute()
	day := t.Weekday()
	if s.StartMin < s.EndMin {
		return s.Days&(1<<day) != 0 && min >= s.StartMin && min < s.EndMin
	}
	if min >= s.StartMin {
		return s.Days&(1<<day) != 0
	}
	prev := (day + 6) % 7
	return min < s.EndMin && s.Days&(1<<prev) != 0
}
