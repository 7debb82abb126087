package orderfile

import (
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/yuncang/yuncang"
)

type xlsxSource struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
	kept int // bytes of cell text handed out so far
}

func newXLSXSource(r io.Reader, sheet string) (*xlsxSource, error) {
	// The zip format needs random access: the file is in memory anyway
	// (excelize reads it whole), and the caller bounds its size.
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, yuncang.Internal(err, "reading order file")
	}
	if err := checkWorkbook(data); err != nil {
		return nil, err
	}
	er := &errReader{r: bytes.NewReader(data)}
	f, err := excelize.OpenReader(er, excelize.Options{
		// Raw values: "13800138000" rather than a number format's rendering
		// of it, and quantities without thousands separators.
		RawCellValue:   true,
		UnzipSizeLimit: maxUnzipped,
	})
	if err != nil {
		if er.err != nil {
			return nil, yuncang.Internal(er.err, "reading order file")
		}
		if strings.Contains(err.Error(), "unzip size") {
			return nil, badWorkbook("the workbook is too large once unzipped", err)
		}
		return nil, badWorkbook("the file is not a readable XLSX workbook", err)
	}
	if sheet == "" {
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			_ = f.Close()
			return nil, fileError("the workbook has no worksheets")
		}
		sheet = sheets[0]
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		_ = f.Close()
		var missing excelize.ErrSheetNotExist
		if errors.As(err, &missing) {
			return nil, yuncang.Invalid("sheet", "the workbook has no sheet named %q", sheet)
		}
		return nil, badWorkbook("the worksheet cannot be read", err)
	}
	return &xlsxSource{f: f, rows: rows}, nil
}

func (s *xlsxSource) next() (int, []string, error) {
	// Rows.Next steps through every row number, including those missing
	// from the sheet's XML, so counting calls gives the row the merchant sees.
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return 0, nil, badWorkbook("the worksheet cannot be read", err)
		}
		return 0, nil, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns()
	if err != nil {
		return 0, nil, badWorkbook("the worksheet cannot be read", err)
	}
	// Shared strings are stored once and handed out per cell: a small
	// table referenced by many cells still adds up.
	for _, c := range cells {
		s.kept += len(c)
	}
	if s.kept > maxKeptText {
		return 0, nil, tooLarge("the worksheet holds more than %d MB of text; split it into smaller files", maxKeptText>>20)
	}
	return s.row, cells, nil
}

func (s *xlsxSource) close() error {
	return errors.Join(s.rows.Close(), s.f.Close())
}

// badWorkbook keeps excelize's error for the log; the message is what the
// merchant sees.
func badWorkbook(msg string, cause error) error {
	return &yuncang.Error{Code: yuncang.EINVALID, Field: "file", Message: msg, Err: cause}
}

// errReader remembers a failure of the underlying reader, which excelize
// would otherwise report as a malformed workbook.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}
