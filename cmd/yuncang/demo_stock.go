package main

import (
	"context"
	"fmt"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/sqlstore"
)

// The demo's stock arrives as a warehouse's would: an ASN per merchant and
// warehouse, received at the dock and put away into bins, so that waves
// pick from real bins in walking order (stock set with SetStock lies in
// the UNLOCATED bucket, which no picker can walk to).

// demoZone is the zone of a temperature class: ambient shelves, the chiller
// and the freezer.
var demoZone = map[string]string{yuncang.TempAmbient: "A", yuncang.TempChilled: "C", yuncang.TempFrozen: "F"}

// demoBin is the bin a merchant's SKU lies in, in every warehouse that
// stocks it: the zone of its temperature class, an aisle per merchant
// (numbered from 1 in demodata.Merchants order) and a bin per SKU.
func demoBin(merchant int, sku int, s *yuncang.SKU) *yuncang.Location {
	zone := demoZone[s.TempClass]
	if zone == "" {
		zone = demoZone[yuncang.TempAmbient]
	}
	l := &yuncang.Location{Zone: zone, Aisle: fmt.Sprintf("%02d", merchant+1), Bin: fmt.Sprintf("%02d", sku+1)}
	l.Code = l.Zone + "-" + l.Aisle + "-" + l.Bin
	return l
}

// demoStocked says whether a merchant's i-th SKU is stocked in the j-th
// demo warehouse, and how many units: not every SKU is in every warehouse.
func demoStocked(i, j int) (int, bool) {
	if (i+j)%3 == 2 {
		return 0, false
	}
	return 200 + 50*((i*7+j*3)%9), true
}

// seedLocations creates every merchant's SKU bins in every warehouse.
func seedLocations(ctx context.Context, db *sqlstore.DB, merchants []*yuncang.Tenant, whs map[string]*yuncang.Warehouse) error {
	var bins []*yuncang.Location
	for mi, t := range merchants {
		for i, s := range demodata.SKUs(t.Code) {
			bins = append(bins, demoBin(mi, i, s))
		}
	}
	for _, w := range demodata.Warehouses() {
		ls := make([]*yuncang.Location, len(bins))
		for i, b := range bins {
			c := *b
			ls[i] = &c
		}
		if err := db.CreateLocations(ctx, whs[w.Code].ID, ls); err != nil {
			return fmt.Errorf("locations of %s: %w", w.Code, err)
		}
	}
	return nil
}

// seedCatalogue gives a merchant (the mi-th) its SKUs and, in each
// warehouse, receives its stock against an ASN and puts it away into the
// SKUs' bins (seedLocations made them).
func seedCatalogue(ctx context.Context, db *sqlstore.DB, t *yuncang.Tenant, mi int, whs map[string]*yuncang.Warehouse) error {
	skus := demodata.SKUs(t.Code)
	for _, sku := range skus {
		sku.TenantID = t.ID
		if err := db.CreateSKU(ctx, sku, skuCreated("demo", sku)); err != nil {
			return err
		}
	}
	for j, w := range demodata.Warehouses() {
		asn := &yuncang.ASN{TenantID: t.ID, WarehouseID: whs[w.Code].ID, Ref: "DEMO-STOCK-" + w.Code, ExpectedAt: db.Now()}
		var receipt []yuncang.ReceiptLine
		for i, sku := range skus {
			if qty, ok := demoStocked(i, j); ok {
				asn.Lines = append(asn.Lines, yuncang.ASNLine{SKUCode: sku.Code, Expected: qty})
				receipt = append(receipt, yuncang.ReceiptLine{SKUCode: sku.Code, Qty: qty})
			}
		}
		if len(asn.Lines) == 0 {
			continue
		}
		if err := db.CreateASN(ctx, asn); err != nil {
			return fmt.Errorf("ASN of %s in %s: %w", t.Code, w.Code, err)
		}
		if _, err := db.Receive(ctx, t.ID, asn.ID, receipt); err != nil {
			return fmt.Errorf("receive %s in %s: %w", t.Code, w.Code, err)
		}
		if _, err := db.CloseASN(ctx, t.ID, asn.ID); err != nil {
			return err
		}
		for i, sku := range skus {
			qty, ok := demoStocked(i, j)
			if !ok {
				continue
			}
			if err := db.Move(ctx, t.ID, whs[w.Code].ID, yuncang.Transfer{SKUCode: sku.Code, From: yuncang.LocRecv,
				To: demoBin(mi, i, sku).Code, Qty: qty}); err != nil {
				return fmt.Errorf("put away %s in %s: %w", sku.Code, w.Code, err)
			}
		}
	}
	return nil
}
