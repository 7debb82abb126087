package orderfile

import (
	"fmt"
	"strings"
)

// Canonical column names: the header WriteCSV and WriteXLSX write, and the
// values RowError.Field takes.
const (
	ColMerchantOrderID  = "merchant_order_id"
	ColRecipientName    = "recipient_name"
	ColRecipientPhone   = "recipient_phone"
	ColRecipientAddress = "recipient_address"
	ColSKU              = "sku"
	ColQuantity         = "quantity"
	ColRemarks          = "remarks"
)

type column int

const (
	colOrderID column = iota
	colName
	colPhone
	colAddress
	colSKU
	colQuantity
	colRemarks
	numColumns
)

// columnNames are the names recognised in a header row, canonical name
// first. Matching ignores case, surrounding space and a "*" required marker.
var columnNames = [numColumns][]string{
	colOrderID:  {ColMerchantOrderID, "商家订单号", "订单号", "外部订单号"},
	colName:     {ColRecipientName, "收件人", "收货人", "姓名"},
	colPhone:    {ColRecipientPhone, "收件人电话", "电话", "手机", "手机号", "联系电话"},
	colAddress:  {ColRecipientAddress, "收件地址", "收货地址", "地址", "详细地址"},
	colSKU:      {ColSKU, "sku_code", "商品编码", "货号"},
	colQuantity: {ColQuantity, "数量", "qty"},
	colRemarks:  {ColRemarks, "备注", "买家留言"},
}

func (c column) String() string { return columnNames[c][0] }

func (c column) required() bool { return c != colRemarks }

var columnByName = func() map[string]column {
	m := make(map[string]column)
	for c, names := range columnNames {
		for _, n := range names {
			m[normalizeHeader(n)] = column(c)
		}
	}
	return m
}()

func normalizeHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.Trim(strings.TrimSpace(s), "*")
	s = strings.ToLower(strings.TrimSpace(s))
	return headerSeparators.Replace(s)
}

// headerSeparators lets "Merchant Order ID" and "merchant-order-id" match.
var headerSeparators = strings.NewReplacer(" ", "_", "-", "_")

// columnIndex maps each column to its 0-based position in a row, -1 if absent.
type columnIndex [numColumns]int

func mapHeader(header []string) (*columnIndex, error) {
	var idx columnIndex
	for c := range idx {
		idx[c] = -1
	}
	for i, h := range header {
		c, ok := columnByName[normalizeHeader(h)]
		if !ok {
			continue // merchants' exports carry many columns we do not need
		}
		if idx[c] >= 0 {
			return nil, fileError("the header names column %s twice (columns %s and %s); keep one",
				c, columnLetter(idx[c]), columnLetter(i))
		}
		idx[c] = i
	}
	var missing []string
	for c := range numColumns {
		if c.required() && idx[c] < 0 {
			missing = append(missing, fmt.Sprintf("%s (or %s)", c, strings.Join(columnNames[c][1:], ", ")))
		}
	}
	if len(missing) > 0 {
		return nil, fileError("missing required column: %s", strings.Join(missing, "; "))
	}
	return &idx, nil
}

// columnLetter names a 0-based column the way spreadsheets do: A, Z, AA.
func columnLetter(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}
