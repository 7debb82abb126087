package label

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/yuncang/yuncang"
)

// Options configure a Renderer. The zero value renders 76×130 mm labels at
// 203 dpi with the first font of DefaultFontPaths.
type Options struct {
	Size Size
	// DPI is the printer resolution PNG and ZPL are made for, and the grid
	// PDF barcodes snap to: 203 (8 dots/mm) or 300 (12 dots/mm).
	DPI int
	// FontPath is a TrueType font (.ttf) or collection (.ttc) with CJK and
	// Latin glyphs; FontIndex picks the font in a collection. Empty means
	// the first of DefaultFontPaths that exists. Only PDF and PNG need it.
	FontPath  string
	FontIndex int
	// ZPLFont is the printer-resident TrueType font ZPL text is set in,
	// with ^CI28 (UTF-8). Default "E:SIMSUN.TTF"; the font must be on the
	// printer (downloaded once with ~DY or Zebra's font tools).
	ZPLFont string
	// TSPLFont is the printer-resident font TSPL text is set in. Default
	// "TSS24.BF2", the 24×24 Simplified-Chinese font TSC-compatible printers
	// carry.
	TSPLFont string
	// CompressPDF deflates page content. Off by default: a 1,000-label
	// batch is about 10 MB instead of 2.7 MB, but renders about twice as
	// fast (the PDF writer sets up a new deflater per page), and it goes to
	// a local printer, not over a slow link.
	CompressPDF bool
}

// Renderer renders labels. It is safe for concurrent use; the font is read
// and parsed once, on first use by PDF or PNG.
type Renderer struct {
	opts Options

	fontOnce sync.Once
	font     *labelFont
	fontErr  error
}

// New returns a Renderer for opts.
func New(opts Options) (*Renderer, error) {
	if opts.Size == (Size{}) {
		opts.Size = Size76x130
	}
	if opts.Size.WidthMM < 50 || opts.Size.HeightMM < 80 || opts.Size.WidthMM > 300 || opts.Size.HeightMM > 400 {
		return nil, fmt.Errorf("label: size %gx%g mm is outside 50x80 to 300x400", opts.Size.WidthMM, opts.Size.HeightMM)
	}
	switch opts.DPI {
	case 0:
		opts.DPI = 203
	case 203, 300, 600:
	default:
		return nil, fmt.Errorf("label: dpi must be 203, 300 or 600")
	}
	if opts.ZPLFont == "" {
		opts.ZPLFont = "E:SIMSUN.TTF"
	}
	for _, c := range opts.ZPLFont {
		if c == '^' || c == '~' || c == ',' || c < ' ' || c > '~' {
			return nil, fmt.Errorf("label: ZPL font name must be printable ASCII without ^, ~ and commas")
		}
	}
	if opts.TSPLFont == "" {
		opts.TSPLFont = "TSS24.BF2"
	}
	for _, c := range opts.TSPLFont {
		if c == '"' || c == ',' || c < ' ' || c > '~' {
			return nil, fmt.Errorf("label: TSPL font name must be printable ASCII without quotes and commas")
		}
	}
	return &Renderer{opts: opts}, nil
}

// Options returns the renderer's options with defaults filled in.
func (r *Renderer) Options() Options { return r.opts }

// loadFont returns the parsed font, reading it on first use.
func (r *Renderer) loadFont() (*labelFont, error) {
	r.fontOnce.Do(func() { r.font, r.fontErr = cachedFont(r.opts.FontPath, r.opts.FontIndex) })
	return r.font, r.fontErr
}

// fonts keeps every font loaded, so renderers for several sizes share one
// parsed copy (a CJK font is megabytes).
var fonts struct {
	sync.Mutex
	m map[[2]string]*labelFont
}

func cachedFont(path string, index int) (*labelFont, error) {
	key := [2]string{path, fmt.Sprint(index)}
	fonts.Lock()
	defer fonts.Unlock()
	if f := fonts.m[key]; f != nil {
		return f, nil
	}
	f, err := loadFont(path, index)
	if err != nil {
		return nil, err
	}
	if fonts.m == nil {
		fonts.m = map[[2]string]*labelFont{}
	}
	fonts.m[key] = f
	return f, nil
}

// FontPath returns the font file in use, loading it if needed.
func (r *Renderer) FontPath() (string, error) {
	f, err := r.loadFont()
	if err != nil {
		return "", err
	}
	return f.path, nil
}

// prepared is one label through the gate, with its symbols if the format
// draws them.
type prepared struct {
	face  face
	codes codes
}

// prepareAll runs the gate (and, with symbols, the barcode and QR encoders)
// over a batch on every core, since QR encoding dominates a PDF batch. Any
// refused label fails the whole batch before anything is written; the error
// names the label's index.
func prepareAll(labels []Label, symbols bool) ([]prepared, error) {
	out := make([]prepared, len(labels))
	errs := make([]error, len(labels))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(labels)/8))
	var wg sync.WaitGroup
	var next int
	var mu sync.Mutex
	const chunk = 16
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var g gate
			for {
				mu.Lock()
				lo := next
				next += chunk
				mu.Unlock()
				if lo >= len(labels) {
					return
				}
				for i := lo; i < min(lo+chunk, len(labels)); i++ {
					f, err := g.prepare(&labels[i])
					if err == nil && symbols {
						out[i].codes, err = encodeCodes(&f)
					}
					out[i].face, errs[i] = f, err
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, inBatch(i, len(labels), err)
		}
	}
	return out, nil
}

// inBatch names the label an error is about: labels[3].recipient.phone.
func inBatch(i, n int, err error) error {
	e, ok := err.(*yuncang.Error)
	if !ok || n == 1 {
		return err
	}
	c := *e
	if c.Field != "" {
		c.Field = fmt.Sprintf("labels[%d].%s", i, c.Field)
	} else {
		c.Field = fmt.Sprintf("labels[%d]", i)
	}
	return &c
}
