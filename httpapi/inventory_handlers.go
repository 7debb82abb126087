package httpapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
)

// pathNum parses a numeric path segment.
func pathNum(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, yuncang.Invalid(name, "must be a positive integer")
	}
	return id, nil
}

func (s *Server) listLocations(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.store.Locations(r.Context(), warehouseFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	out := []LocationJSON{}
	for _, l := range ls {
		out = append(out, LocationJSON{Code: l.Code, Zone: l.Zone, Aisle: l.Aisle, Bin: l.Bin, Kind: l.Kind, Seq: l.Seq})
	}
	writeList(w, out)
	return nil
}

func (s *Server) createLocations(w http.ResponseWriter, r *http.Request) error {
	var req LocationsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ls := make([]*yuncang.Location, len(req.Locations))
	for i, l := range req.Locations {
		ls[i] = &yuncang.Location{Code: l.Code, Zone: l.Zone, Aisle: l.Aisle, Bin: l.Bin, Kind: l.Kind, Seq: l.Seq}
	}
	if err := s.store.CreateLocations(r.Context(), warehouseFrom(r.Context()).ID, ls); err != nil {
		return err
	}
	out := []LocationJSON{}
	for _, l := range ls {
		out = append(out, LocationJSON{Code: l.Code, Zone: l.Zone, Aisle: l.Aisle, Bin: l.Bin, Kind: l.Kind, Seq: l.Seq})
	}
	writePage(w, http.StatusCreated, Page[LocationJSON]{Items: out})
	return nil
}

func (s *Server) setLotTracking(w http.ResponseWriter, r *http.Request) error {
	var req LotTrackingRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.LotTracked == nil {
		return yuncang.Invalid("lot_tracked", "is required")
	}
	if err := s.store.SetLotTracking(r.Context(), tenantFrom(r.Context()).ID, r.PathValue("sku"), *req.LotTracked); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) createASN(w http.ResponseWriter, r *http.Request) error {
	var req ASNRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if req.Warehouse == "" {
		return yuncang.Invalid("warehouse", "is required")
	}
	wh, err := s.store.WarehouseByCode(r.Context(), req.Warehouse)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return yuncang.Invalid("warehouse", "no such warehouse")
		}
		return err
	}
	a := &yuncang.ASN{TenantID: tenantFrom(r.Context()).ID, WarehouseID: wh.ID, Warehouse: wh.Code, Ref: req.Ref, ExpectedAt: req.ExpectedAt}
	for _, l := range req.Lines {
		a.Lines = append(a.Lines, yuncang.ASNLine{SKUCode: l.SKU, Expected: l.Expected})
	}
	if err := s.store.CreateASN(r.Context(), a); err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/asns/%d", a.ID))
	writeJSON(w, http.StatusCreated, toASNJSON(a))
	return nil
}

func (s *Server) writeASNs(w http.ResponseWriter, r *http.Request, warehouseID int64) error {
	as, err := s.store.ASNs(r.Context(), tenantFrom(r.Context()).ID, warehouseID)
	if err != nil {
		return err
	}
	out := []ASNJSON{}
	for _, a := range as {
		out = append(out, toASNJSON(a))
	}
	writeList(w, out)
	return nil
}

func (s *Server) listASNs(w http.ResponseWriter, r *http.Request) error { return s.writeASNs(w, r, 0) }

func (s *Server) listWarehouseASNs(w http.ResponseWriter, r *http.Request) error {
	return s.writeASNs(w, r, warehouseFrom(r.Context()).ID)
}

func (s *Server) getASN(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "asn")
	if err != nil {
		return err
	}
	a, err := s.store.ASN(r.Context(), tenantFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toASNJSON(a))
	return nil
}

