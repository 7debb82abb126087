package orderfile

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/xuri/excelize/v2"
)

var canonicalHeader = []string{"merchant_order_id", "recipient_name", "recipient_phone", "recipient_address", "sku", "quantity", "remarks"}

// encodeCSV writes rows as CSV; a nil row becomes a blank line.
func encodeCSV(t testing.TB, rows [][]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	for _, r := range rows {
		if r == nil {
			w.Flush()
			b.WriteString("\n")
			continue
		}
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// encodeXLSX writes rows into the first sheet of a workbook, row i at sheet
// row i+1; a nil row is left out of the sheet entirely.
func encodeXLSX(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", ref, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func anyRows(rows [][]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		if r == nil {
			continue
		}
		out[i] = make([]any, len(r))
		for j, c := range r {
			out[i][j] = c
		}
	}
	return out
}

// encode writes rows in format f.
func encode(t testing.TB, f Format, rows [][]string) []byte {
	if f == XLSX {
		return encodeXLSX(t, anyRows(rows))
	}
	return encodeCSV(t, rows)
}
