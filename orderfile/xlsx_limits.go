package orderfile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/yuncang/yuncang"
)

// Limits that keep a workbook's memory bounded whatever it unzips to. A zip
// bomb of 511 KB that inflates to 500 MB (one giant cell, one giant shared
// string, or millions of rows) took 1.1 GB per upload before: excelize holds
// a whole cell or shared string table in memory while it parses. A workbook
// is now checked as a stream, in constant memory, before excelize opens it:
//
//   - its entries may declare at most maxUnzipped bytes in all (archive/zip
//     refuses an entry that inflates past what it declares, so the check
//     holds for a lying header too), and at most maxEntries entries;
//   - in every worksheet and the shared string table, no run of text or
//     markup between two tags may exceed maxXMLText bytes, no tag maxXMLTag,
//     no row more than maxRowCells cells, no sheet more than maxSheetRows
//     rows;
//   - the shared string table (xl/sharedStrings.xml), which excelize parses
//     whole into memory (about 90 bytes per entry: 8,000,000 one-letter
//     entries in a 332 KB upload took 750 MB and 45 s), may hold at most
//     maxSharedStrings entries and maxSharedText bytes of text, and no more
//     entries than the worksheets have cells plus sharedStringSlack: a cell
//     refers to one entry, so the rest could never be read. The worksheets
//     are scanned first to count their cells.
//
// The rows then stream through excelize (worksheets larger than its 16 MB
// in-memory limit go through a temporary file), and Read stops once the
// cells it has kept exceed maxKeptText.
const (
	maxUnzipped  = 256 << 20
	maxEntries   = 1000
	maxXMLText   = 32 << 10
	maxXMLTag    = 64 << 10
	maxRowCells  = 512
	maxSheetRows = 1 << 20 // Excel's own limit
	maxKeptText  = 64 << 20

	maxSharedStrings  = 1_000_000
	maxSharedText     = 64 << 20
	sharedStringSlack = 1 << 16 // unused entries some writers leave behind
)

// tooLarge is the error for a workbook past a limit: the merchant can fix it
// by splitting or cleaning the file.
func tooLarge(msg string, args ...any) error {
	return yuncang.Invalid("file", msg, args...)
}

// checkWorkbook runs the stream checks over an XLSX file held in data.
func checkWorkbook(data []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return badWorkbook("the file is not a readable XLSX workbook", err)
	}
	if len(zr.File) > maxEntries {
		return tooLarge("the workbook has more than %d parts", maxEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxUnzipped {
			return tooLarge("the workbook is larger than %d MB once unzipped; split it into smaller files", maxUnzipped>>20)
		}
	}
	// Worksheets first: their cells bound the shared string table.
	var cells int
	var ssts []*zip.File
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if name == "xl/sharedstrings.xml" {
			ssts = append(ssts, f)
			continue
		}
		if !strings.HasPrefix(name, "xl/worksheets/") {
			continue
		}
		n, err := checkPart(f)
		if err != nil {
			return err
		}
		cells += n.cells
	}
	for _, sst := range ssts {
		n, err := checkPart(sst)
		if err != nil {
			return err
		}
		if err := checkSharedStrings(sst.Name, n, cells); err != nil {
			return err
		}
	}
	return nil
}

// checkSharedStrings applies the shared string table's limits to its counts.
func checkSharedStrings(part string, n xmlCounts, cells int) error {
	switch {
	case n.strings > maxSharedStrings:
		return tooLarge("the workbook's shared strings (%s) hold more than %d entries; split it into smaller files", part, maxSharedStrings)
	case n.strings > cells+sharedStringSlack:
		return tooLarge("the workbook's shared strings (%s) hold %d entries, far more than its %d cells could use; save it again from Excel", part, n.strings, cells)
	case n.text > maxSharedText:
		return tooLarge("the workbook's shared strings (%s) hold more than %d MB of text; split it into smaller files", part, maxSharedText>>20)
	}
	return nil
}

func checkPart(f *zip.File) (xmlCounts, error) {
	rc, err := f.Open()
	if err != nil {
		return xmlCounts{}, badWorkbook("the file is not a readable XLSX workbook", err)
	}
	defer rc.Close()
	return checkSheetXML(rc)
}

// xmlCounts is what checkSheetXML counted: cells (<c>), shared string
// entries (<si>) and bytes of text between tags (at least their decoded
// length: an entity is never shorter than what it stands for).
type xmlCounts struct {
	cells, strings, text int
}

// checkSheetXML scans worksheet or shared-string XML without parsing it:
// it measures every text run and tag and counts rows and cells per row.
func checkSheetXML(r io.Reader) (xmlCounts, error) {
	var n xmlCounts
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		inTag            bool
		run              int // bytes of the current text run or tag
		rows, cellsInRow int
		name             [4]byte // the first bytes of the current tag
		nameLen          int
	)
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
				return n, badWorkbook("the workbook is damaged or unzips to more than it declares", err)
			}
			return n, badWorkbook("the file is not a readable XLSX workbook", err)
		}
		switch {
		case c == '<' && !inTag:
			inTag, run, nameLen = true, 0, 0
			continue
		case c == '>' && inTag:
			inTag, run = false, 0
			switch {
			case tagIs(name[:nameLen], "row"):
				if rows++; rows > maxSheetRows {
					return n, tooLarge("a worksheet has more than %d rows", maxSheetRows)
				}
				cellsInRow = 0
			case tagIs(name[:nameLen], "c"):
				n.cells++
				if cellsInRow++; cellsInRow > maxRowCells {
					return n, tooLarge("a row has more than %d cells", maxRowCells)
				}
			case tagIs(name[:nameLen], "si"):
				n.strings++
			}
			continue
		}
		run++
		if inTag {
			if nameLen < len(name) {
				name[nameLen] = c
				nameLen++
			}
			if run > maxXMLTag {
				return n, tooLarge("the workbook has a tag longer than %d KB", maxXMLTag>>10)
			}
		} else {
			n.text++
			if run > maxXMLText {
				return n, tooLarge("a cell holds more than %d KB of text", maxXMLText>>10)
			}
		}
	}
}

// tagIs reports whether the start of a tag (the bytes after '<') opens
// element el: "row" matches "row r=…" and "row/" but not "rows".
func tagIs(head []byte, el string) bool {
	if len(head) < len(el) || string(head[:len(el)]) != el {
		return false
	}
	if len(head) == len(el) {
		return true
	}
	switch head[len(el)] {
	case ' ', '/', '\t', '\n', '\r':
		return true
	}
	return false
}
