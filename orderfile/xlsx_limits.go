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
//     rows.
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
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if !strings.HasPrefix(name, "xl/worksheets/") && name != "xl/sharedstrings.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return badWorkbook("the file is not a readable XLSX workbook", err)
		}
		err = checkSheetXML(rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// checkSheetXML scans worksheet or shared-string XML without parsing it:
// it measures every text run and tag and counts rows and cells per row.
func checkSheetXML(r io.Reader) error {
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
			return nil
		}
		if err != nil {
			if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
				return badWorkbook("the workbook is damaged or unzips to more than it declares", err)
			}
			return badWorkbook("the file is not a readable XLSX workbook", err)
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
					return tooLarge("a worksheet has more than %d rows", maxSheetRows)
				}
				cellsInRow = 0
			case tagIs(name[:nameLen], "c"):
				if cellsInRow++; cellsInRow > maxRowCells {
					return tooLarge("a row has more than %d cells", maxRowCells)
				}
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
				return tooLarge("the workbook has a tag longer than %d KB", maxXMLTag>>10)
			}
		} else if run > maxXMLText {
			return tooLarge("a cell holds more than %d KB of text", maxXMLText>>10)
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
