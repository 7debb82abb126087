package orderfile

import (
	"archive/zip"
	"bytes"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/yuncang/yuncang"
)

// sstBomb writes a workbook whose worksheet has a header and one data row of
// inline strings, and whose shared string table holds entries entries of
// text each: small on the wire, however many entries.
func sstBomb(t testing.TB, entries int, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, parts ...string) io.Writer {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range parts {
			io.WriteString(w, p)
		}
		return w
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)
	row := func(n string, cells ...string) string {
		s := `<row r="` + n + `">`
		for i, c := range cells {
			s += inline(string(rune('A'+i))+n, c)
		}
		return s + `</row>`
	}
	put("xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`,
		row("1", canonicalHeader...),
		// The data row refers to the table's first entry for its remarks.
		strings.TrimSuffix(row("2", "A1", "欧阳娜娜", "13800138000", "浙江省金华市义乌市稠城街道工人北路1号", "SKU-1", "2"), `</row>`)+`<c r="G2" t="s"><v>0</v></c></row>`,
		`</sheetData></worksheet>`)
	sst := put("xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	entry := `<si><t>` + text + `</t></si>`
	chunk := strings.Repeat(entry, max(1, 1<<16/len(entry)))
	per := strings.Count(chunk, "<si>")
	for n := 0; n < entries; {
		if entries-n < per {
			chunk = strings.Repeat(entry, entries-n)
		}
		io.WriteString(sst, chunk)
		n += strings.Count(chunk, "<si>")
	}
	io.WriteString(sst, `</sst>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// allocated runs fn and returns the bytes it allocated (TotalAlloc), which
// unlike a heap sample cannot miss a short peak.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestReadRefusesHugeSharedStringTable: a workbook of a few hundred KB whose
// shared string table holds millions of one-letter entries is refused by the
// stream check, naming the part, before excelize parses the table. Before the
// check, 8,000,000 entries took 750 MB and 45 s and were refused only for a
// missing column; 2,000,000 allocated about 600 MB.
func TestReadRefusesHugeSharedStringTable(t *testing.T) {
	entries := 8_000_000
	if testing.Short() {
		entries = 2_000_000
	}
	for _, tt := range []struct {
		name    string
		entries int
		text    string
		want    string
	}{
		{"millions of entries", entries, "x", "more than 1000000 entries"},
		{"far more entries than cells", 100_000, "x", "100000 entries, far more than its 14 cells could use"},
		{"more than 64 MB of text", 2100, strings.Repeat("A", 32000), "more than 64 MB of text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := sstBomb(t, tt.entries, tt.text)
			var err error
			alloc := allocated(func() { _, _, err = Read(bytes.NewReader(data), XLSX, Options{}) })
			t.Logf("%d KB holding %d shared strings: %.1f MB allocated", len(data)>>10, tt.entries, float64(alloc)/(1<<20))
			if yuncang.ErrorCode(err) != yuncang.EINVALID || yuncang.ErrorField(err) != "file" {
				t.Fatalf("err = %v, want invalid file", err)
			}
			msg := yuncang.ErrorMessage(err)
			if !strings.Contains(msg, "xl/sharedStrings.xml") || !strings.Contains(msg, tt.want) {
				t.Fatalf("message %q, want it to name xl/sharedStrings.xml and say %q", msg, tt.want)
			}
			// The stream check allocates its buffers and the file; the
			// table excelize would build is 90 bytes and more an entry.
			if limit := uint64(32 << 20); alloc > limit {
				t.Errorf("allocated %d MB, want at most %d MB", alloc>>20, limit>>20)
			}
		})
	}
}

// TestReadKeepsSmallSharedStringTables: a table with some unused entries (as
// some writers leave) still reads.
func TestReadKeepsSmallSharedStringTables(t *testing.T) {
	orders, rowErrs, err := Read(bytes.NewReader(sstBomb(t, 50_000, "备注")), XLSX, Options{})
	if err != nil || len(rowErrs) != 0 {
		t.Fatalf("Read: %v %v", err, rowErrs)
	}
	if len(orders) != 1 || orders[0].Input.Remarks != "备注" {
		t.Fatalf("orders = %+v", orders)
	}
}
