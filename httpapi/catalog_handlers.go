package httpapi

import (
	"net/http"

	"github.com/yuncang/yuncang"
)

func (s *Server) createTenant(w http.ResponseWriter, r *http.Request) error {
	var req TenantJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	t := &yuncang.Tenant{Code: req.Code, Name: req.Name}
	if err := s.CreateTenant(r, t); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toTenantJSON(t))
	return nil
}

// CreateTenant creates a merchant (POST /api/v1/tenants, and the console's
// form), audited as the actor's in the same transaction. The audit names the
// merchant by code, never by its name.
func (s *Server) CreateTenant(r *http.Request, t *yuncang.Tenant) error {
	ev := actorEvent(r, yuncang.EventTenantCreate)
	ev.Detail = "merchant " + maskText(t.Code)
	return s.store.CreateTenant(r.Context(), t, ev)
}

// CreateWarehouse creates a warehouse (POST /api/v1/warehouses, and the
// console's form), audited as the actor's in the same transaction.
func (s *Server) CreateWarehouse(r *http.Request, wh *yuncang.Warehouse) error {
	ev := actorEvent(r, yuncang.EventWarehouseCreate)
	ev.Detail = "warehouse " + maskText(wh.Code) + " in district " + maskText(wh.DistrictCode)
	return s.store.CreateWarehouse(r.Context(), wh, ev)
}

func (s *Server) listTenants(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.store.Tenants(r.Context())
	if err != nil {
		return err
	}
	out := make([]TenantJSON, len(ts))
	for i, t := range ts {
		out[i] = toTenantJSON(t)
	}
	writeList(w, out)
	return nil
}

func (s *Server) createWarehouse(w http.ResponseWriter, r *http.Request) error {
	var req WarehouseJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	wh := &yuncang.Warehouse{Code: req.Code, Name: req.Name, ProvinceCode: req.ProvinceCode, CityCode: req.CityCode, DistrictCode: req.DistrictCode}
	if err := s.CreateWarehouse(r, wh); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toWarehouseJSON(wh))
	return nil
}

func (s *Server) listWarehouses(w http.ResponseWriter, r *http.Request) error {
	ws, err := s.store.Warehouses(r.Context())
	if err != nil {
		return err
	}
	out := make([]WarehouseJSON, len(ws))
	for i, wh := range ws {
		out[i] = toWarehouseJSON(wh)
	}
	writeList(w, out)
	return nil
}

func (s *Server) createSKU(w http.ResponseWriter, r *http.Request) error {
	var req SKUJSON
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	sku := &yuncang.SKU{TenantID: tenantFrom(r.Context()).ID, Code: req.Code, Barcode: req.Barcode, Name: req.Name,
		WeightG: req.WeightG, VolumeCM3: req.VolumeCM3, TempClass: req.TempClass}
	ev := actorEvent(r, yuncang.EventSKUCreate)
	ev.Detail = "sku " + maskText(sku.Code)
	if err := s.store.CreateSKU(r.Context(), sku, ev); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toSKUJSON(sku))
	return nil
}

func (s *Server) listSKUs(w http.ResponseWriter, r *http.Request) error {
	skus, err := s.store.SKUs(r.Context(), tenantFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	out := make([]SKUJSON, len(skus))
	for i, sku := range skus {
		out[i] = toSKUJSON(sku)
	}
	writeList(w, out)
	return nil
}

func (s *Server) setStock(w http.ResponseWriter, r *http.Request) error {
	var req SetStockRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.SKU == "" {
		return yuncang.Invalid("sku", "is required")
	}
	if req.OnHand == nil {
		return yuncang.Invalid("on_hand", "is required")
	}
	wh := warehouseFrom(r.Context())
	// Set by hand, outside receiving and counting: the audit log says who.
	ev := actorEvent(r, yuncang.EventStockSet)
	ev.Detail = "sku " + maskText(req.SKU) + " in " + maskText(wh.Code) + ":"
	if err := s.store.SetStock(r.Context(), tenantFrom(r.Context()).ID, wh.Code, req.SKU, *req.OnHand, ev); err != nil {
		return err
	}
	return s.listWarehouseStock(w, r)
}

func (s *Server) listStock(w http.ResponseWriter, r *http.Request) error {
	return s.writeStock(w, r, "")
}

func (s *Server) listWarehouseStock(w http.ResponseWriter, r *http.Request) error {
	return s.writeStock(w, r, warehouseFrom(r.Context()).Code)
}

// writeStock lists the tenant's stock, in one warehouse if named.
func (s *Server) writeStock(w http.ResponseWriter, r *http.Request, warehouse string) error {
	st, err := s.store.Stock(r.Context(), tenantFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	out := []StockJSON{}
	for _, x := range st {
		if warehouse != "" && x.WarehouseCode != warehouse {
			continue
		}
		out = append(out, StockJSON{Warehouse: x.WarehouseCode, SKU: x.SKUCode, OnHand: x.OnHand, Reserved: x.Reserved, Available: x.Available()})
	}
	writeList(w, out)
	return nil
}
