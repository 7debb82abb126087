package label

import (
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// ZPL writes labels as ZPL II for Zebra-compatible thermal printers: one
// ^XA…^XZ format per label, concatenated for a batch, which printers take as
// one job.
//
// Text is UTF-8 (^CI28) set in the printer-resident TrueType font
// Options.ZPLFont, assigned to font J with ^CW. Rendering text to ^GF bitmaps
// instead would need no font on the printer, but makes every label tens of
// kilobytes and a thousand times slower to produce; a CJK font on the
// printer is how Chinese carriers' own templates work. The waybill is ^BC
// Code 128 and the token ^BQ QR (model 2, level M), drawn by the printer at
// its own resolution. Nothing is written unless every label passes the gate.
func (r *Renderer) ZPL(w io.Writer, labels []Label) error {
	if len(labels) == 0 {
		return errors.New("label: no labels to render")
	}
	// Each worker gates and renders a contiguous run of labels into its own
	// buffer; the runs are written in order.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(labels)/64))
	per := (len(labels) + workers - 1) / workers
	bufs := make([][]byte, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lo, hi := k*per, min((k+1)*per, len(labels))
			z := &zplCanvas{dpi: float64(r.opts.DPI), font: r.opts.ZPLFont}
			z.buf = make([]byte, 0, (hi-lo)*1800)
			var g gate
			for i := lo; i < hi; i++ {
				f, err := g.prepare(&labels[i])
				if err == nil {
					err = z.label(r.opts, &f)
				}
				if err != nil {
					errs[k] = inBatch(i, len(labels), err)
					return
				}
			}
			bufs[k] = z.buf
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for _, b := range bufs {
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("label: writing ZPL: %w", err)
		}
	}
	return nil
}

// zplCanvas appends ZPL commands, converting millimetres to printer dots.
type zplCanvas struct {
	buf   []byte
	dpi   float64
	font  string
	face  *face
	qrMod int // set by label before drawing
}

func (z *zplCanvas) label(o Options, f *face) error {
	modules, err := code128Modules(f.waybill)
	if err != nil {
		return fmt.Errorf("label: encoding waybill as Code 128: %w", err)
	}
	z.face = f
	z.buf = append(z.buf, "^XA^CI28^PW"...)
	z.buf = strconv.AppendInt(z.buf, int64(z.dots(o.Size.WidthMM)), 10)
	z.buf = append(z.buf, "^LL"...)
	z.buf = strconv.AppendInt(z.buf, int64(z.dots(o.Size.HeightMM)), 10)
	z.buf = append(z.buf, "^LH0,0^CWJ,"...)
	z.buf = append(z.buf, z.font...)
	z.buf = append(z.buf, '\n')
	newSheet(z, zplAdvance, o.Size, o.DPI, modules, qrModules(f.token)).draw(f)
	z.buf = append(z.buf, "^PQ1^XZ\n"...)
	return nil
}

func (z *zplCanvas) dots(mm float64) int { return int(math.Round(mm * z.dpi / 25.4)) }

func (z *zplCanvas) fo(x, y float64) {
	z.buf = append(z.buf, "^FO"...)
	z.buf = strconv.AppendInt(z.buf, int64(z.dots(x)), 10)
	z.buf = append(z.buf, ',')
	z.buf = strconv.AppendInt(z.buf, int64(z.dots(y)), 10)
}

func (z *zplCanvas) text(x, y, size float64, s string, st textStyle) {
	if s == "" {
		return
	}
	z.fo(x, y)
	if st&reverse != 0 {
		z.buf = append(z.buf, "^FR"...)
	}
	h := int64(max(10, z.dots(size)))
	z.buf = append(z.buf, "^AJN,"...)
	z.buf = strconv.AppendInt(z.buf, h, 10)
	z.buf = append(z.buf, ',')
	z.buf = strconv.AppendInt(z.buf, h, 10)
	z.fd(s)
}

// fd appends field data. ^ and ~ would start commands; with ^FH they and
// the escape character itself travel as hex.
func (z *zplCanvas) fd(s string) {
	if strings.ContainsAny(s, "^~_") {
		z.buf = append(z.buf, "^FH_^FD"...)
		for i := 0; i < len(s); i++ {
			switch s[i] {
			case '^':
				z.buf = append(z.buf, "_5E"...)
			case '~':
				z.buf = append(z.buf, "_7E"...)
			case '_':
				z.buf = append(z.buf, "_5F"...)
			default:
				z.buf = append(z.buf, s[i])
			}
		}
	} else {
		z.buf = append(z.buf, "^FD"...)
		z.buf = append(z.buf, s...)
	}
	z.buf = append(z.buf, "^FS\n"...)
}

func (z *zplCanvas) box(x, y, w, h float64) {
	wd, hd := max(1, z.dots(w)), max(1, z.dots(h))
	z.fo(x, y)
	z.buf = append(z.buf, "^GB"...)
	z.buf = strconv.AppendInt(z.buf, int64(wd), 10)
	z.buf = append(z.buf, ',')
	z.buf = strconv.AppendInt(z.buf, int64(hd), 10)
	z.buf = append(z.buf, ',')
	z.buf = strconv.AppendInt(z.buf, int64(min(wd, hd)), 10)
	z.buf = append(z.buf, "^FS\n"...)
}

// code128 has the printer draw the bars: ^BY sets the module width in dots,
// ^BC mode A lets the printer pick the code sets, as the PDF encoder does.
func (z *zplCanvas) code128(x, y, mw, h float64) {
	z.buf = append(z.buf, "^BY"...)
	z.buf = strconv.AppendInt(z.buf, int64(max(1, z.dots(mw))), 10)
	z.buf = append(z.buf, ",3,"...)
	z.buf = strconv.AppendInt(z.buf, int64(z.dots(h)), 10)
	z.fo(x, y)
	z.buf = append(z.buf, "^BCN,"...)
	z.buf = strconv.AppendInt(z.buf, int64(z.dots(h)), 10)
	z.buf = append(z.buf, ",N,N,N,A"...)
	z.fd(z.face.waybill)
}

// qr has the printer draw the token: model 2, magnification = dots per
// module (1 to 10), level M, automatic data mode.
func (z *zplCanvas) qr(x, y, mod float64) {
	z.fo(x, y)
	z.buf = append(z.buf, "^BQN,2,"...)
	z.buf = strconv.AppendInt(z.buf, int64(min(10, max(1, z.dots(mod)))), 10)
	z.buf = append(z.buf, "^FDMA,"...)
	z.buf = append(z.buf, z.face.token...)
	z.buf = append(z.buf, "^FS\n"...)
}

// zplAdvance estimates widths in the printer font, which layout needs to
// wrap and centre text: CJK fonts such as SimSun set ideographs and
// full-width forms one em wide and Latin half an em.
func zplAdvance(r rune) float64 {
	if r < 0x1100 || r >= 0xFF61 && r <= 0xFFDC {
		return 0.5
	}
	return 1
}

// qrModules is the side of the QR code the printer will draw for token at
// level M, from the capacity of each version in alphanumeric or byte mode.
func qrModules(token string) int {
	alnum := true
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || strings.IndexByte(" $%*+-./:", c) >= 0) {
			alnum = false
			break
		}
	}
	capAlnum := [...]int{20, 38, 61, 90, 122, 154, 178, 221, 262, 311}
	capByte := [...]int{14, 26, 42, 62, 84, 106, 122, 152, 180, 213}
	for v := range capAlnum {
		if alnum && len(token) <= capAlnum[v] || !alnum && len(token) <= capByte[v] {
			return 21 + 4*v
		}
	}
	return 21 + 4*10
}
