package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// supervisorHomeData is the supervisor's overview.
type supervisorHomeData struct {
	OnShift    []*yuncang.User
	OffShift   []*yuncang.User
	Devices    []deviceRow
	OpenAlerts int
}

// deviceRow is a device with its warehouse's code.
type deviceRow struct {
	*yuncang.Device
	Warehouse string
}

// supervisorHome shows the staff of the supervisor's warehouses on and off
// shift, the stations and devices standing there, and the alerts waiting.
func (c *Console) supervisorHome(w http.ResponseWriter, r *http.Request) error {
	sa := c.supervisorActions()
	us, err := sa.VisibleUsers(r)
	if err != nil {
		return err
	}
	d := &supervisorHomeData{}
	for _, u := range us {
		if u.Status != yuncang.UserActive {
			continue
		}
		if sa.OnShift(u) {
			d.OnShift = append(d.OnShift, u)
		} else {
			d.OffShift = append(d.OffShift, u)
		}
	}
	whs, err := c.floorStore().Warehouses(r.Context())
	if err != nil {
		return err
	}
	code := map[int64]string{}
	for _, wh := range whs {
		code[wh.ID] = wh.Code
	}
	ds, err := sa.VisibleDevices(r)
	if err != nil {
		return err
	}
	for _, dv := range ds {
		d.Devices = append(d.Devices, deviceRow{dv, code[dv.WarehouseID]})
	}
	als, err := sa.VisibleAlerts(r, yuncang.AlertOpen)
	if err != nil {
		return err
	}
	d.OpenAlerts = len(als)
	return c.render(w, http.StatusOK, "supervisor_home", c.newPage(r, "supervisor.title", d))
}
