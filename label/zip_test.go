package label

import (
	"archive/zip"
	"bytes"
	"image/png"
	"testing"
)

// zipNames lists a zip's entries and checks each is a PNG.
func zipNames(t *testing.T, b []byte) []string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(rc); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
		rc.Close()
		names = append(names, f.Name)
	}
	return names
}