// asnHere loads an ASN of the tenant expected in the request's warehouse.
func (s *Server) asnHere(r *http.Request) (int64, error) {
	id, err := pathNum(r, "asn")
	if err != nil {
		return 0, err
	}
	a, err := s.store.ASN(r.Context(), tenantFrom(r.Context()).ID, id)
	if err != nil {
		return 0, err
	}
	if a.WarehouseID != warehouseFrom(r.Context()).ID {
		return 0, yuncang.Errorf(yuncang.ENOTFOUND, "ASN not found")
	}
	return id, nil
}

func (s *Server) receiveASN(w http.ResponseWriter, r *http.Request) error {
	var req ReceiveRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	id, err := s.asnHere(r)
	if err != nil {
		return err
	}
	lines := make([]yuncang.ReceiptLine, len(req.Lines))
	for i, l := range req.Lines {
		lines[i] = yuncang.ReceiptLine{SKUCode: l.SKU, Qty: l.Qty, Damaged: l.Damaged, Lot: l.Lot, Expiry: l.Expiry}
	}
	a, err := s.store.Receive(r.Context(), tenantFrom(r.Context()).ID, id, lines)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toASNJSON(a))
	return nil
}

func (s *Server) closeASN(w http.ResponseWriter, r *http.Request) error {
	id, err := s.asnHere(r)
	if err != nil {
		return err
	}
	a, err := s.store.CloseASN(r.Context(), tenantFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toASNJSON(a))
	return nil
}

func (s *Server) moveStock(w http.ResponseWriter, r *http.Request) error {
	var req MoveRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	err := s.store.Move(r.Context(), tenantFrom(r.Context()).ID, warehouseFrom(r.Context()).ID,
		yuncang.Transfer{SKUCode: req.SKU, Lot: req.Lot, From: req.From, To: req.To, Qty: req.Qty})
	if err != nil {
		return err
	}
	return s.listLocationStock(w, r)
}

func (s *Server) cycleCount(w http.ResponseWriter, r *http.Request) error {
	var req CountRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c := &yuncang.CycleCount{Locations: req.Locations}
	for _, l := range req.Lines {
		c.Lines = append(c.Lines, yuncang.CountLine{Location: l.Location, SKUCode: l.SKU, Lot: l.Lot, Counted: l.Counted})
	}
	if err := s.store.CycleCount(r.Context(), tenantFrom(r.Context()).ID, warehouseFrom(r.Context()).ID, c); err != nil {
		return err
	}
	out := CountJSON{ID: c.ID, CreatedAt: c.CreatedAt, Lines: []CountLineJSON{}}
	for _, l := range c.Lines {
		exp := l.Expected
		out.Lines = append(out.Lines, CountLineJSON{Location: l.Location, SKU: l.SKUCode, Lot: l.Lot, Counted: l.Counted, Expected: &exp})
	}
	writeJSON(w, http.StatusCreated, out)
	return nil
}

func (s *Server) listLocationStock(w http.ResponseWriter, r *http.Request) error {
	st, err := s.store.LocationStock(r.Context(), tenantFrom(r.Context()).ID, warehouseFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	out := []LocationStockJSON{}
	for _, x := range st {
		out = append(out, LocationStockJSON{Location: x.Location, Zone: x.Zone, SKU: x.SKUCode, Lot: x.Lot, Expiry: x.Expiry, Qty: x.Qty, Allocated: x.Allocated})
	}
	writeList(w, out)
	return nil
}

func (s *Server) listLedger(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := yuncang.LedgerFilter{TenantID: tenantFrom(r.Context()).ID, SKUCode: q.Get("sku"), Ref: q.Get("ref")}
	if wc := q.Get("warehouse"); wc != "" {
		wh, err := s.store.WarehouseByCode(r.Context(), wc)
		if err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return yuncang.Invalid("warehouse", "no such warehouse")
			}
			return err
		}
		f.WarehouseID = wh.ID
	}
	var err error
	if f.AfterID, f.Limit, err = pageParams(q, 200, 1000); err != nil {
		return err
	}
	ms, err := s.store.Ledger(r.Context(), f)
	if err != nil {
		return err
	}
	out := []StockMoveJSON{}
	for _, m := range ms {
		out = append(out, StockMoveJSON{ID: m.ID, Warehouse: m.Warehouse, SKU: m.SKUCode, Location: m.Location, Lot: m.Lot, Kind: m.Kind,
			DOnHand: m.DOnHand, DReserved: m.DReserved, DQty: m.DQty, Ref: m.Ref, UserID: m.UserID, At: m.At})
	}
	p := Page[StockMoveJSON]{Items: out}
	if len(out) > 0 {
		p.Next = nextCursor(len(out), f.Limit, out[len(out)-1].ID)
	}
	writePage(w, http.StatusOK, p)
	return nil
}

