package console

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

// floorPutawayShow is the putaway scanner: scan the item on the dock, then
// the bin it goes to.
func (c *Console) floorPutawayShow(w http.ResponseWriter, r *http.Request) error {
	_, wh := floorScope(r)
	return c.render(w, http.StatusOK, "floor_putaway", c.newPage(r, "floor.putaway", wh))
}

// putawayScan moves units of an SKU from the receiving dock to a location.
type putawayScan struct {
	Code string `json:"code"`
	Lot  string `json:"lot"`
	To   string `json:"to"`
	Qty  int    `json:"qty"`
}

// floorPutawayScan is the scan of the destination bin: the move from the
// dock (as POST .../moves).
func (c *Console) floorPutawayScan(w http.ResponseWriter, r *http.Request) error {
	var s putawayScan
	if err := readScan(w, r, &s); err != nil {
		return c.answerScan(w, r, err, "", "", nil)
	}
	t, wh := floorScope(r)
	sku, err := c.scannedSKU(r.Context(), t.ID, s.Code)
	if err != nil {
		return c.answerScan(w, r, err, "", "item", nil)
	}
	if s.To == "" {
		return c.answerScan(w, r, nil, "floor.putaway.item_ok", "location", map[string]string{"sku": sku.Code})
	}
	err = c.floorStore().Move(r.Context(), t.ID, wh.ID, yuncang.Transfer{SKUCode: sku.Code, Lot: s.Lot, From: yuncang.LocRecv, To: s.To, Qty: s.Qty})
	if err != nil {
		return c.answerScan(w, r, err, "", "location", nil)
	}
	return c.answerScan(w, r, nil, "floor.putaway.moved", "item", map[string]any{"sku": sku.Code, "to": s.To, "qty": s.Qty})
}
