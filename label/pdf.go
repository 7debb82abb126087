package label

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"
)

// PDF writes labels as one PDF, one page per label, the page the label's
// size. The font is embedded once per file as a subset of the characters
// used, so a 1,000-label batch carries one font, not a thousand. Nothing is
// written unless every label passes the gate.
func (r *Renderer) PDF(w io.Writer, labels []Label) error {
	if len(labels) == 0 {
		return errors.New("label: no labels to render")
	}
	font, err := r.loadFont()
	if err != nil {
		return err
	}
	ps, err := prepareAll(labels, true)
	if err != nil {
		return err
	}
	pdf := newPDF(r.opts, font, labels[0].Trace.Time)
	cv := &pdfCanvas{pdf: pdf, k: 72 / 25.4, h: r.opts.Size.HeightMM}
	for i := range ps {
		pdf.AddPage()
		cv.codes = &ps[i].codes
		cv.size = 0
		s := newSheet(cv, font.advanceOf, r.opts.Size, r.opts.DPI, len(ps[i].codes.bars), len(ps[i].codes.qr))
		s.draw(&ps[i].face)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("label: writing PDF: %w", err)
	}
	return nil
}

// newPDF starts a document with the label font registered. Creation date
// and object order are fixed so the same labels give the same bytes.
func newPDF(o Options, font *labelFont, created time.Time) *fpdf.Fpdf {
	pdf := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		Size:           fpdf.SizeType{Wd: o.Size.WidthMM, Ht: o.Size.HeightMM},
	})
	pdf.SetCompression(o.CompressPDF)
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true)
	if created.IsZero() {
		created = time.Unix(0, 0)
	}
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetProducer("yuncang label", false)
	if font != nil {
		pdf.AddUTF8FontFromBytes("label", "", font.ttf)
		pdf.SetFont("label", "", 10)
	}
	return pdf
}

// pdfCanvas draws on the current page. Symbols are written as raw path
// operators, one filled path per symbol, which is far cheaper than a Rect
// call per bar.
type pdfCanvas struct {
	pdf   *fpdf.Fpdf
	k, h  float64 // points per mm, page height in mm
	size  float64
	codes *codes
	buf   []byte
}

func (c *pdfCanvas) text(x, y, size float64, s string, st textStyle) {
	if s == "" {
		return
	}
	if size != c.size {
		c.pdf.SetFontUnitSize(size)
		c.size = size
	}
	if st&reverse != 0 {
		c.pdf.SetTextColor(255, 255, 255)
	}
	if st&bold != 0 {
		// Fill and stroke the glyphs: a heavier face from the one font.
		c.buf = append(c.buf[:0], "q 2 Tr "...)
		c.buf = c.num(size * 0.045 * c.k)
		c.buf = append(c.buf, " w"...)
		c.pdf.RawWriteStr(string(c.buf))
	}
	c.pdf.Text(x, y+size*ascent, s)
	if st&bold != 0 {
		c.pdf.RawWriteStr("Q")
	}
	if st&reverse != 0 {
		c.pdf.SetTextColor(0, 0, 0)
	}
}

func (c *pdfCanvas) box(x, y, w, h float64) {
	c.buf = append(c.buf[:0], "0 g "...)
	c.buf = c.rect(x, y, w, h)
	c.buf = append(c.buf, " f"...)
	c.pdf.RawWriteStr(string(c.buf))
}

func (c *pdfCanvas) code128(x, y, mw, h float64) {
	c.buf = append(c.buf[:0], "0 g\n"...)
	bars := c.codes.bars
	for i := 0; i < len(bars); {
		if !bars[i] {
			i++
			continue
		}
		j := i
		for j < len(bars) && bars[j] {
			j++
		}
		c.buf = c.rect(x+float64(i)*mw, y, float64(j-i)*mw, h)
		c.buf = append(c.buf, '\n')
		i = j
	}
	c.buf = append(c.buf, 'f')
	c.pdf.RawWriteStr(string(c.buf))
}

func (c *pdfCanvas) qr(x, y, mod float64) {
	c.buf = append(c.buf[:0], "0 g\n"...)
	for row, line := range c.codes.qr {
		for i := 0; i < len(line); {
			if !line[i] {
				i++
				continue
			}
			j := i
			for j < len(line) && line[j] {
				j++
			}
			c.buf = c.rect(x+float64(i)*mod, y+float64(row)*mod, float64(j-i)*mod, mod)
			c.buf = append(c.buf, '\n')
			i = j
		}
	}
	c.buf = append(c.buf, 'f')
	c.pdf.RawWriteStr(string(c.buf))
}

// rect appends a PDF "re" operator for a rectangle given in mm from the top.
func (c *pdfCanvas) rect(x, y, w, h float64) []byte {
	c.buf = c.num(x * c.k)
	c.buf = append(c.buf, ' ')
	c.buf = c.num((c.h - y - h) * c.k)
	c.buf = append(c.buf, ' ')
	c.buf = c.num(w * c.k)
	c.buf = append(c.buf, ' ')
	c.buf = c.num(h * c.k)
	return append(c.buf, " re"...)
}

func (c *pdfCanvas) num(v float64) []byte {
	return strconv.AppendFloat(c.buf, v, 'f', 3, 64)
}
