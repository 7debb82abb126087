package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/yuncang/yuncang"
)

// weighedParcels takes orders of yiwu-goods through the warehouse flow —
// paid, allocated, waved, picked, packed, weighed — until n parcels stand
// weighed in YW01, and returns them. Shipments exist only for such
// parcels; this is the scenario's setup, not the attack, so it runs on the
// store directly.
func (rt *redteam) weighedParcels(ctx context.Context, n int) ([]int64, error) {
	db := rt.m.DB
	t, err := db.TenantByCode(ctx, "yiwu-goods")
	if err != nil {
		return nil, err
	}
	wh, err := db.WarehouseByCode(ctx, "YW01")
	if err != nil {
		return nil, err
	}
	if err := db.SetPlanningConfig(ctx, t.ID, []byte(`{"carriers":[{"code":"SF","name":"顺丰速运","max_weight_g":30000,"max_volume_cm3":150000,
		"cutoff":"18:00","rates":[{"from":"*","to":"*","first_fen":1200,"additional_fen":300,"days":1}]}]}`)); err != nil {
		return nil, err
	}
	skus, err := db.SKUs(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	barcode := map[string]string{}
	for _, s := range skus {
		barcode[s.Code] = s.Barcode
	}
	var out []int64
	for len(out) < n && rt.flowNext < len(rt.orders["yiwu-goods"]) {
		oid := rt.orders["yiwu-goods"][rt.flowNext]
		rt.flowNext++
		if _, err := db.TransitionOrder(ctx, t.ID, oid, yuncang.OrderPaid, "payment_confirmed"); err != nil {
			continue // cancelled or already moved on
		}
		states, err := db.AllocateOrders(ctx, t.ID, []int64{oid})
		if err != nil || len(states) != 1 || states[0].Status != yuncang.OrderAllocated || len(states[0].Parcels) != 1 || states[0].Parcels[0].Warehouse != wh.Code {
			continue // back-ordered, split, or shipped from elsewhere
		}
		p := states[0].Parcels[0]
		wv, err := db.CreateWave(ctx, t.ID, wh.ID, yuncang.WaveInput{})
		if err != nil {
			return nil, fmt.Errorf("wave: %w", err)
		}
		for _, pl := range wv.Picks {
			if _, err := db.ConfirmPick(ctx, t.ID, wh.ID, wv.ID, yuncang.PickConfirm{Location: pl.Location, SKUCode: pl.SKUCode, Lot: pl.Lot, Qty: pl.Qty}); err != nil {
				return nil, fmt.Errorf("pick: %w", err)
			}
		}
		var scans []string
		for _, l := range p.Lines {
			for range l.Quantity {
				scans = append(scans, barcode[l.SKUCode])
			}
		}
		if _, err := db.PackParcel(ctx, t.ID, wh.ID, p.ID, scans); err != nil {
			return nil, fmt.Errorf("pack: %w", err)
		}
		if _, err := db.WeighParcel(ctx, t.ID, wh.ID, p.ID, p.WeightG+300, 300); err != nil {
			return nil, fmt.Errorf("weigh: %w", err)
		}
		out = append(out, p.ID)
	}
	if len(out) < n {
		return nil, fmt.Errorf("only %d of %d orders could be taken to a weighed parcel in YW01", len(out), n)
	}
	return out, nil
}

// shipments has the operator create the shipments of n weighed parcels
// (carrier SF) through the API and returns their ids.
func (rt *redteam) shipments(name, token, device string, n int) ([]int64, error) {
	parcels, err := rt.weighedParcels(context.Background(), n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var ids []int64
	for _, pid := range parcels {
		st, body := rt.call("POST", fmt.Sprintf("/api/v1/warehouses/YW01/parcels/%d/shipment?tenant=yiwu-goods", pid), token,
			`{"sender":{"name":"义乌优品","phone":"057985550000","address":"浙江省金华市义乌市福田街道诚信大道100号"}}`,
			"X-Yuncang-Device", device)
		if st != 201 {
			return nil, fmt.Errorf("%s: create shipment: %d %s", name, st, body)
		}
		var out struct{ ID int64 }
		json.Unmarshal([]byte(body), &out)
		ids = append(ids, out.ID)
	}
	return ids, nil
}
