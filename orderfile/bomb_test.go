package orderfile

import (
	"archive/zip"
	"bytes"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

// bombKind is what a zip-bomb workbook inflates to.
type bombKind int

const (
	bombRows       bombKind = iota // millions of identical rows
	bombCell                       // one cell holding all of it
	bombSharedStrs                 // one shared string holding all of it
	bombSharedRefs                 // 30 KB shared string, referenced by every row
)

// zipBomb writes a minimal XLSX workbook whose worksheet (or shared string
// table) unzips to about size bytes of highly repetitive XML: a few hundred
// KB on the wire. It streams, so making it costs no memory.
func zipBomb(t testing.TB, kind bombKind, size int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	header := `<row r="1">` + inline("A1", "merchant_order_id") + inline("B1", "recipient_name") + inline("C1", "recipient_phone") +
		inline("D1", "recipient_address") + inline("E1", "sku") + inline("F1", "quantity") + inline("G1", "remarks") + `</row>`
	repeat := func(w io.Writer, unit string, n int) {
		chunk := strings.Repeat(unit, max(1, 1<<16/len(unit)))
		for written := 0; written < n; written += len(chunk) {
			if _, err := io.WriteString(w, chunk); err != nil {
				t.Fatal(err)
			}
		}
	}
	sheet, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(sheet, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`+header)
	switch kind {
	case bombRows:
		repeat(sheet, `<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>y</t></is></c></row>`, size)
	case bombCell:
		io.WriteString(sheet, `<row r="2"><c r="A2" t="inlineStr"><is><t>`)
		repeat(sheet, "A", size)
		io.WriteString(sheet, `</t></is></c></row>`)
	case bombSharedStrs:
		io.WriteString(sheet, `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`)
	case bombSharedRefs:
		repeat(sheet, `<row><c t="s"><v>0</v></c></row>`, size)
	}
	io.WriteString(sheet, `</sheetData></worksheet>`)
	sst, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`)
	switch kind {
	case bombSharedStrs:
		repeat(sst, "A", size)
	case bombSharedRefs:
		io.WriteString(sst, strings.Repeat("A", 30<<10))
	}
	io.WriteString(sst, `</t></si></sst>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func inline(ref, s string) string {
	return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>`
}

// peakHeap runs fn and returns the most heap memory in use while it ran,
// above what was in use before, sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
				peak.Store(m.HeapInuse - base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	runtime.ReadMemStats(&ms)
	if ms.HeapInuse > base && ms.HeapInuse-base > peak.Load() {
		peak.Store(ms.HeapInuse - base)
	}
	return peak.Load()
}

// TestReadRefusesZipBombs: a workbook of a few hundred KB that unzips to
// 500 MB (or, below the unzipped-size cap, to 200 MB in one cell or one
// shared string) is refused with an error naming the file, and reading it
// never holds more than a few MB. Before the stream checks the 100 MB
// versions alone peaked at 391 MB and 427 MB of heap and were accepted.
func TestReadRefusesZipBombs(t *testing.T) {
	mb := 1 << 20
	big, under := 500*mb, 200*mb
	if testing.Short() {
		under = 40 * mb
	}
	for _, tt := range []struct {
		name string
		kind bombKind
		size int
		want string
	}{
		{"500 MB of rows", bombRows, big, "once unzipped"},
		{"500 MB in one cell", bombCell, big, "once unzipped"},
		{"one cell under the unzipped cap", bombCell, under, "KB of text"},
		{"one shared string under the unzipped cap", bombSharedStrs, under, "KB of text"},
		{"rows under the unzipped cap", bombRows, under, "rows"},
		{"a shared string in every row", bombSharedRefs, 3 * mb, "MB of text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := zipBomb(t, tt.kind, tt.size)
			var err error
			peak := peakHeap(func() { _, _, err = Read(bytes.NewReader(data), XLSX, Options{}) })
			t.Logf("%d KB zip inflating to %d MB: peak heap %.1f MB", len(data)>>10, tt.size>>20, float64(peak)/float64(mb))
			if yuncang.ErrorCode(err) != yuncang.EINVALID || !strings.Contains(yuncang.ErrorMessage(err), tt.want) {
				t.Fatalf("err = %v, want invalid file %q", err, tt.want)
			}
			if yuncang.ErrorField(err) != "file" {
				t.Errorf("field = %q, want file", yuncang.ErrorField(err))
			}
			// What Read keeps is capped at maxKeptText; everything else
			// is a few buffers.
			if ceiling := uint64(maxKeptText + 64*mb); peak > ceiling {
				t.Errorf("peak heap %d MB, want at most %d MB", peak>>20, ceiling>>20)
			}
		})
	}
}

// TestCheckSheetXMLCounts checks the stream checker's counting on small
// inputs, so that the limits are what they say.
func TestCheckSheetXMLCounts(t *testing.T) {
	cells := func(n int) string { return "<row>" + strings.Repeat(`<c r="A1"><v>1</v></c>`, n) + "</row>" }
	tests := []struct {
		xml string
		ok  bool
	}{
		{cells(maxRowCells), true},
		{cells(maxRowCells + 1), false},
		{cells(maxRowCells) + cells(maxRowCells), true},
		{"<rows>" + strings.Repeat("<cx/>", maxRowCells+1) + "</rows>", true}, // other elements
		{"<t>" + strings.Repeat("a", maxXMLText) + "</t>", true},
		{"<t>" + strings.Repeat("a", maxXMLText+1) + "</t>", false},
		{"<c " + strings.Repeat("a", maxXMLTag) + ">", false},
	}
	for i, tt := range tests {
		_, err := checkSheetXML(strings.NewReader(tt.xml))
		if (err == nil) != tt.ok {
			t.Errorf("case %d: err = %v, want ok=%v", i, err, tt.ok)
		}
	}
}