func (s *Server) checkBooks(w http.ResponseWriter, r *http.Request) error {
	diffs, err := s.store.CheckBooks(r.Context(), tenantFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	if diffs == nil {
		diffs = []string{}
	}
	writeJSON(w, http.StatusOK, BooksJSON{Balanced: len(diffs) == 0, Differences: diffs})
	return nil
}

func (s *Server) getPlanningConfig(w http.ResponseWriter, r *http.Request) error {
	c, err := s.allocation.Config(r.Context(), tenantFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, PlanningConfigJSON{Default: c.Default, UpdatedAt: c.UpdatedAt, Config: json.RawMessage(c.Body)})
	return nil
}

func (s *Server) putPlanningConfig(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		return yuncang.Invalid("body", "is larger than %d bytes", maxJSONBody)
	}
	if len(body) == 0 {
		return yuncang.Invalid("body", "is required: the planning configuration as JSON")
	}
	if err := s.allocation.SetConfig(r.Context(), tenantFrom(r.Context()).ID, body); err != nil {
		return err
	}
	return s.getPlanningConfig(w, r)
}

func (s *Server) allocate(w http.ResponseWriter, r *http.Request) error {
	var req AllocateRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.observeOrderChange(r, req.OrderIDs...); err != nil {
		return err
	}
	states, err := s.allocation.Allocate(r.Context(), tenantFrom(r.Context()).ID, req.OrderIDs)
	if err != nil {
		return err
	}
	out := []FulfilmentJSON{}
	for _, st := range states {
		out = append(out, toFulfilmentJSON(st))
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": out})
	return nil
}

func (s *Server) setOrderStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "id")
	if err != nil {
		return err
	}
	var req OrderStatusRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if err := s.observeOrderChange(r, id); err != nil {
		return err
	}
	st, err := s.store.TransitionOrder(r.Context(), tenantFrom(r.Context()).ID, id, req.Status, req.Reason)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toFulfilmentJSON(st))
	return nil
}

func (s *Server) getFulfilment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "id")
	if err != nil {
		return err
	}
	st, err := s.store.OrderState(r.Context(), tenantFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toFulfilmentJSON(st))
	return nil
}

func (s *Server) createWave(w http.ResponseWriter, r *http.Request) error {
	var req WaveRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	wh := warehouseFrom(r.Context())
	wv, err := s.waves.Create(r.Context(), tenantFrom(r.Context()).ID, wh.ID, yuncang.WaveInput{Carrier: req.Carrier, Zone: req.Zone, MaxParcels: req.MaxParcels})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toWaveJSON(wv, wh.Code))
	return nil
}

func (s *Server) listWaves(w http.ResponseWriter, r *http.Request) error {
	wh := warehouseFrom(r.Context())
	wvs, err := s.store.Waves(r.Context(), tenantFrom(r.Context()).ID, wh.ID)
	if err != nil {
		return err
	}
	out := []WaveJSON{}
	for _, wv := range wvs {
		out = append(out, toWaveJSON(wv, wh.Code))
	}
	writeList(w, out)
	return nil
}

func (s *Server) getWave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "wave")
	if err != nil {
		return err
	}
	wh := warehouseFrom(r.Context())
	wv, err := s.store.Wave(r.Context(), tenantFrom(r.Context()).ID, wh.ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toWaveJSON(wv, wh.Code))
	return nil
}

