package label

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDefaultFonts renders with every default font that is installed: each
// must embed in the PDF and extract back as the same Chinese text.
func TestDefaultFonts(t *testing.T) {
	pdftotext := need(t, "pdftotext", "poppler-utils")
	tried := 0
	for _, path := range DefaultFontPaths {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		tried++
		t.Run(filepath.Base(path), func(t *testing.T) {
			r, err := New(Options{FontPath: path})
			if err != nil {
				t.Fatal(err)
			}
			checkPDFText(t, pdftotext, r, path)
		})
	}
	if tried == 0 {
		t.Skipf("no default font installed (Debian package %s)", FontPackage)
	}
}

// TestEmbeddedFont renders with the font built into the binary, as on a
// machine with no CJK font installed, and reads the Chinese text back.
func TestEmbeddedFont(t *testing.T) {
	pdftotext := need(t, "pdftotext", "poppler-utils")
	saved := DefaultFontPaths
	DefaultFontPaths = []string{filepath.Join(t.TempDir(), "absent.ttc")}
	defer func() { DefaultFontPaths = saved }()
	lf, err := loadFont("", 0)
	if err != nil {
		t.Fatal(err)
	}
	if lf.path != EmbeddedFontName {
		t.Fatalf("font from %s, want the built-in one", lf.path)
	}
	r := &Renderer{opts: Options{Size: Size76x130, DPI: 203}}
	r.fontOnce.Do(func() { r.font = lf })
	checkPDFText(t, pdftotext, r, EmbeddedFontName)
	// An explicit path that does not exist is still an error, not a
	// silent fallback.
	if _, err := loadFont(filepath.Join(t.TempDir(), "missing.ttf"), 0); err == nil {
		t.Error("a missing configured font fell back silently")
	}
}

// checkPDFText renders a sample label as PDF with r and reads its text back
// with pdftotext: the masked recipient and the carrier must be there.
func checkPDFText(t *testing.T, pdftotext string, r *Renderer, font string) {
	t.Helper()
	var buf bytes.Buffer
	if err := r.PDF(&buf, []Label{sampleLabel(t, "73902468013579")}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "label.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(out)), "")
	for _, want := range []string{"欧阳**", "浙江省金华市义乌市稠城街道****", "中通快递"} {
		if !strings.Contains(flat, want) {
			t.Errorf("%s: text lacks %q:\n%s", font, want, out)
		}
	}
}
