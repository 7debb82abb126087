package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// floorHomeData is a warehouse floor's start page for one merchant.
type floorHomeData struct {
	Warehouse *yuncang.Warehouse
	Tenant    *yuncang.Tenant
	Waves     []*yuncang.Wave // open and picked: work to do
	ASNs      []*yuncang.ASN  // not closed: goods to receive
}

// floorHome shows the work waiting in the warehouse for the merchant:
// waves to pick, ASNs to receive, and the scanner pages.
func (c *Console) floorHome(w http.ResponseWriter, r *http.Request) error {
	d, err := c.floorHomeData(r)
	if err != nil {
		return err
	}
	return c.render(w, http.StatusOK, "floor_home", c.newPage(r, "floor.title", d))
}

func (c *Console) floorHomeData(r *http.Request) (*floorHomeData, error) {
	t, wh := floorScope(r)
	d := &floorHomeData{Warehouse: wh, Tenant: t}
	wvs, err := c.floorStore().Waves(r.Context(), t.ID, wh.ID)
	if err != nil {
		return nil, err
	}
	for _, wv := range wvs {
		if wv.Status != yuncang.WaveDone {
			d.Waves = append(d.Waves, wv)
		}
	}
	asns, err := c.floorStore().ASNs(r.Context(), t.ID, wh.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range asns {
		if a.Status != yuncang.ASNClosed {
			d.ASNs = append(d.ASNs, a)
		}
	}
	return d, nil
}

// floorReleaseWave releases the waiting parcels into a wave (as POST
// .../waves) and opens its pick page.
func (c *Console) floorReleaseWave(w http.ResponseWriter, r *http.Request) error {
	t, wh := floorScope(r)
	wv, err := c.floorActions().CreateWave(r.Context(), t.ID, wh.ID, yuncang.WaveInput{Carrier: r.PostFormValue("carrier")})
	if err != nil {
		if !scanRefused(err) {
			return err
		}
		d, derr := c.floorHomeData(r)
		if derr != nil {
			return derr
		}
		p := c.newPage(r, "floor.title", d)
		p.Error = yuncang.ErrorMessage(err)
		return c.render(w, http.StatusUnprocessableEntity, "floor_home", p)
	}
	p := c.newPage(r, "floor.title", nil)
	return seeOther(w, r, p.Link(floorPath(wh, "/pick?wave="+itoa(wv.ID))))
}
