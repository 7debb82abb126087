package main

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// peakHeap runs fn and returns the Go heap in use at its highest above
// where it stood when fn began, sampled every interval.
func peakHeap(every time.Duration, fn func()) uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return max(peak.Load(), base) - base
}
