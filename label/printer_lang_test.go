package label

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/agent/printertest"
)

// TestTSPLStructure reads the job back as a TSPL printer would: one label
// per CLS…PRINT, the masked recipient in text, the waybill as Code 128 and
// the token as QR, and no plaintext anywhere in the bytes.
func TestTSPLStructure(t *testing.T) {
	for _, o := range []Options{{Size: Size76x130}, {Size: Size100x150, DPI: 300, TSPLFont: "TSS24.BF2"}} {
		r, err := New(o)
		if err != nil {
			t.Fatal(err)
		}
		const n = 12
		labels := make([]Label, n)
		for i := range labels {
			labels[i] = sampleLabel(t, fmt.Sprintf("7390246801%04d", i))
		}
		var buf bytes.Buffer
		if err := r.TSPL(&buf, labels); err != nil {
			t.Fatal(err)
		}
		got, err := printertest.ParseTSPL(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("%d labels read back, want %d", len(got), n)
		}
		for i, l := range got {
			if len(l.Barcodes) != 1 || l.Barcodes[0] != labels[i].Waybill {
				t.Errorf("label %d barcodes %q", i, l.Barcodes)
			}
			if len(l.QRCodes) != 1 || l.QRCodes[0] != labels[i].QRToken {
				t.Errorf("label %d QR %q", i, l.QRCodes)
			}
			all := l.All()
			for _, want := range []string{"欧阳**", "138******78", "330782"} {
				if !strings.Contains(all, want) {
					t.Errorf("label %d lacks %q", i, want)
				}
			}
			text := strings.Join(l.Texts, "\n")
			for _, bad := range forbidden {
				if strings.Contains(text, bad) {
					t.Errorf("label %d prints %q", i, bad)
				}
			}
		}
		if !strings.Contains(buf.String(), `"`+r.Options().TSPLFont+`"`) || !strings.Contains(buf.String(), "CODEPAGE UTF-8") {
			t.Error("TSPL text is not set in the printer's CJK font as UTF-8")
		}
	}
	if _, err := New(Options{TSPLFont: `X",1`}); err == nil {
		t.Error("a TSPL font name with a quote was accepted")
	}
}

// TestZPLReadsBack parses the vector ZPL as a printer would.
func TestZPLReadsBack(t *testing.T) {
	r, err := New(Options{ZPLFont: "E:NOTOSANS.TTF"})
	if err != nil {
		t.Fatal(err)
	}
	l := sampleLabel(t, "73902468010001")
	l.Remarks = "放门口^~_" // ZPL's command characters travel hex-escaped
	var buf bytes.Buffer
	if err := r.ZPL(&buf, []Label{l}); err != nil {
		t.Fatal(err)
	}
	got, err := printertest.ParseZPL(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Barcodes) != 1 || got[0].Barcodes[0] != l.Waybill || got[0].QRCodes[0] != l.QRToken {
		t.Fatalf("read back %+v", got)
	}
	if !strings.Contains(got[0].All(), "^~_") || !strings.Contains(buf.String(), "^CWJ,E:NOTOSANS.TTF") {
		t.Errorf("escaped remarks or font missing: %q", got[0].Texts)
	}
}

// TestRasterJobsScan prints raster ZPL and TSPL, rebuilds the picture from
// the job's bits as the printer would, and reads the barcode and QR code
// back with zbarimg.
func TestRasterJobsScan(t *testing.T) {
	zbarimg := need(t, "zbarimg", "zbar-tools")
	r := renderer(t, Options{})
	l := sampleLabel(t, "73902468019999")
	for _, tc := range []struct {
		name   string
		render func(*bytes.Buffer) error
		parse  func([]byte) ([]printertest.Label, error)
	}{
		{"zpl-raster", func(b *bytes.Buffer) error { return r.ZPLRaster(b, []Label{l}) }, printertest.ParseZPL},
		{"tspl-raster", func(b *bytes.Buffer) error { return r.TSPLRaster(b, []Label{l}) }, printertest.ParseTSPL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.render(&buf); err != nil {
				t.Fatal(err)
			}
			got, err := tc.parse(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].Image == nil {
				t.Fatalf("no picture in the job")
			}
			if len(got[0].Texts) != 0 {
				t.Errorf("a raster job carries printer text: %q", got[0].Texts)
			}
			file := filepath.Join(t.TempDir(), "label.png")
			f, err := os.Create(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, got[0].Image); err != nil {
				t.Fatal(err)
			}
			f.Close()
			out, err := exec.Command(zbarimg, "--quiet", file).Output()
			if err != nil {
				t.Fatalf("zbarimg: %v\n%s", err, out)
			}
			s := string(out)
			if !strings.Contains(s, "CODE-128:"+l.Waybill) || !strings.Contains(s, "QR-Code:"+l.QRToken) {
				t.Errorf("zbarimg read %q", s)
			}
		})
	}
}