func (s *Server) confirmPick(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "wave")
	if err != nil {
		return err
	}
	var req PickRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	wh := warehouseFrom(r.Context())
	wv, err := s.store.ConfirmPick(r.Context(), tenantFrom(r.Context()).ID, wh.ID, id, yuncang.PickConfirm{Location: req.Location, SKUCode: req.SKU, Lot: req.Lot, Qty: req.Qty})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toWaveJSON(wv, wh.Code))
	return nil
}

func (s *Server) packParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "parcel")
	if err != nil {
		return err
	}
	var req PackRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	p, err := s.store.PackParcel(r.Context(), tenantFrom(r.Context()).ID, warehouseFrom(r.Context()).ID, id, req.Barcodes)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toParcelJSON(p))
	return nil
}

func (s *Server) weighParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "parcel")
	if err != nil {
		return err
	}
	var req WeighRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	p, err := s.store.WeighParcel(r.Context(), tenantFrom(r.Context()).ID, warehouseFrom(r.Context()).ID, id, req.GrossG, req.TareG)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toParcelJSON(p))
	return nil
}

func (s *Server) shipParcel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "parcel")
	if err != nil {
		return err
	}
	var req ShipRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	tenant := tenantFrom(r.Context()).ID
	p, err := s.store.Parcel(r.Context(), tenant, id)
	if err != nil {
		return err
	}
	if p.WarehouseID != warehouseFrom(r.Context()).ID {
		return yuncang.Errorf(yuncang.ENOTFOUND, "parcel not found")
	}
	p, err = s.store.ShipParcel(r.Context(), tenant, id, yuncang.ShipInput{WaybillNo: req.WaybillNo})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toParcelJSON(p))
	return nil
}

func (s *Server) parcelDelivered(w http.ResponseWriter, r *http.Request) error {
	id, err := pathNum(r, "parcel")
	if err != nil {
		return err
	}
	var req DeliveredRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	p, err := s.store.DeliverParcel(r.Context(), tenantFrom(r.Context()).ID, id, req.At)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toParcelJSON(p))
	return nil
}

// statsFilter reads from, to (YYYY-MM-DD, Beijing days; to inclusive) and group_by.
func statsFilter(r *http.Request) (yuncang.StatsFilter, error) {
	q := r.URL.Query()
	cst := time.FixedZone("CST", 8*3600)
	f := yuncang.StatsFilter{GroupBy: q.Get("group_by")}
	if v := q.Get("from"); v != "" {
		t, err := time.ParseInLocation("2006-01-02", v, cst)
		if err != nil {
			return f, yuncang.Invalid("from", "must be a date YYYY-MM-DD")
		}
		f.From = t
	}
	if v := q.Get("to"); v != "" {
		t, err := time.ParseInLocation("2006-01-02", v, cst)
		if err != nil {
			return f, yuncang.Invalid("to", "must be a date YYYY-MM-DD")
		}
		f.To = t.AddDate(0, 0, 1)
	}
	return f, nil
}

func (s *Server) writeStats(w http.ResponseWriter, r *http.Request, f yuncang.StatsFilter) error {
	rows, err := s.store.LogisticsStats(r.Context(), f)
	if err != nil {
		return err
	}
	out := []StatsRowJSON{}
	for _, x := range rows {
		out = append(out, StatsRowJSON{Day: x.Day, Key: x.Key, Name: x.Name, Parcels: x.Parcels, Orders: x.Orders, SplitOrders: x.SplitOrders,
			CostFen: x.CostFen, AvgCostFen: x.AvgCostFen, SplitRate: x.SplitRate, Delivered: x.Delivered, OnTime: x.OnTime, OnTimeRate: x.OnTimeRate, WeightG: x.WeightG})
	}
	writeJSON(w, http.StatusOK, StatsJSON{GroupBy: f.GroupBy, Rows: out})
	return nil
}

