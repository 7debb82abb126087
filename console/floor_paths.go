package console

import (
	"net/url"
	"strconv"

	"github.com/yuncang/yuncang"
)

// floorPath is a path under a warehouse's floor.
func floorPath(wh *yuncang.Warehouse, rest string) string {
	return "/floor/" + url.PathEscape(wh.Code) + rest
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// skuOf finds the merchant's SKU a scan names: its barcode or its code.
func skuOf(skus []*yuncang.SKU, code string) *yuncang.SKU {
	for _, s := range skus {
		if s.Barcode == code || s.Code == code {
			return s
		}
	}
	return nil
}
