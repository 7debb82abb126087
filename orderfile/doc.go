// Package orderfile reads merchants' order files: the CSV and Excel (XLSX)
// sheets merchants push orders in, one row per line item, grouped into
// yuncang.OrderInput values by merchant order id.
//
// It checks only the structure of a file (columns present, ids and SKUs
// given, quantities well formed, rows of one order agreeing); validating the
// recipient's name, phone and address is intake's job. Cells are personal
// data, so no error this package returns ever repeats a cell's value: errors
// name a row and a column, never what was in it.
package orderfile
