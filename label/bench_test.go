package label

import (
	"fmt"
	"io"
	"testing"
)

func benchLabels(b testing.TB, n int) []Label {
	labels := make([]Label, n)
	for i := range labels {
		labels[i] = sampleLabel(b, fmt.Sprintf("7390246%07d", i))
	}
	return labels
}

// BenchmarkPDF1000 renders a 1,000-label batch; see also yuncang bench.
func BenchmarkPDF1000(b *testing.B) {
	r, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := r.FontPath(); err != nil {
		b.Skip(err)
	}
	labels := benchLabels(b, 1000)
	b.ResetTimer()
	for range b.N {
		if err := r.PDF(io.Discard, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(labels))/b.Elapsed().Seconds(), "labels/s")
}

func BenchmarkZPL1000(b *testing.B) {
	r, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	labels := benchLabels(b, 1000)
	b.ResetTimer()
	for range b.N {
		if err := r.ZPL(io.Discard, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(labels))/b.Elapsed().Seconds(), "labels/s")
}
