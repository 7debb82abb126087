package orderfile

import (
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuncang/yuncang"
)

// DefaultMaxRows is the number of data rows Read accepts unless told otherwise.
const DefaultMaxRows = 100_000

// Options tune Read. The zero value is ready to use.
type Options struct {
	// MaxRows caps the non-empty data rows in a file; more is a whole-file
	// error. Zero or less means DefaultMaxRows.
	MaxRows int
	// Progress, if not nil, is called with the number of data rows read so
	// far (empty ones included) every 1000 rows and once at the end.
	Progress func(rowsRead int)
	// Sheet names the worksheet of an XLSX file; empty means the first.
	Sheet string
}

// Order is one order read from a file, with the sheet rows it came from:
// 1-based, as the merchant sees them, the header being row 1 when it is the
// first row.
//
// Rejected is set when a row of the order has a RowError: such an order must
// not be stored. It is returned all the same so that its other fields (the
// recipient, from its first row) can be checked and reported with the row
// errors, and counted; its Input.Lines hold only its well-formed lines.
type Order struct {
	Input    yuncang.OrderInput
	Rows     []int
	Rejected bool
}

// RowError is a structural problem with one row. Field is one of the Col*
// names, or empty. Message never contains a cell's value.
type RowError struct {
	Row     int
	Field   string
	Message string
}

func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Message)
	}
	return fmt.Sprintf("row %d: %s: %s", e.Row, e.Field, e.Message)
}

// Read reads the orders in a file of format f. The first non-empty row is the
// header. Rows sharing a merchant order id are the line items of one order;
// orders come back in the order their ids first appear.
//
// Row errors are structural: a missing merchant order id, SKU or quantity, a
// quantity that is not an integer from 1 to yuncang.MaxLineQuantity, a cell
// that is not valid text, or a row whose recipient or remarks differ from the
// order's first row (a later row may leave them blank; merged cells read that
// way). An order with any row error comes back with Rejected set, so that no
// order is ever taken with some of its lines missing; a row without a merchant
// order id belongs to no order and has only its RowErrors.
//
// The error is for the whole file: unreadable, no header, a required column
// missing or named twice, more than opts.MaxRows rows. It is a *yuncang.Error,
// EINVALID for what the merchant can fix, EINTERNAL when reading r failed.
//
// An XLSX file is held in memory while it is read (the zip format needs random
// access), its worksheet is streamed; CSV is streamed. Callers should bound
// the size of r.
func Read(r io.Reader, f Format, opts Options) ([]Order, []RowError, error) {
	if opts.MaxRows <= 0 {
		opts.MaxRows = DefaultMaxRows
	}
	var (
		src rowSource
		err error
	)
	switch f {
	case CSV:
		src, err = newCSVSource(r)
	case XLSX:
		src, err = newXLSXSource(r, opts.Sheet)
	default:
		return nil, nil, yuncang.Invalid("format", "unsupported order file format %q", f)
	}
	if err != nil {
		return nil, nil, err
	}
	defer src.close()
	return read(src, opts)
}

// rowSource yields a sheet's rows with their 1-based row numbers, and io.EOF
// after the last. The cells slice is only valid until the next call.
type rowSource interface {
	next() (row int, cells []string, err error)
	close() error
}

func read(src rowSource, opts Options) ([]Order, []RowError, error) {
	var cols *columnIndex
	for cols == nil {
		_, cells, err := src.next()
		if err == io.EOF {
			return nil, nil, fileError("the file has no header row")
		} else if err != nil {
			return nil, nil, err
		}
		if !blank(cells) {
			if cols, err = mapHeader(cells); err != nil {
				return nil, nil, err
			}
		}
	}

	b := builder{cols: cols, byID: make(map[string]*pending)}
	rowsRead, dataRows := 0, 0
	for {
		row, cells, err := src.next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, err
		}
		rowsRead++
		if opts.Progress != nil && rowsRead%1000 == 0 {
			opts.Progress(rowsRead)
		}
		if blank(cells) {
			continue
		}
		if dataRows++; dataRows > opts.MaxRows {
			return nil, nil, fileError("the file has more than %d order rows; split it into smaller files", opts.MaxRows)
		}
		b.add(row, cells)
	}
	if opts.Progress != nil && (rowsRead == 0 || rowsRead%1000 != 0) {
		opts.Progress(rowsRead)
	}
	return b.result(), b.errs, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// builder groups rows into orders.
