package printing

import (
	"bytes"
	"fmt"
	"sync"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/label"
)

// Renderers keeps one label renderer per printer setup (size, dpi, font),
// since a renderer parses its font once.
type Renderers struct {
	FontPath  string // CJK font for PDF and raster; "" for the default
	FontIndex int

	mu sync.Mutex
	m  map[rendererKey]*label.Renderer
}

type rendererKey struct {
	size string
	dpi  int
	font string
}

func (rs *Renderers) get(p *yuncang.Printer) (*label.Renderer, error) {
	k := rendererKey{p.Size, p.DPI, p.Font}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if r := rs.m[k]; r != nil {
		return r, nil
	}
	size := label.Size76x130
	if p.Size == label.Size100x150.Name {
		size = label.Size100x150
	}
	o := label.Options{Size: size, DPI: p.DPI, FontPath: rs.FontPath, FontIndex: rs.FontIndex}
	switch p.Language {
	case yuncang.PrintZPL:
		o.ZPLFont = p.Font
	case yuncang.PrintTSPL:
		o.TSPLFont = p.Font
	}
	r, err := label.New(o)
	if err != nil {
		return nil, err
	}
	if rs.m == nil {
		rs.m = map[rendererKey]*label.Renderer{}
	}
	rs.m[k] = r
	return r, nil
}

// Render renders labels in the printer's language. Every label passes the
// renderer's masking gate or nothing is rendered.
func (rs *Renderers) Render(p *yuncang.Printer, labels []label.Label) ([]byte, error) {
	r, err := rs.get(p)
	if err != nil {
		return nil, yuncang.Internal(err, "label renderer")
	}
	var buf bytes.Buffer
	switch p.Language {
	case yuncang.PrintZPL:
		err = r.ZPL(&buf, labels)
	case yuncang.PrintZPLRaster:
		err = r.ZPLRaster(&buf, labels)
	case yuncang.PrintTSPL:
		err = r.TSPL(&buf, labels)
	case yuncang.PrintTSPLRaster:
		err = r.TSPLRaster(&buf, labels)
	case yuncang.PrintPDF:
		err = r.PDF(&buf, labels)
	default:
		return nil, yuncang.Internal(fmt.Errorf("printer %d: language %q", p.ID, p.Language), "render labels")
	}
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.EINVALID {
			return nil, err // the gate named the field, never the value
		}
		return nil, yuncang.Internal(err, "render labels")
	}
	return buf.Bytes(), nil
}