func (s *Server) merchantStats(w http.ResponseWriter, r *http.Request) error {
	f, err := statsFilter(r)
	if err != nil {
		return err
	}
	f.TenantID = tenantFrom(r.Context()).ID
	return s.writeStats(w, r, f)
}

func (s *Server) warehouseStats(w http.ResponseWriter, r *http.Request) error {
	f, err := statsFilter(r)
	if err != nil {
		return err
	}
	f.WarehouseID = warehouseFrom(r.Context()).ID
	return s.writeStats(w, r, f)
}

func init() {
	doc := func(route string, req, resp any, status string) {
		apiDocs[route] = struct {
			req, resp any
			status    string
		}{req, resp, status}
	}
	doc("GET /api/v1/warehouses/{warehouse}/locations", nil, pageOf(LocationJSON{}), "200")
	doc("POST /api/v1/warehouses/{warehouse}/locations", LocationsRequest{}, pageOf(LocationJSON{}), "201")
	doc("PUT /api/v1/skus/{sku}/lot-tracking", LotTrackingRequest{}, nil, "204")
	doc("POST /api/v1/asns", ASNRequest{}, ASNJSON{}, "201")
	doc("GET /api/v1/asns", nil, pageOf(ASNJSON{}), "200")
	doc("GET /api/v1/asns/{asn}", nil, ASNJSON{}, "200")
	doc("GET /api/v1/warehouses/{warehouse}/asns", nil, pageOf(ASNJSON{}), "200")
	doc("POST /api/v1/warehouses/{warehouse}/asns/{asn}/receive", ReceiveRequest{}, ASNJSON{}, "200")
	doc("POST /api/v1/warehouses/{warehouse}/asns/{asn}/close", nil, ASNJSON{}, "200")
	doc("POST /api/v1/warehouses/{warehouse}/moves", MoveRequest{}, pageOf(LocationStockJSON{}), "200")
	doc("POST /api/v1/warehouses/{warehouse}/counts", CountRequest{}, CountJSON{}, "201")
	doc("GET /api/v1/warehouses/{warehouse}/location-stock", nil, pageOf(LocationStockJSON{}), "200")
	doc("GET /api/v1/ledger", nil, pageOf(StockMoveJSON{}), "200")
	doc("GET /api/v1/ledger/check", nil, BooksJSON{}, "200")
	doc("GET /api/v1/planning-config", nil, PlanningConfigJSON{}, "200")
	doc("PUT /api/v1/planning-config", nil, PlanningConfigJSON{}, "200")
	doc("POST /api/v1/allocations", AllocateRequest{}, listOf("orders", FulfilmentJSON{}), "200")
	doc("POST /api/v1/orders/{id}/status", OrderStatusRequest{}, FulfilmentJSON{}, "200")
	doc("GET /api/v1/orders/{id}/fulfilment", nil, FulfilmentJSON{}, "200")
	doc("POST /api/v1/warehouses/{warehouse}/waves", WaveRequest{}, WaveJSON{}, "201")
	doc("GET /api/v1/warehouses/{warehouse}/waves", nil, pageOf(WaveJSON{}), "200")
	doc("GET /api/v1/warehouses/{warehouse}/waves/{wave}", nil, WaveJSON{}, "200")
	doc("POST /api/v1/warehouses/{warehouse}/waves/{wave}/picks", PickRequest{}, WaveJSON{}, "200")
	doc("POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/pack", PackRequest{}, ParcelJSON{}, "200")
	doc("POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/weigh", WeighRequest{}, ParcelJSON{}, "200")
	doc("POST /api/v1/warehouses/{warehouse}/parcels/{parcel}/ship", ShipRequest{}, ParcelJSON{}, "200")
	doc("POST /api/v1/parcels/{parcel}/delivered", DeliveredRequest{}, ParcelJSON{}, "200")
	doc("GET /api/v1/analytics/logistics", nil, StatsJSON{}, "200")
	doc("GET /api/v1/warehouses/{warehouse}/analytics/logistics", nil, StatsJSON{}, "200")
}
