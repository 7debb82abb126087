package console

import (
	"net/http"
	"sort"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// skuRow is one SKU with its stock per warehouse.
type skuRow struct {
	SKU   *yuncang.SKU
	Stock []*yuncang.Stock
	Total int // available across warehouses
}

// skusList is the tenant's SKUs and their stock in every warehouse (what
// GET /api/v1/skus and /api/v1/stock return).
func (c *Console) skusList(w http.ResponseWriter, r *http.Request) error {
	t := httpapi.TenantFrom(r.Context())
	skus, err := c.store.SKUs(r.Context(), t.ID)
	if err != nil {
		return err
	}
	stock, err := c.store.Stock(r.Context(), t.ID)
	if err != nil {
		return err
	}
	rows := make([]*skuRow, len(skus))
	by := map[string]*skuRow{}
	for i, s := range skus {
		rows[i] = &skuRow{SKU: s}
		by[s.Code] = rows[i]
	}
	for _, st := range stock {
		if row := by[st.SKUCode]; row != nil {
			row.Stock = append(row.Stock, st)
			row.Total += st.Available()
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].SKU.Code < rows[j].SKU.Code })
	return c.render(w, http.StatusOK, "skus_list", c.newPage(r, "skus.title", rows))
}
