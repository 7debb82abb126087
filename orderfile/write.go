package orderfile

import (
	"encoding/csv"
	"io"
	"slices"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/yuncang/yuncang"
)

// header is the canonical header row, in the order files are written.
var header = []string{
	ColMerchantOrderID, ColRecipientName, ColRecipientPhone, ColRecipientAddress,
	ColSKU, ColQuantity, ColRemarks,
}

// checkWritable is called before writing anything, so that nothing is
// written for a batch that cannot be written whole: an order without lines
// would have no row to stand in.
func checkWritable(orders []yuncang.OrderInput) error {
	for i := range orders {
		if len(orders[i].Lines) == 0 {
			return yuncang.Invalid("lines", "order %d of %d has no lines", i+1, len(orders))
		}
	}
	return nil
}

// lineRows calls fn for each line item of each order.
func lineRows(orders []yuncang.OrderInput, fn func(o *yuncang.OrderInput, l yuncang.OrderLine) error) error {
	for i := range orders {
		for _, l := range orders[i].Lines {
			if err := fn(&orders[i], l); err != nil {
				return err
			}
		}
	}
	return nil
}

// WriteCSV writes orders as CSV with the canonical English header, one row
// per line item. With no orders it writes the empty template merchants can
// download. The file starts with a UTF-8 byte-order mark, without which
// Excel on Chinese Windows reads it as GBK, and cells that a spreadsheet
// would take for a formula are prefixed with an apostrophe, which Read
// removes.
func WriteCSV(w io.Writer, orders []yuncang.OrderInput) error {
	if err := checkWritable(orders); err != nil {
		return err
	}
	if _, err := w.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	err := lineRows(orders, func(o *yuncang.OrderInput, l yuncang.OrderLine) error {
		return cw.Write([]string{
			GuardFormula(o.MerchantOrderID),
			GuardFormula(o.Recipient.Name),
			GuardFormula(o.Recipient.Phone),
			GuardFormula(o.Recipient.Address),
			GuardFormula(l.SKUCode),
			strconv.Itoa(l.Quantity),
			GuardFormula(o.Remarks),
		})
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes orders as a one-sheet workbook with the canonical English
// header, one row per line item; with no orders, the empty template. All
// columns but quantity are formatted as text, so that a merchant filling in
// the template does not have Excel turn an 18-digit order id into
// 1.23456789012346E+17.
func WriteXLSX(w io.Writer, orders []yuncang.OrderInput) error {
	if err := checkWritable(orders); err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Orders"
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@", text
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	qtyCol := slices.Index(header, ColQuantity) + 1
	for _, set := range []func() error{
		func() error { return sw.SetColStyle(1, qtyCol-1, text) },
		func() error { return sw.SetColStyle(qtyCol+1, len(header), text) },
		func() error { return sw.SetColWidth(1, len(header), 20) },
		func() error { return sw.SetColWidth(4, 4, 40) }, // address
		func() error {
			return sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
		},
	} {
		if err := set(); err != nil {
			return err
		}
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	row := 1
	err = lineRows(orders, func(o *yuncang.OrderInput, l yuncang.OrderLine) error {
		row++
		ref, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		return sw.SetRow(ref, []any{
			o.MerchantOrderID, o.Recipient.Name, o.Recipient.Phone, o.Recipient.Address,
			l.SKUCode, l.Quantity, o.Remarks,
		})
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
