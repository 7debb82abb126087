package console

import (
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
)

// floorPickData is a wave's pick walk.
type floorPickData struct {
	Warehouse *yuncang.Warehouse
	Wave      *yuncang.Wave
	Next      int // index of the next stop in walking order, -1 when all are picked
}

// nextStop is the first pick line in walking order with units left.
func nextStop(wv *yuncang.Wave) int {
	for i, p := range wv.Picks {
		if p.Picked < p.Qty {
			return i
		}
	}
	return -1
}

// floorPickShow is the pick walk of a wave (?wave=ID): the stops in
// walking order, the next one on top; scan the bin, then the item.
func (c *Console) floorPickShow(w http.ResponseWriter, r *http.Request) error {
	t, wh := floorScope(r)
	id, err := strconv.ParseInt(r.URL.Query().Get("wave"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("wave", "name the wave to pick")
	}
	wv, err := c.floorStore().Wave(r.Context(), t.ID, wh.ID, id)
	if err != nil {
		return err
	}
	return c.render(w, http.StatusOK, "floor_pick", c.newPage(r, "floor.pick", &floorPickData{Warehouse: wh, Wave: wv, Next: nextStop(wv)}))
}

// pickScan is one scan on the pick walk: a bin (Location empty), or an
// item at the bin scanned before.
type pickScan struct {
	Wave     int64  `json:"wave"`
	Location string `json:"location"`
	Code     string `json:"code"`
}

// pickStopJSON is a stop as the scanner shows it.
type pickStopJSON struct {
	Index    int    `json:"index"`
	Location string `json:"location"`
	SKU      string `json:"sku"`
	Lot      string `json:"lot,omitempty"`
	Left     int    `json:"left"`
}

// pickProgress is a pick scan's answer: the line just taken, the next stop.
type pickProgress struct {
	Done int           `json:"done"` // index of the stop confirmed, -1 if none
	Next *pickStopJSON `json:"next,omitempty"`
}

func stopJSON(wv *yuncang.Wave, i int) *pickStopJSON {
	if i < 0 {
		return nil
	}
	p := wv.Picks[i]
	return &pickStopJSON{Index: i, Location: p.Location, SKU: p.SKUCode, Lot: p.Lot, Left: p.Qty - p.Picked}
}

// floorPickScan takes one scan: a bin of the wave with units left, or the
// item at that bin, which confirms the line with all its units (as POST
// .../waves/{wave}/picks).
func (c *Console) floorPickScan(w http.ResponseWriter, r *http.Request) error {
	var s pickScan
	if err := readScan(w, r, &s); err != nil {
		return c.answerScan(w, r, err, "", "", nil)
	}
	t, wh := floorScope(r)
	wv, err := c.floorStore().Wave(r.Context(), t.ID, wh.ID, s.Wave)
	if err != nil {
		return c.answerScan(w, r, err, "", "location", nil)
	}
	if s.Location == "" {
		for i, p := range wv.Picks {
			if p.Location == s.Code && p.Picked < p.Qty {
				return c.answerScan(w, r, nil, "floor.pick.bin_ok", "item", pickProgress{Done: -1, Next: stopJSON(wv, i)})
			}
		}
		return c.answerScan(w, r, yuncang.Invalid("location", "nothing is left to pick at %s in this wave", s.Code), "", "location", nil)
	}
	for i, p := range wv.Picks {
		if p.Location != s.Location || p.Picked >= p.Qty || (p.Barcode != s.Code && p.SKUCode != s.Code) {
			continue
		}
		wv, err = c.floorStore().ConfirmPick(r.Context(), t.ID, wh.ID, wv.ID, yuncang.PickConfirm{Location: p.Location, SKUCode: p.SKUCode, Lot: p.Lot, Qty: p.Qty - p.Picked})
		if err != nil {
			return c.answerScan(w, r, err, "", "item", nil)
		}
		msg := "floor.pick.line_done"
		if nextStop(wv) < 0 {
			msg = "floor.pick.wave_done"
		}
		return c.answerScan(w, r, nil, msg, "location", pickProgress{Done: i, Next: stopJSON(wv, nextStop(wv))})
	}
	return c.answerScan(w, r, yuncang.Invalid("code", "wrong item: not to be picked at %s", s.Location), "", "item", nil)
}
