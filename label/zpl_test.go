package label

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestZPLStructure(t *testing.T) {
	tests := []struct {
		o      Options
		pw, ll string
	}{
		{Options{Size: Size76x130}, "^PW607", "^LL1039"},
		{Options{Size: Size100x150}, "^PW799", "^LL1199"},
		{Options{Size: Size100x150, DPI: 300}, "^PW1181", "^LL1772"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.o.Size.Name, "@", tt.o.DPI), func(t *testing.T) {
			r, err := New(tt.o)
			if err != nil {
				t.Fatal(err)
			}
			const n = 25
			labels := make([]Label, n)
			for i := range labels {
				labels[i] = sampleLabel(t, fmt.Sprintf("7390246801%04d", i))
			}
			var buf bytes.Buffer
			if err := r.ZPL(&buf, labels); err != nil {
				t.Fatal(err)
			}
			z := buf.String()
			formats := regexp.MustCompile(`(?s)\^XA.*?\^XZ`).FindAllString(z, -1)
			if len(formats) != n || strings.Count(z, "^XA") != n || strings.Count(z, "^XZ") != n {
				t.Fatalf("want %d ^XA..^XZ formats, got %d", n, len(formats))
			}
			for i, f := range formats {
				for _, want := range []string{
					"^CI28", tt.pw, tt.ll, "^CWJ,E:SIMSUN.TTF",
					"^BCN,", "^FD" + labels[i].Waybill + "^FS",
					"^BQN,2,", "^FDMA," + labels[i].QRToken + "^FS",
					"^FD欧阳**^FS", "^FD138******78^FS", "浙-金华-义乌", "330782",
				} {
					if !strings.Contains(f, want) {
						t.Errorf("label %d lacks %q", i, want)
					}
				}
				assertNoPlaintext(t, f)
			}
			// Labels come out in batch order whichever worker made them.
			if !strings.Contains(formats[n-1], labels[n-1].Waybill) {
				t.Error("batch order not kept")
			}
		})
	}
}

// assertNoPlaintext checks a ZPL format's field data.
func assertNoPlaintext(t *testing.T, z string) {
	t.Helper()
	var text strings.Builder
	for _, m := range regexp.MustCompile(`\^FD([^^]*)\^FS`).FindAllStringSubmatch(z, -1) {
		text.WriteString(m[1])
		text.WriteByte('\n')
	}
	s := text.String()
	for _, bad := range forbidden {
		if strings.Contains(s, bad) {
			t.Errorf("ZPL field data contains %q", bad)
		}
	}
}

// TestZPLEscapes: field data can't end a field or start a command.
func TestZPLEscapes(t *testing.T) {
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := sampleLabel(t, "73902468013579")
	l.OrderRef = "A^XZ^XA~JR_1"
	var buf bytes.Buffer
	if err := r.ZPL(&buf, []Label{l}); err != nil {
		t.Fatal(err)
	}
	z := buf.String()
	if strings.Count(z, "^XA") != 1 || strings.Count(z, "^XZ") != 1 || strings.Contains(z, "~JR") {
		t.Errorf("order ref broke out of its field:\n%s", z)
	}
	if !strings.Contains(z, "^FH_^FD订单 A_5EXZ_5EXA_7EJR_5F1^FS") {
		t.Errorf("order ref not hex-escaped:\n%s", z)
	}
}

func TestZPLVirtualNumber(t *testing.T) {
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := sampleLabel(t, "73902468013579")
	l.Recipient.Phone, l.VirtualPhone = "", "170-1234-5678转1234"
	var buf bytes.Buffer
	if err := r.ZPL(&buf, []Label{l}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "^FD17012345678 转 1234^FS") {
		t.Errorf("virtual number not printed:\n%s", buf.String())
	}
}

func TestZPLRefusesBatch(t *testing.T) {
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]Label, 300)
	for i := range labels {
		labels[i] = sampleLabel(t, fmt.Sprintf("7390246801%04d", i))
	}
	labels[217].Recipient.Name = "欧阳娜娜"
	var buf bytes.Buffer
	err = r.ZPL(&buf, labels)
	if err == nil || !strings.Contains(err.Error(), "labels[217].recipient.name") || strings.Contains(err.Error(), "娜娜") {
		t.Fatalf("err = %v, want one naming labels[217].recipient.name and not the name", err)
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written for a refused batch", buf.Len())
	}
}

func TestQRModules(t *testing.T) {
	tests := []struct {
		token string
		want  int
	}{
		{strings.Repeat("A", 20), 21},
		{strings.Repeat("A", 21), 25},
		{strings.Repeat("A", 61), 29},
		{strings.Repeat("a", 42), 29},
		{strings.Repeat("a", 43), 33},
	}
	for _, tt := range tests {
		if got := qrModules(tt.token); got != tt.want {
			t.Errorf("qrModules(%d × %q) = %d, want %d", len(tt.token), tt.token[0], got, tt.want)
		}
	}
}

// TestBatchSenders: a batch reuses the masked sender only while the sender
// stays the same.
func TestBatchSenders(t *testing.T) {
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	labels := []Label{sampleLabel(t, "73902468013579"), sampleLabel(t, "73902468013580"), sampleLabel(t, "73902468013581")}
	labels[1].Sender = Party{Name: "司马相如", Phone: "13912345678", Address: "四川省成都市双流区东升街道棠湖西路8号"}
	var buf bytes.Buffer
	if err := r.ZPL(&buf, labels); err != nil {
		t.Fatal(err)
	}
	formats := strings.SplitAfter(buf.String(), "^XZ\n")
	for i, want := range []string{"^FD王**^FS", "^FD司马**^FS", "^FD王**^FS"} {
		if !strings.Contains(formats[i], want) {
			t.Errorf("label %d lacks sender %s", i, want)
		}
	}
	if !strings.Contains(formats[1], "^FD139******78^FS") || !strings.Contains(formats[1], "四川省成都市双流区东升街道****") {
		t.Errorf("label 1 does not show its own masked sender:\n%s", formats[1])
	}
	labels[2].Sender.Phone = "12"
	if err := r.ZPL(&bytes.Buffer{}, labels); err == nil || !strings.Contains(err.Error(), "labels[2].sender.phone") {
		t.Errorf("err = %v, want labels[2].sender.phone", err)
	}
}
