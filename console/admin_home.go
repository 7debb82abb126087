package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// adminData is the platform's catalogue.
type adminData struct {
	Merchants  []*yuncang.Tenant
	Warehouses []*yuncang.Warehouse
	Carriers   []carrierRow
	Devices    []deviceRow
}

// carrierRow is a carrier with its waybill number ranges.
type carrierRow struct {
	*yuncang.Carrier
	Segments []*yuncang.WaybillSegment
}

func (c *Console) adminPage(r *http.Request) (*Page, error) {
	st := c.adminStore()
	d := &adminData{}
	var err error
	if d.Merchants, err = st.Tenants(r.Context()); err != nil {
		return nil, err
	}
	if d.Warehouses, err = st.Warehouses(r.Context()); err != nil {
		return nil, err
	}
	cs, err := st.Carriers(r.Context())
	if err != nil {
		return nil, err
	}
	for _, ca := range cs {
		segs, err := st.WaybillSegments(r.Context(), ca.ID)
		if err != nil {
			return nil, err
		}
		d.Carriers = append(d.Carriers, carrierRow{ca, segs})
	}
	code := map[int64]string{}
	for _, wh := range d.Warehouses {
		code[wh.ID] = wh.Code
	}
	ds, err := c.supervisorActions().VisibleDevices(r)
	if err != nil {
		return nil, err
	}
	for _, dv := range ds {
		d.Devices = append(d.Devices, deviceRow{dv, code[dv.WarehouseID]})
	}
	return c.newPage(r, "admin.title", d), nil
}

// adminHome lists merchants, warehouses, carriers with their number
// ranges, and devices, with the forms to add a merchant or a warehouse.
func (c *Console) adminHome(w http.ResponseWriter, r *http.Request) error {
	p, err := c.adminPage(r)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("done") == "1" {
		p.Flash = "admin.created"
	}
	return c.render(w, http.StatusOK, "admin", p)
}

// adminCreated answers a create form: back to the page, or the page with
// the rule's refusal.
func (c *Console) adminCreated(w http.ResponseWriter, r *http.Request, err error) error {
	if err == nil {
		return seeOther(w, r, "/admin?done=1")
	}
	if !scanRefused(err) {
		return err
	}
	p, perr := c.adminPage(r)
	if perr != nil {
		return perr
	}
	p.Error = yuncang.ErrorMessage(err)
	return c.render(w, http.StatusUnprocessableEntity, "admin", p)
}

// adminCreateMerchant creates a merchant (as POST /api/v1/tenants).
func (c *Console) adminCreateMerchant(w http.ResponseWriter, r *http.Request) error {
	t := &yuncang.Tenant{Code: r.PostFormValue("code"), Name: r.PostFormValue("name")}
	return c.adminCreated(w, r, c.adminActions().CreateTenant(r, t))
}

// adminCreateWarehouse creates a warehouse (as POST /api/v1/warehouses).
func (c *Console) adminCreateWarehouse(w http.ResponseWriter, r *http.Request) error {
	wh := &yuncang.Warehouse{Code: r.PostFormValue("code"), Name: r.PostFormValue("name"), ProvinceCode: r.PostFormValue("province_code"),
		CityCode: r.PostFormValue("city_code"), DistrictCode: r.PostFormValue("district_code")}
	return c.adminCreated(w, r, c.adminActions().CreateWarehouse(r, wh))
}
