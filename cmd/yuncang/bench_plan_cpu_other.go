//go:build !unix

package main

import "time"

// cpuTime is not available here; the benchmark falls back to wall time.
func cpuTime() (time.Duration, bool) { return 0, false }
