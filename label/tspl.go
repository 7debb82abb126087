package label

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// TSPL writes labels in TSPL/TSPL2, the command language of TSC printers
// and of most domestic thermal printers (佳博 Gprinter, 汉印 HPRT, 快麦 and
// their kin): one SIZE…PRINT block per label. Text is set in the
// printer-resident Simplified-Chinese bitmap font Options.TSPLFont
// ("TSS24.BF2" by default, 24×24 dots, scaled by whole multiples); the
// waybill is BARCODE "128" and the token QRCODE level M, drawn by the
// printer. CODEPAGE UTF-8 makes the printer read text as UTF-8. Printers
// without a CJK font take TSPLRaster instead. Nothing is written unless
// every label passes the gate.
func (r *Renderer) TSPL(w io.Writer, labels []Label) error {
	if len(labels) == 0 {
		return errors.New("label: no labels to render")
	}
	t := &tsplCanvas{dpi: float64(r.opts.DPI), font: r.opts.TSPLFont}
	var g gate
	for i := range labels {
		f, err := g.prepare(&labels[i])
		if err == nil {
			err = t.label(r.opts, &f)
		}
		if err != nil {
			return inBatch(i, len(labels), err)
		}
	}
	if _, err := w.Write(t.buf); err != nil {
		return fmt.Errorf("label: writing TSPL: %w", err)
	}
	return nil
}

// tsplCanvas appends TSPL commands, converting millimetres to dots.
type tsplCanvas struct {
	buf  []byte
	dpi  float64
	font string
	face *face
}

func (t *tsplCanvas) label(o Options, f *face) error {
	modules, err := code128Modules(f.waybill)
	if err != nil {
		return fmt.Errorf("label: encoding waybill as Code 128: %w", err)
	}
	t.face = f
	t.buf = fmt.Appendf(t.buf, "SIZE %g mm,%g mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\nCODEPAGE UTF-8\r\nCLS\r\n", o.Size.WidthMM, o.Size.HeightMM)
	newSheet(t, tsplAdvance, o.Size, o.DPI, modules, qrModules(f.token)).draw(f)
	t.buf = append(t.buf, "PRINT 1,1\r\n"...)
	return nil
}

func (t *tsplCanvas) dots(mm float64) int { return int(math.Round(mm * t.dpi / 25.4)) }

func (t *tsplCanvas) xy(x, y float64) {
	t.buf = strconv.AppendInt(t.buf, int64(t.dots(x)), 10)
	t.buf = append(t.buf, ',')
	t.buf = strconv.AppendInt(t.buf, int64(t.dots(y)), 10)
}

// text scales the 24-dot font by the whole multiple nearest the em size.
func (t *tsplCanvas) text(x, y, size float64, s string, st textStyle) {
	if s == "" {
		return
	}
	mul := min(10, max(1, int(math.Round(float64(t.dots(size))/24))))
	t.buf = append(t.buf, "TEXT "...)
	t.xy(x, y)
	t.buf = append(t.buf, ",\""...)
	t.buf = append(t.buf, t.font...)
	t.buf = append(t.buf, "\",0,"...)
	t.buf = strconv.AppendInt(t.buf, int64(mul), 10)
	t.buf = append(t.buf, ',')
	t.buf = strconv.AppendInt(t.buf, int64(mul), 10)
	t.buf = append(t.buf, ',')
	t.quoted(s)
	t.buf = append(t.buf, "\r\n"...)
	if st&reverse != 0 {
		// REVERSE inverts the area the text covers, on the box drawn before it.
		t.buf = append(t.buf, "REVERSE "...)
		t.xy(x, y)
		t.buf = append(t.buf, ',')
		t.buf = strconv.AppendInt(t.buf, int64(24*mul*len([]rune(s))), 10)
		t.buf = append(t.buf, ',')
		t.buf = strconv.AppendInt(t.buf, int64(24*mul), 10)
		t.buf = append(t.buf, "\r\n"...)
	}
}

// quoted appends a TSPL string: a double quote inside travels as \["] and
// line breaks, which would end the command, never reach here (the gate
// makes every field one line).
func (t *tsplCanvas) quoted(s string) {
	t.buf = append(t.buf, '"')
	t.buf = append(t.buf, strings.ReplaceAll(s, `"`, `\["]`)...)
	t.buf = append(t.buf, '"')
}

func (t *tsplCanvas) box(x, y, w, h float64) {
	t.buf = append(t.buf, "BAR "...)
	t.xy(x, y)
	t.buf = append(t.buf, ',')
	t.buf = strconv.AppendInt(t.buf, int64(max(1, t.dots(w))), 10)
	t.buf = append(t.buf, ',')
	t.buf = strconv.AppendInt(t.buf, int64(max(1, t.dots(h))), 10)
	t.buf = append(t.buf, "\r\n"...)
}

// code128 has the printer draw the bars; narrow = wide = module width in
// dots, no human-readable line (the layout prints the number itself).
func (t *tsplCanvas) code128(x, y, mw, h float64) {
	m := int64(max(1, t.dots(mw)))
	t.buf = append(t.buf, "BARCODE "...)
	t.xy(x, y)
	t.buf = append(t.buf, ",\"128\","...)
	t.buf = strconv.AppendInt(t.buf, int64(t.dots(h)), 10)
	t.buf = append(t.buf, ",0,0,"...)
	t.buf = strconv.AppendInt(t.buf, m, 10)
	t.buf = append(t.buf, ',')
	t.buf = strconv.AppendInt(t.buf, m, 10)
	t.buf = append(t.buf, ',')
	t.quoted(t.face.waybill)
	t.buf = append(t.buf, "\r\n"...)
}

// qr: error correction M, cell width in dots, automatic mode, no rotation.
func (t *tsplCanvas) qr(x, y, mod float64) {
	t.buf = append(t.buf, "QRCODE "...)
	t.xy(x, y)
	t.buf = append(t.buf, ",M,"...)
	t.buf = strconv.AppendInt(t.buf, int64(min(10, max(1, t.dots(mod)))), 10)
	t.buf = append(t.buf, ",A,0,"...)
	t.quoted(t.face.token)
	t.buf = append(t.buf, "\r\n"...)
}

// tsplAdvance: the 24-dot GB2312 font sets ideographs one em wide and
// ASCII half an em, as zplAdvance assumes for SimSun.
func tsplAdvance(r rune) float64 { return zplAdvance(r) }
