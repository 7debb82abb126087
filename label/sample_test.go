package label

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the sample labels in docs/labels")

// TestSamples renders a synthetic label in every format and size. With
// -update it writes them to docs/labels (go test ./label -run TestSamples
// -update); otherwise it checks sample.zpl, which depends on no font, is
// still what the code produces.
func TestSamples(t *testing.T) {
	dir := filepath.Join("..", "docs", "labels")
	l := sampleLabel(t, "73902468013579")
	for _, size := range []Size{Size76x130, Size100x150} {
		r := renderer(t, Options{Size: size})
		var pdf, img bytes.Buffer
		if err := r.PDF(&pdf, []Label{l}); err != nil {
			t.Fatal(err)
		}
		if err := r.PNG(&img, l); err != nil {
			t.Fatal(err)
		}
		if *update {
			write(t, filepath.Join(dir, "sample-"+size.Name+".pdf"), pdf.Bytes())
			write(t, filepath.Join(dir, "sample-"+size.Name+".png"), img.Bytes())
		}
	}
	r, err := New(Options{Size: Size76x130})
	if err != nil {
		t.Fatal(err)
	}
	var zpl bytes.Buffer
	if err := r.ZPL(&zpl, []Label{l}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "sample.zpl")
	if *update {
		write(t, path, zpl.Bytes())
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./label -run TestSamples -update)", err)
	}
	if !bytes.Equal(want, zpl.Bytes()) {
		t.Errorf("%s is out of date: run go test ./label -run TestSamples -update\ngot:\n%s", path, zpl.Bytes())
	}
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
