package orderfile

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/yuncang/yuncang"
)

// sniffSize is how much of a CSV file decides its encoding and delimiter.
const sniffSize = 64 << 10

type csvSource struct {
	r *csv.Reader
	// extra counts the line breaks inside quoted cells so far: a spreadsheet
	// shows such a cell in one row, encoding/csv counts its lines.
	extra int
}

func newCSVSource(r io.Reader) (*csvSource, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		return nil, yuncang.Internal(err, "reading order file")
	}
	if len(head) == 0 {
		return nil, fileError("the file is empty")
	}
	enc, err := sniffText(head, len(head) < sniffSize)
	if err != nil {
		return nil, err
	}
	delim := sniffDelimiter(head)
	if bytes.HasPrefix(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	var in io.Reader = br
	if enc == gb18030Text {
		in = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	cr := csv.NewReader(in)
	cr.Comma = delim
	cr.FieldsPerRecord = -1 // rows may be ragged
	cr.LazyQuotes = false
	cr.ReuseRecord = true
	return &csvSource{r: cr}, nil
}

func (s *csvSource) next() (int, []string, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	} else if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			// pe.Err is one of encoding/csv's fixed messages; pe.Error()
			// would do too, but say it in the sheet's row numbers.
			return 0, nil, fileError("row %d: malformed CSV: %v", pe.StartLine-s.extra, pe.Err)
		}
		return 0, nil, yuncang.Internal(err, "reading order file")
	}
	line, _ := s.r.FieldPos(0)
	row := line - s.extra
	for i, c := range rec {
		s.extra += strings.Count(c, "\n")
		rec[i] = unguardFormula(c)
	}
	return row, rec, nil
}

func (s *csvSource) close() error { return nil }

// formulaStarts are the characters that make a spreadsheet evaluate a CSV
// cell as a formula, with the full-width forms some spreadsheets also take.
// Remarks come from buyers, so WriteCSV quotes such cells with a leading
// apostrophe (OWASP's advice for CSV injection), and reading takes it off
// again.
const formulaStarts = "=+-@\t\r＝＋－＠"

func startsFormula(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && strings.ContainsRune(formulaStarts, r)
}

// GuardFormula quotes a cell that a spreadsheet would evaluate as a formula.
func GuardFormula(s string) string {
	if startsFormula(s) {
		return "'" + s
	}
	return s
}

func unguardFormula(s string) string {
	if len(s) >= 2 && s[0] == '\'' && startsFormula(s[1:]) {
		return s[1:]
	}
	return s
}
