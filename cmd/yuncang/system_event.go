package main

import "github.com/yuncang/yuncang"

// systemEvent is the audit event of a change made by this binary itself
// rather than by a person over the API: the demo's seeding ("demo") or a
// benchmark's scratch store ("bench"). The actor is named, with no account
// and no role, so the audit log says plainly that no person made it.
func systemEvent(actor, kind, detail string) *yuncang.Event {
	return &yuncang.Event{Username: actor, Kind: kind, Outcome: yuncang.OutcomeOK, Source: actor, Detail: detail}
}

// Catalogue events of the command line. Codes only: names are free text.
func tenantCreated(actor string, t *yuncang.Tenant) *yuncang.Event {
	return systemEvent(actor, yuncang.EventTenantCreate, "merchant "+t.Code)
}

func warehouseCreated(actor string, w *yuncang.Warehouse) *yuncang.Event {
	return systemEvent(actor, yuncang.EventWarehouseCreate, "warehouse "+w.Code+" in district "+w.DistrictCode)
}

func skuCreated(actor string, s *yuncang.SKU) *yuncang.Event {
	return systemEvent(actor, yuncang.EventSKUCreate, "sku "+s.Code)
}

func stockSet(actor, sku, warehouse string) *yuncang.Event {
	return systemEvent(actor, yuncang.EventStockSet, "sku "+sku+" in "+warehouse+":")
}
