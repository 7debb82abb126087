package console

import (
	"context"
	"net/url"
	"strconv"

	"github.com/yuncang/yuncang"
)

// floorPath is a path under a warehouse's floor.
func floorPath(wh *yuncang.Warehouse, rest string) string {
	return "/floor/" + url.PathEscape(wh.Code) + rest
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// scannedSKU finds the merchant's SKU a scan names: its barcode or its
// code (the merchant's SKUs, as GET /api/v1/skus lists them).
func (c *Console) scannedSKU(ctx context.Context, tenantID int64, code string) (*yuncang.SKU, error) {
	skus, err := c.floorStore().SKUs(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	for _, s := range skus {
		if s.Barcode == code || s.Code == code {
			return s, nil
		}
	}
	return nil, yuncang.Invalid("code", "is not an SKU of this merchant")
}
