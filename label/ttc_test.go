package label

import (
	"os"
	"testing"

	"golang.org/x/image/font/sfnt"
)

func TestExtractTTC(t *testing.T) {
	const path = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("%s not installed (Debian package fonts-wqy-microhei)", path)
	}
	coll, err := sfnt.ParseCollection(data)
	if err != nil {
		t.Fatal(err)
	}
	for i := range coll.NumFonts() {
		ttf, err := extractTTC(data, i)
		if err != nil {
			t.Fatal(err)
		}
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatalf("font %d: %v", i, err)
		}
		// x/image's own collection reader refuses this file ("invalid
		// table offset"), so check the extracted font stands on its own.
		var buf sfnt.Buffer
		for _, r := range "收件人A1*" {
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("font %d: no glyph for %q", i, r)
			}
			if _, err := f.LoadGlyph(&buf, mustGlyph(t, f, r), 1<<6*12, nil); err != nil {
				t.Errorf("font %d: glyph %q: %v", i, r, err)
			}
		}
	}
	if _, err := extractTTC(data, coll.NumFonts()); err == nil {
		t.Error("index past the end accepted")
	}
	plain := []byte("\x00\x01\x00\x00rest")
	if got, err := extractTTC(plain, 0); err != nil || string(got) != string(plain) {
		t.Error("a plain font was not passed through")
	}
}

func mustGlyph(t *testing.T, f *sfnt.Font, r rune) sfnt.GlyphIndex {
	t.Helper()
	var buf sfnt.Buffer
	g, err := f.GlyphIndex(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	return g
}
