package label

import (
	"fmt"

	"github.com/boombuler/barcode/code128"
)

// codes are a label's two symbols as modules, for the renderers that draw
// them (PDF, PNG); ZPL has the printer draw its own.
type codes struct {
	bars []bool   // Code 128 modules, true = bar, no quiet zone
	qr   [][]bool // QR modules [y][x], no quiet zone
}

// encodeCodes encodes the waybill as Code 128 (github.com/boombuler/barcode,
// which picks code sets B and C to keep digit runs short) and the token as a
// QR code at error-correction level M (encodeQR, in qr.go).
func encodeCodes(f *face) (codes, error) {
	var c codes
	bc, err := code128.Encode(f.waybill)
	if err != nil {
		return c, fmt.Errorf("label: encoding waybill as Code 128: %w", err)
	}
	w := bc.Bounds().Dx()
	c.bars = make([]bool, w)
	for x := range w {
		r, _, _, _ := bc.At(x, 0).RGBA()
		c.bars[x] = r == 0
	}
	if c.qr, err = encodeQR(f.token); err != nil {
		return c, fmt.Errorf("label: encoding token as QR: %w", err)
	}
	return c, nil
}

// code128Modules returns the number of modules of the Code 128 symbol of s,
// without quiet zones.
func code128Modules(s string) (int, error) {
	bc, err := code128.Encode(s)
	if err != nil {
		return 0, err
	}
	return bc.Bounds().Dx(), nil
}