type builder struct {
	cols   *columnIndex
	orders []*pending // in order of first appearance
	byID   map[string]*pending
	errs   []RowError
}

type pending struct {
	order    Order
	firstRow int
	failed   bool
}

func (b *builder) add(row int, cells []string) {
	var v [numColumns]string
	failed := false
	fail := func(c column, msg string) {
		b.errs = append(b.errs, RowError{Row: row, Field: c.String(), Message: msg})
		failed = true
	}
	for c := range numColumns {
		if i := b.cols[c]; i < len(cells) && i >= 0 {
			v[c] = strings.TrimSpace(cells[i])
		}
		// Invalid UTF-8 and U+FFFD both mean the text was mangled before us,
		// usually by the wrong encoding.
		if strings.ContainsRune(v[c], utf8.RuneError) {
			fail(c, "contains characters that are not valid text; save the file as UTF-8")
		}
	}

	for _, c := range []column{colOrderID, colSKU} {
		if v[c] == "" {
			fail(c, "is required")
		}
	}
	for _, c := range []column{colOrderID, colSKU, colPhone} {
		if lostDigits.MatchString(v[c]) {
			fail(c, "was stored as a number and has lost digits; format the column as text and enter it again")
		}
	}
	qty, msg := parseQuantity(v[colQuantity])
	if msg != "" {
		fail(colQuantity, msg)
	}

	id := v[colOrderID]
	if id == "" {
		return // belongs to no order
	}
	p := b.byID[id]
	if p == nil {
		p = &pending{firstRow: row, order: Order{Input: yuncang.OrderInput{
			MerchantOrderID: id,
			Recipient: yuncang.Recipient{
				Name:    v[colName],
				Phone:   v[colPhone],
				Address: v[colAddress],
			},
			Remarks: v[colRemarks],
		}}}
		b.byID[id] = p
		b.orders = append(b.orders, p)
	} else {
		in := &p.order.Input
		for _, f := range [...]struct {
			c    column
			want string
		}{
			{colName, in.Recipient.Name},
			{colPhone, in.Recipient.Phone},
			{colAddress, in.Recipient.Address},
			{colRemarks, in.Remarks},
		} {
			if v[f.c] != "" && v[f.c] != f.want {
				fail(f.c, fmt.Sprintf("differs from row %d of the same order", p.firstRow))
			}
		}
	}
	p.order.Rows = append(p.order.Rows, row)
	if failed {
		p.failed = true
		return
	}
	p.order.Input.Lines = append(p.order.Input.Lines, yuncang.OrderLine{SKUCode: v[colSKU], Quantity: qty})
}

func (b *builder) result() []Order {
	orders := make([]Order, 0, len(b.orders))
	for _, p := range b.orders {
		p.order.Rejected = p.failed
		orders = append(orders, p.order)
	}
	return orders
}

// lostDigits matches what Excel makes of a long number typed into a cell not
// formatted as text, such as an 18-digit order id: 1.23456789012346E+17.
var lostDigits = regexp.MustCompile(`^[0-9]\.[0-9]+[eE]\+[0-9]+$`)

// parseQuantity accepts digits, and "3.0" as spreadsheets sometimes write 3.
// It returns a message for the merchant if the quantity is not acceptable.
func parseQuantity(s string) (int, string) {
	if s == "" {
		return 0, "is required"
	}
	if i := strings.IndexByte(s, '.'); i >= 0 {
		if frac := s[i+1:]; frac == "" || strings.Trim(frac, "0") != "" {
			return 0, "must be a positive integer"
		}
		s = s[:i]
	}
	if s == "" || strings.Trim(s, "0123456789") != "" {
		return 0, "must be a positive integer"
	}
	if s = strings.TrimLeft(s, "0"); s == "" {
		return 0, "must be a positive integer"
	}
	if len(s) > len(strconv.Itoa(yuncang.MaxLineQuantity)) {
		return 0, fmt.Sprintf("must be at most %d", yuncang.MaxLineQuantity)
	}
	n, _ := strconv.Atoi(s)
	if n > yuncang.MaxLineQuantity {
		return 0, fmt.Sprintf("must be at most %d", yuncang.MaxLineQuantity)
	}
	return n, ""
}
