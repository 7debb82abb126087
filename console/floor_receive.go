package console

import (
	"net/http"
	"strconv"

	"github.com/yuncang/yuncang"
)

// floorReceiveShow is the receiving scanner: scan the ASN, then each item.
func (c *Console) floorReceiveShow(w http.ResponseWriter, r *http.Request) error {
	d, err := c.floorHomeData(r)
	if err != nil {
		return err
	}
	return c.render(w, http.StatusOK, "floor_receive", c.newPage(r, "floor.receive", d))
}

// receiveScan is one scan at receiving: an item of an ASN, one unit good
// (or damaged).
type receiveScan struct {
	ASN     string `json:"asn"` // the ASN's number or the merchant's reference
	Code    string `json:"code"`
	Damaged bool   `json:"damaged"`
}

// floorReceiveScan books one scanned unit into the receiving dock against
// the ASN (as POST .../asns/{asn}/receive).
func (c *Console) floorReceiveScan(w http.ResponseWriter, r *http.Request) error {
	var s receiveScan
	if err := readScan(w, r, &s); err != nil {
		return c.answerScan(w, r, err, "", "", nil)
	}
	t, wh := floorScope(r)
	asns, err := c.floorStore().ASNs(r.Context(), t.ID, wh.ID)
	if err != nil {
		return err
	}
	var asn *yuncang.ASN
	for _, a := range asns {
		if a.Ref == s.ASN || strconv.FormatInt(a.ID, 10) == s.ASN {
			asn = a
		}
	}
	if asn == nil {
		return c.answerScan(w, r, yuncang.Invalid("asn", "no such ASN expected in this warehouse"), "", "asn", nil)
	}
	if s.Code == "" {
		return c.answerScan(w, r, nil, "floor.receive.asn_ok", "item", asnProgress(asn))
	}
	sku, err := c.scannedSKU(r.Context(), t.ID, s.Code)
	if err != nil {
		return c.answerScan(w, r, err, "", "item", nil)
	}
	line := yuncang.ReceiptLine{SKUCode: sku.Code, Qty: 1}
	if s.Damaged {
		line = yuncang.ReceiptLine{SKUCode: sku.Code, Damaged: 1}
	}
	a, err := c.floorStore().Receive(r.Context(), t.ID, asn.ID, []yuncang.ReceiptLine{line})
	if err != nil {
		return c.answerScan(w, r, err, "", "item", nil)
	}
	return c.answerScan(w, r, nil, "floor.receive.booked", "item", asnProgress(a))
}

// asnLineJSON is one line of an ASN's progress on the scanner.
type asnLineJSON struct {
	SKU      string `json:"sku"`
	Expected int    `json:"expected"`
	Received int    `json:"received"`
	Damaged  int    `json:"damaged"`
}

func asnProgress(a *yuncang.ASN) []asnLineJSON {
	out := make([]asnLineJSON, len(a.Lines))
	for i, l := range a.Lines {
		out[i] = asnLineJSON{SKU: l.SKUCode, Expected: l.Expected, Received: l.Received, Damaged: l.Damaged}
	}
	return out
}
