package label

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// DefaultFontPaths are tried in order when Options.FontPath is empty. Each
// is a Debian package's CJK font that has Latin glyphs too (a label mixes
// both) and TrueType outlines, which the PDF writer can embed; collections
// (.ttc) are unpacked in memory.
var DefaultFontPaths = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",         // fonts-wqy-microhei (sans, preferred)
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",           // fonts-wqy-zenhei (sans)
	"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", // fonts-arphic-gbsn00lp (song)
	"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", // fonts-arphic-gkai00mp (kai)
	"/usr/share/fonts/truetype/arphic-bsmi00lp/bsmi00lp.ttf", // traditional, last resort
	"/usr/local/share/fonts/yuncang/label.ttf",               // a site's own choice
}

// embeddedFont is WenQuanYi Micro Hei 0.2.0-beta (文泉驿微米黑), taken from
// Debian's fonts-wqy-microhei 0.2.0-beta-3.1, licensed Apache-2.0 (or
// GPL-3+ with the font exception); see fonts/wqy-microhei.copyright. It is
// the last resort after the installed fonts, so a site's own choice wins.
//
//go:embed fonts/wqy-microhei.ttc
var embeddedFont []byte

// EmbeddedFontName is the font path reported when the built-in font is used.
const EmbeddedFontName = "built-in:wqy-microhei.ttc"

// FontPackage is the Debian package that provides the preferred font.
const FontPackage = "fonts-wqy-microhei"

// ErrNoFont is returned (wrapped) when no CJK font can be found.
var ErrNoFont = errors.New("label: no CJK font found")

// fontCheckRunes must all have glyphs: the fixed words of the layout and
// the characters every label carries.
const fontCheckRunes = "收寄件人浙江省市区街道订单重量备注打印操作员站点扫码验真隐私面单0123456789ABCXYZ*-."

// labelFont is a parsed CJK font: the TrueType bytes for the PDF writer, the
// parsed form for rasterising, and advance widths for layout.
type labelFont struct {
	path    string
	ttf     []byte
	sfnt    *sfnt.Font
	advance []uint16 // per BMP rune, in 1/1000 em; 0 = no glyph
}

// loadFont reads path (or the first of DefaultFontPaths that exists).
func loadFont(path string, index int) (*labelFont, error) {
	paths := DefaultFontPaths
	if path != "" {
		paths = []string{path}
	}
	var data []byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err == nil {
			data, path = b, p
			break
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("label: reading font %s: %w", p, err)
		}
	}
	if data == nil && path == "" {
		// Nothing installed: the font built into the binary, so labels
		// print on a fresh machine.
		data, path = embeddedFont, EmbeddedFontName
	}
	if data == nil {
		return nil, fmt.Errorf("%w (tried %s): install the Debian package %s (apt-get install %s) or leave the font path empty for the built-in font",
			ErrNoFont, strings.Join(paths, ", "), FontPackage, FontPackage)
	}
	ttf, err := extractTTC(data, index)
	if err != nil {
		return nil, fmt.Errorf("label: font %s: %w", path, err)
	}
	if len(ttf) >= 4 && string(ttf[:4]) == "OTTO" {
		return nil, fmt.Errorf("label: font %s has CFF (OpenType) outlines, which the PDF writer cannot embed: use a TrueType font such as %s", path, FontPackage)
	}
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("label: font %s: %w", path, err)
	}
	lf := &labelFont{path: path, ttf: ttf, sfnt: f, advance: make([]uint16, 0x10000)}
	var buf sfnt.Buffer
	upem := float64(f.UnitsPerEm())
	ppem := fixed.I(int(f.UnitsPerEm())) // measure in font units: exact, no hinting
	for r := rune(0x20); r < 0x10000; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, gi, ppem, 0)
		if err != nil {
			continue
		}
		a := float64(adv) / 64 / upem * 1000
		lf.advance[r] = uint16(max(1, min(a+0.5, 60000)))
	}
	for _, r := range fontCheckRunes {
		if lf.advance[r] == 0 {
			return nil, fmt.Errorf("label: font %s has no glyph for %q: it is not a CJK font with Latin digits; install %s", path, r, FontPackage)
		}
	}
	return lf, nil
}

// advanceOf returns the width of r in em. Runes the font lacks count as one
// em, the width of the ideograph they most likely are.
func (lf *labelFont) advanceOf(r rune) float64 {
	if r < 0x10000 && lf.advance[r] != 0 {
		return float64(lf.advance[r]) / 1000
	}
	return 1
}
