package console

import (
	"net/http"
	"net/url"

	"github.com/yuncang/yuncang"
)

// floorChooseData is the floor's entry: the warehouses the actor works in.
type floorChooseData struct {
	Warehouses []*yuncang.Warehouse
}

// floorChoose lists the actor's warehouses and asks for the merchant whose
// goods are worked (?tenant=CODE, as in the API); with both given it goes
// to that warehouse's floor.
func (c *Console) floorChoose(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	all, err := c.floorStore().Warehouses(r.Context())
	if err != nil {
		return err
	}
	d := &floorChooseData{}
	for _, wh := range all {
		if a.InWarehouse(wh.ID) {
			d.Warehouses = append(d.Warehouses, wh)
		}
	}
	code, tenant := r.URL.Query().Get("warehouse"), tenantParam(r)
	for _, wh := range d.Warehouses {
		if wh.Code == code && tenant != "" {
			return seeOther(w, r, "/floor/"+url.PathEscape(wh.Code)+"?tenant="+url.QueryEscape(tenant))
		}
	}
	return c.render(w, http.StatusOK, "floor_choose", c.newPage(r, "floor.title", d))
}
