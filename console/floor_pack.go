package console

import (
	"net/http"
	"slices"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// floorPackData is a pack station's page.
type floorPackData struct {
	Warehouse *yuncang.Warehouse
	Printers  []*yuncang.Printer
	ServerNow int64 // Unix seconds: the station signs the print with the server's time
}

// floorPackShow is the pack station: scan the parcel, every item, put it
// on the scale, scan the printer; the label comes out of the printer, the
// station never gets its bytes.
func (c *Console) floorPackShow(w http.ResponseWriter, r *http.Request) error {
	_, wh := floorScope(r)
	ps, err := c.floorActions().WarehousePrinters(r.Context(), wh.ID)
	if err != nil {
		return err
	}
	return c.render(w, http.StatusOK, "floor_pack", c.newPage(r, "floor.pack", &floorPackData{Warehouse: wh, Printers: ps, ServerNow: c.now().Unix()}))
}

// packScan is the parcel scanned with the item barcodes scanned so far.
type packScan struct {
	Parcel   int64    `json:"parcel"`
	Barcodes []string `json:"barcodes"`
}

// parcelJSON is a parcel as the station shows it: no recipient data.
type parcelJSON struct {
	ID       int64  `json:"id"`
	Status   string `json:"status"`
	Carrier  string `json:"carrier"`
	Items    int    `json:"items"`
	Scanned  int    `json:"scanned"`
	WeightG  int    `json:"weight_g"`
	WeighedG int    `json:"weighed_g,omitempty"`
}

func toParcelJSON(p *yuncang.Parcel, scanned int) parcelJSON {
	n := 0
	for _, l := range p.Lines {
		n += l.Quantity
	}
	return parcelJSON{ID: p.ID, Status: p.Status, Carrier: p.Carrier, Items: n, Scanned: scanned, WeightG: p.WeightG, WeighedG: p.WeighedG}
}

// floorPackScan takes the parcel scan (no barcodes yet) or an item scan:
// the items so far are checked against the parcel by the store's pack
// check (as POST .../parcels/{parcel}/pack); "items missing" is progress,
// a wrong or extra item is refused, all items pack the parcel.
func (c *Console) floorPackScan(w http.ResponseWriter, r *http.Request) error {
	var s packScan
	if err := readScan(w, r, &s); err != nil {
		return c.answerScan(w, r, err, "", "", nil)
	}
	t, wh := floorScope(r)
	if len(s.Barcodes) == 0 {
		p, err := c.floorStore().Parcel(r.Context(), t.ID, s.Parcel)
		if err == nil && p.WarehouseID != wh.ID {
			err = yuncang.Errorf(yuncang.ENOTFOUND, "parcel not found")
		}
		if err == nil && p.Status != yuncang.ParcelPicked {
			err = &yuncang.Error{Code: yuncang.ECONFLICT, Field: "status", Message: "the parcel is " + p.Status + ": only picked parcels are packed"}
		}
		if err != nil {
			return c.answerScan(w, r, err, "", "parcel", nil)
		}
		return c.answerScan(w, r, nil, "floor.pack.parcel_ok", "item", toParcelJSON(p, 0))
	}
	p, err := c.floorStore().PackParcel(r.Context(), t.ID, wh.ID, s.Parcel, s.Barcodes)
	switch {
	case err == nil:
		return c.answerScan(w, r, nil, "floor.pack.packed", "weigh", toParcelJSON(p, len(s.Barcodes)))
	case yuncang.ErrorCode(err) == yuncang.EINVALID && yuncang.ErrorField(err) == "barcodes":
		// Every scan so far is in the parcel; some are still to come.
		return c.answerScan(w, r, nil, "floor.pack.item_ok", "item", map[string]int{"scanned": len(s.Barcodes)})
	}
	return c.answerScan(w, r, err, "", "item", nil)
}

// packWeigh is the scale's reading (a scale on the wedge types the grams
// and Enter) with the box's tare.
type packWeigh struct {
	Parcel int64 `json:"parcel"`
	GrossG int   `json:"gross_g"`
	TareG  int   `json:"tare_g"`
}

// floorPackWeigh checks the packed parcel's weight (as POST
// .../parcels/{parcel}/weigh).
func (c *Console) floorPackWeigh(w http.ResponseWriter, r *http.Request) error {
	var s packWeigh
	if err := readScan(w, r, &s); err != nil {
		return c.answerScan(w, r, err, "", "", nil)
	}
	t, wh := floorScope(r)
	p, err := c.floorStore().WeighParcel(r.Context(), t.ID, wh.ID, s.Parcel, s.GrossG, s.TareG)
	if err != nil {
		return c.answerScan(w, r, err, "", "weigh", nil)
	}
	return c.answerScan(w, r, nil, "floor.pack.weighed", "print", toParcelJSON(p, 0))
}

// packPrint is the printer scanned for a weighed parcel, with the sender
// the station prints (the merchant's dispatch contact, set at the station).
type packPrint struct {
	Parcel  int64  `json:"parcel"`
	Printer int64  `json:"printer"`
	Sender  sender `json:"sender"`
}

type sender struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// printJSON is what the station learns of its label: the job's status and
// the masked recipient, never label bytes.
type printJSON struct {
	Job       int64  `json:"job"`
	Status    string `json:"status"`
	Waybill   string `json:"waybill"`
	Recipient string `json:"recipient"` // masked
}

// floorPackPrint creates the weighed parcel's shipment and prints its label
// on the scanned printer, with the API's own steps (ParcelShipment, then
// PrintLabels: the guard counts both; the policy wants a packing station).
func (c *Console) floorPackPrint(w http.ResponseWriter, r *http.Request) error {
	var s packPrint
	if err := readScan(w, r, &s); err != nil {
		return c.answerScan(w, r, err, "", "", nil)
	}
	fa := c.floorActions()
	// A printer scan that names no printer here is refused before the
	// shipment is made, so that the scan can simply be repeated.
	_, wh := floorScope(r)
	ps, err := fa.WarehousePrinters(r.Context(), wh.ID)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ps, func(p *yuncang.Printer) bool { return p.ID == s.Printer }) {
		return c.answerScan(w, r, yuncang.Invalid("printer", "is not a printer of this warehouse"), "", "print", nil)
	}
	sh, err := fa.ParcelShipment(r, s.Parcel, yuncang.Sender{Name: s.Sender.Name, Phone: s.Sender.Phone, Address: s.Sender.Address})
	if err != nil {
		return c.answerScan(w, r, err, "", "print", nil)
	}
	j, err := fa.PrintLabels(r, httpapi.PrintJobRequest{PrinterID: s.Printer, ShipmentIDs: []int64{sh.ID}})
	if err != nil {
		return c.answerScan(w, r, err, "", "print", nil)
	}
	m := sh.Recipient
	return c.answerScan(w, r, nil, "floor.pack.printed", "parcel", printJSON{Job: j.ID, Status: j.Status, Waybill: sh.Waybill, Recipient: m.Name + " " + m.Phone + " " + m.Address})
}
