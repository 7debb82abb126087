package label

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yuncang/yuncang/pii"
)

// forbidden are pieces of the known recipient's and sender's plaintext that
// no label may show.
var forbidden = []string{
	"欧阳娜娜", "娜娜", "13812345678", "12345678", "5678", "1234",
	"1088号", "1088", "3单元", "502室", "工人北路",
	"王小明", "小明", "85123456", "国际商贸城", "12号",
}

// mustShow are the masked forms and routing a label must carry.
var mustShow = []string{
	"欧阳**", "138******78", "浙江省金华市义乌市稠城街道****",
	"王**", "0579-******56", "浙江省金华市义乌市福田街道****",
	"浙-金华-义乌", "330782", "中通快递", "73902468013579",
}

// TestPDFShowsNothingWorthStealing renders labels for known recipients in
// both sizes and reads them back with poppler's pdftotext.
func TestPDFShowsNothingWorthStealing(t *testing.T) {
	pdftotext := need(t, "pdftotext", "poppler-utils")
	pdfinfo := need(t, "pdfinfo", "poppler-utils")
	for _, size := range []Size{Size76x130, Size100x150} {
		t.Run(size.Name, func(t *testing.T) {
			r := renderer(t, Options{Size: size})
			l := sampleLabel(t, "73902468013579")
			file := filepath.Join(t.TempDir(), "label.pdf")
			var buf bytes.Buffer
			if err := r.PDF(&buf, []Label{l}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			assertPrivate(t, string(out))

			info, err := exec.Command(pdfinfo, file).Output()
			if err != nil {
				t.Fatal(err)
			}
			assertPageSize(t, string(info), size)
		})
	}
}

// assertPrivate checks extracted label text.
func assertPrivate(t *testing.T, text string) {
	t.Helper()
	// Lines wrap anywhere, so compare with the whitespace taken out.
	flat := strings.Join(strings.Fields(text), "")
	for _, s := range forbidden {
		if strings.Contains(flat, s) {
			t.Errorf("label text contains %q:\n%s", s, text)
		}
	}
	for _, s := range mustShow {
		if !strings.Contains(flat, s) {
			t.Errorf("label text lacks %q:\n%s", s, text)
		}
	}
	if f := pii.Scan(text); len(f) != 0 {
		t.Errorf("label text holds %d complete phone or ID numbers:\n%s", len(f), text)
	}
	// Every partly starred number hides at least six digits.
	for _, run := range numberRun.FindAllString(text, -1) {
		if strings.ContainsAny(run, "0123456789") && strings.Contains(run, "*") && strings.Count(run, "*") < 6 {
			t.Errorf("label text shows %q, which hides fewer than 6 digits", run)
		}
	}
}

var numberRun = regexp.MustCompile(`[0-9*][0-9*-]*`)

// assertPageSize reads "Page size: 215.43 x 368.5 pts" from pdfinfo.
func assertPageSize(t *testing.T, info string, size Size) {
	t.Helper()
	var w, h float64
	for _, line := range strings.Split(info, "\n") {
		if rest, ok := strings.CutPrefix(line, "Page size:"); ok {
			fmt.Sscanf(strings.TrimSpace(rest), "%g x %g", &w, &h)
		}
	}
	const mm = 72 / 25.4
	if fabs(w-size.WidthMM*mm) > 0.5 || fabs(h-size.HeightMM*mm) > 0.5 {
		t.Errorf("page is %.1f x %.1f pt, want %.1f x %.1f (%s mm)\n%s", w, h, size.WidthMM*mm, size.HeightMM*mm, size.Name, info)
	}
}

func fabs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// TestPDFBatch: one file, one page per label, each label its own text, one
// embedded font.
func TestPDFBatch(t *testing.T) {
	pdfinfo := need(t, "pdfinfo", "poppler-utils")
	pdftotext := need(t, "pdftotext", "poppler-utils")
	pdffonts := need(t, "pdffonts", "poppler-utils")
	r := renderer(t, Options{Size: Size100x150})
	const n = 120
	labels := make([]Label, n)
	for i := range labels {
		labels[i] = sampleLabel(t, fmt.Sprintf("7390246801%04d", i))
	}
	file := filepath.Join(t.TempDir(), "batch.pdf")
	var buf bytes.Buffer
	if err := r.PDF(&buf, labels); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command(pdfinfo, file).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(fmt.Sprintf(`(?m)^Pages:\s+%d$`, n)).Match(info) {
		t.Errorf("want %d pages:\n%s", n, info)
	}
	assertPageSize(t, string(info), Size100x150)
	for _, page := range []int{1, 77, n} {
		out, err := exec.Command(pdftotext, "-f", fmt.Sprint(page), "-l", fmt.Sprint(page), file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		if want := labels[page-1].Waybill; !strings.Contains(string(out), want) {
			t.Errorf("page %d lacks its waybill %s", page, want)
		}
	}
	fonts, err := exec.Command(pdffonts, file).Output()
	if err != nil {
		t.Fatal(err)
	}
	// Header, rule, then one line per font.
	if lines := strings.Split(strings.TrimSpace(string(fonts)), "\n"); len(lines) != 3 {
		t.Errorf("want one embedded font:\n%s", fonts)
	}
}

func TestPDFBatchRefusesOneBadLabel(t *testing.T) {
	r := renderer(t, Options{})
	labels := []Label{sampleLabel(t, "73902468013579"), sampleLabel(t, "73902468013580")}
	labels[1].Recipient.Phone = "13812345678"
	var buf bytes.Buffer
	err := r.PDF(&buf, labels)
	if err == nil || !strings.Contains(err.Error(), "labels[1].recipient.phone") {
		t.Fatalf("err = %v, want one naming labels[1].recipient.phone", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written for a refused batch", buf.Len())
	}
}

func TestMissingFontNamesPackage(t *testing.T) {
	r, err := New(Options{FontPath: filepath.Join(t.TempDir(), "none.ttf")})
	if err != nil {
		t.Fatal(err)
	}
	err = r.PDF(&bytes.Buffer{}, []Label{sampleLabel(t, "73902468013579")})
	if err == nil || !strings.Contains(err.Error(), FontPackage) {
		t.Fatalf("err = %v, want one naming %s", err, FontPackage)
	}
}

// TestPDFSymbolsScan rasterises the PDF as a 203 dpi printer would and
// scans it: the vector barcode and QR code must read like the PNG's.
func TestPDFSymbolsScan(t *testing.T) {
	pdftoppm := need(t, "pdftoppm", "poppler-utils")
	zbarimg := need(t, "zbarimg", "zbar-tools")
	r := renderer(t, Options{Size: Size76x130})
	l := sampleLabel(t, "73902468013579")
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := r.PDF(&buf, []Label{l}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "label.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-r", "203", "-png", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command(zbarimg, "--quiet", filepath.Join(dir, "page.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	for _, want := range []string{"CODE-128:" + l.Waybill, "QR-Code:" + l.QRToken} {
		if !strings.Contains(string(out), want+"\n") {
			t.Errorf("scan lacks %s:\n%s", want, out)
		}
	}
}

// TestPDFVirtualNumber: with a virtual number the label shows it, and it is
// the only complete number on the label.
func TestPDFVirtualNumber(t *testing.T) {
	pdftotext := need(t, "pdftotext", "poppler-utils")
	r := renderer(t, Options{Size: Size76x130})
	l := sampleLabel(t, "73902468013579")
	l.Recipient.Phone, l.VirtualPhone = "", "170 1234 5678 转 4321"
	var buf bytes.Buffer
	if err := r.PDF(&buf, []Label{l}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "label.pdf")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if !strings.Contains(strings.Join(strings.Fields(text), ""), "17012345678转4321") {
		t.Errorf("virtual number not shown:\n%s", text)
	}
	for _, f := range pii.Scan(text) {
		got := string([]rune(text)[f.Start:f.End])
		if !strings.HasPrefix(strings.ReplaceAll(got, " ", ""), "17012345678") {
			t.Errorf("label shows a complete number %q besides the virtual one", got)
		}
	}
	if strings.Contains(text, "13812345678") || strings.Contains(text, "欧阳娜娜") {
		t.Error("label shows the real recipient")
	}
}
