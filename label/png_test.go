package label

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/pii"
)

// TestPNGSymbolsScan decodes the rendered label with zbarimg: the barcode
// must read as the waybill and the QR code as the signed token, which must
// verify and hold nothing personal.
func TestPNGSymbolsScan(t *testing.T) {
	zbarimg := need(t, "zbarimg", "zbar-tools")
	for _, o := range []Options{
		{Size: Size76x130, DPI: 203},
		{Size: Size100x150, DPI: 203},
		{Size: Size76x130, DPI: 300},
	} {
		t.Run(o.Size.Name, func(t *testing.T) {
			r := renderer(t, o)
			l := sampleLabel(t, "73902468013579")
			l.Recipient.Phone, l.VirtualPhone = "", "17012345678转1234"
			var buf bytes.Buffer
			if err := r.PNG(&buf, l); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "label.png")
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(zbarimg, "--quiet", file).Output()
			if err != nil {
				t.Fatalf("zbarimg: %v\n%s", err, out)
			}
			got := map[string]string{}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				kind, data, _ := strings.Cut(line, ":")
				got[kind] = data
			}
			if got["CODE-128"] != l.Waybill {
				t.Errorf("barcode reads %q, want %q (zbarimg: %s)", got["CODE-128"], l.Waybill, out)
			}
			tok := got["QR-Code"]
			if tok != l.QRToken {
				t.Errorf("QR reads %q, want %q", tok, l.QRToken)
			}
			waybill, _, err := VerifyToken(testKey, tok)
			if err != nil || waybill != l.Waybill {
				t.Errorf("QR token does not verify: %q, %v", waybill, err)
			}
			if len(pii.Scan(tok)) != 0 || strings.Contains(tok, "12345678") || strings.Contains(tok, "1234") {
				t.Errorf("QR token %q carries personal data", tok)
			}
		})
	}
}

func TestPNGZip(t *testing.T) {
	r := renderer(t, Options{})
	labels := []Label{sampleLabel(t, "73902468013579"), sampleLabel(t, "73902468013580")}
	var buf bytes.Buffer
	if err := r.PNGZip(&buf, labels); err != nil {
		t.Fatal(err)
	}
	names := zipNames(t, buf.Bytes())
	want := []string{"0001-73902468013579.png", "0002-73902468013580.png"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("zip holds %v, want %v", names, want)
	}
}
