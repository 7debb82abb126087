package label

import (
	"errors"
	"fmt"
	"image"
	"io"
	"strconv"
)

// Raster variants print a label as a 1-bit picture rendered here, with the
// font of Options.FontPath: for printers without a CJK font of their own
// (most cheap thermal printers carry Latin fonts only, and a printer that
// lacks the glyphs prints boxes or nothing). A 76×130 mm label at 203 dpi is
// 607×1039 dots, 79 KB of bits.

// bitmap packs a grey image into rows of bits, most significant bit first,
// with black (grey < 128) as ink, and returns the bytes and bytes per row.
// inkBit is the bit value of a printed dot: ZPL uses 1, TSPL 0.
func bitmap(img *image.Gray, inkBit byte) ([]byte, int) {
	b := img.Bounds()
	row := (b.Dx() + 7) / 8
	out := make([]byte, row*b.Dy())
	if inkBit == 0 {
		for i := range out {
			out[i] = 0xff
		}
	}
	for y := 0; y < b.Dy(); y++ {
		line := img.Pix[y*img.Stride : y*img.Stride+b.Dx()]
		for x, v := range line {
			if v < 128 {
				if inkBit == 1 {
					out[y*row+x/8] |= 0x80 >> (x % 8)
				} else {
					out[y*row+x/8] &^= 0x80 >> (x % 8)
				}
			}
		}
	}
	return out, row
}

// ZPLRaster writes each label as one ^GFA graphic field (ASCII hex), with
// no printer font involved.
func (r *Renderer) ZPLRaster(w io.Writer, labels []Label) error {
	return r.rasterEach(w, labels, func(buf []byte, img *image.Gray) []byte {
		bits, row := bitmap(img, 1)
		buf = append(buf, "^XA^PW"...)
		buf = strconv.AppendInt(buf, int64(img.Bounds().Dx()), 10)
		buf = append(buf, "^LL"...)
		buf = strconv.AppendInt(buf, int64(img.Bounds().Dy()), 10)
		buf = append(buf, "^LH0,0^FO0,0^GFA,"...)
		buf = strconv.AppendInt(buf, int64(len(bits)), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(len(bits)), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(row), 10)
		buf = append(buf, ',')
		const hexdigits = "0123456789ABCDEF"
		for _, b := range bits {
			buf = append(buf, hexdigits[b>>4], hexdigits[b&0xf])
		}
		return append(buf, "^FS^PQ1^XZ\n"...)
	})
}

// TSPLRaster writes each label as one TSPL BITMAP (mode 0, overwrite) of
// raw bytes, in which a 0 bit is a printed dot.
func (r *Renderer) TSPLRaster(w io.Writer, labels []Label) error {
	return r.rasterEach(w, labels, func(buf []byte, img *image.Gray) []byte {
		bits, row := bitmap(img, 0)
		buf = fmt.Appendf(buf, "SIZE %g mm,%g mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1,0\r\nREFERENCE 0,0\r\nCLS\r\nBITMAP 0,0,%d,%d,0,", r.opts.Size.WidthMM, r.opts.Size.HeightMM, row, img.Bounds().Dy())
		buf = append(buf, bits...)
		return append(buf, "\r\nPRINT 1,1\r\n"...)
	})
}

// rasterEach gates and rasterises every label before writing any, so a
// refused label leaves nothing half-sent.
func (r *Renderer) rasterEach(w io.Writer, labels []Label, enc func([]byte, *image.Gray) []byte) error {
	if len(labels) == 0 {
		return errors.New("label: no labels to render")
	}
	font, err := r.loadFont()
	if err != nil {
		return err
	}
	var buf []byte
	var g gate
	for i := range labels {
		f, err := g.prepare(&labels[i])
		if err != nil {
			return inBatch(i, len(labels), err)
		}
		c, err := encodeCodes(&f)
		if err != nil {
			return inBatch(i, len(labels), err)
		}
		buf = enc(buf, r.rasterPrepared(font, &prepared{face: f, codes: c}))
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("label: writing raster: %w", err)
	}
	return nil
}
