package label

import (
	"archive/zip"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// PNG writes one label as a grey-scale PNG at Options.DPI (76×130 mm at
// 203 dpi is 607×1039 pixels): for printers driven as raster devices and for
// previews.
func (r *Renderer) PNG(w io.Writer, l Label) error {
	img, err := r.raster(l)
	if err != nil {
		return err
	}
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img); err != nil {
		return fmt.Errorf("label: writing PNG: %w", err)
	}
	return nil
}

// PNGZip writes a batch as a zip archive of PNGs, one per label, named
// 0001-WAYBILL.png in batch order (a PNG holds one image, and a zip is what
// print spoolers and browsers take as one download). Nothing is written
// unless every label passes the gate.
func (r *Renderer) PNGZip(w io.Writer, labels []Label) error {
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
	zw := zip.NewWriter(w)
	enc := &png.Encoder{CompressionLevel: png.BestSpeed}
	for i := range ps {
		img := r.rasterPrepared(font, &ps[i])
		// PNG is already deflated: store it.
		fw, err := zw.CreateHeader(&zip.FileHeader{
			Name:   fmt.Sprintf("%04d-%s.png", i+1, ps[i].face.waybill),
			Method: zip.Store,
		})
		if err != nil {
			return fmt.Errorf("label: writing zip: %w", err)
		}
		if err := enc.Encode(fw, img); err != nil {
			return fmt.Errorf("label: writing PNG: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("label: writing zip: %w", err)
	}
	return nil
}

// Image renders one label and returns the raster, for callers that send
// pixels to a printer themselves.
func (r *Renderer) Image(l Label) (*image.Gray, error) { return r.raster(l) }

func (r *Renderer) raster(l Label) (*image.Gray, error) {
	font, err := r.loadFont()
	if err != nil {
		return nil, err
	}
	f, err := prepare(&l)
	if err != nil {
		return nil, err
	}
	c, err := encodeCodes(&f)
	if err != nil {
		return nil, err
	}
	return r.rasterPrepared(font, &prepared{face: f, codes: c}), nil
}

func (r *Renderer) rasterPrepared(lf *labelFont, p *prepared) *image.Gray {
	pxmm := float64(r.opts.DPI) / 25.4
	wpx := int(math.Round(r.opts.Size.WidthMM * pxmm))
	hpx := int(math.Round(r.opts.Size.HeightMM * pxmm))
	img := image.NewGray(image.Rect(0, 0, wpx, hpx))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	cv := &pngCanvas{img: img, font: lf, pxmm: pxmm, dpi: float64(r.opts.DPI), codes: &p.codes, faces: map[float64]font.Face{}}
	newSheet(cv, lf.advanceOf, r.opts.Size, r.opts.DPI, len(p.codes.bars), len(p.codes.qr)).draw(&p.face)
	return img
}

// pngCanvas rasterises onto a grey image. Faces are per canvas because an
// opentype face caches glyphs and is not safe for concurrent use.
type pngCanvas struct {
	img   *image.Gray
	font  *labelFont
	pxmm  float64
	dpi   float64
	codes *codes
	faces map[float64]font.Face
}

func (c *pngCanvas) face(size float64) font.Face {
	if f, ok := c.faces[size]; ok {
		return f
	}
	f, err := opentype.NewFace(c.font.sfnt, &opentype.FaceOptions{
		Size: size / 25.4 * 72, DPI: c.dpi, Hinting: font.HintingFull,
	})
	if err != nil {
		// Only a bad size fails, and sizes come from the layout.
		panic(fmt.Sprintf("label: font face at %g mm: %v", size, err))
	}
	c.faces[size] = f
	return f
}

func (c *pngCanvas) text(x, y, size float64, s string, st textStyle) {
	src := image.Black
	if st&reverse != 0 {
		src = image.White
	}
	d := font.Drawer{Dst: c.img, Src: src, Face: c.face(size)}
	base := fixed.Point26_6{X: fixed.Int26_6(x * c.pxmm * 64), Y: fixed.Int26_6((y + size*ascent) * c.pxmm * 64)}
	d.Dot = base
	d.DrawString(s)
	if st&bold != 0 {
		// A second pass a fraction of the stem to the right: a heavier
		// face from the one font.
		d.Dot = base.Add(fixed.Point26_6{X: fixed.Int26_6(math.Max(0.6, size*c.pxmm*0.05) * 64)})
		d.DrawString(s)
	}
}

func (c *pngCanvas) box(x, y, w, h float64) {
	c.fill(c.px(x), c.px(y), c.px(x+w), c.px(y+h))
}

func (c *pngCanvas) fill(x0, y0, x1, y1 int) {
	draw.Draw(c.img, image.Rect(x0, y0, x1, y1), image.Black, image.Point{}, draw.Src)
}

func (c *pngCanvas) px(mm float64) int { return int(math.Round(mm * c.pxmm)) }

// code128 and qr place the symbol on a whole pixel and give every module
// the same whole number of pixels, so scanners see even bars.
func (c *pngCanvas) code128(x, y, mw, h float64) {
	x0, y0, y1 := c.px(x), c.px(y), c.px(y+h)
	m := max(1, c.px(mw))
	for i, b := range c.codes.bars {
		if b {
			c.fill(x0+i*m, y0, x0+(i+1)*m, y1)
		}
	}
}

func (c *pngCanvas) qr(x, y, mod float64) {
	x0, y0 := c.px(x), c.px(y)
	m := max(1, c.px(mod))
	for row, line := range c.codes.qr {
		for i, b := range line {
			if b {
				c.fill(x0+i*m, y0+row*m, x0+(i+1)*m, y0+(row+1)*m)
			}
		}
	}
}
