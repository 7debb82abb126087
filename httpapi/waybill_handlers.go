package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/label"
	"github.com/yuncang/yuncang/pii"
	"github.com/yuncang/yuncang/printing"
)

// labelConfig is a server's label rendering setup: the CJK font, and one
// renderer per size, made on first use (a renderer parses the font once).
type labelConfig struct {
	mu        sync.Mutex
	fontPath  string
	fontIndex int
	renderers map[string]*label.Renderer
}

// labelConfigs holds each server's label setup; Server is not this file's
// to extend.
var labelConfigs sync.Map // *Server -> *labelConfig

func (s *Server) labels() *labelConfig {
	v, _ := labelConfigs.LoadOrStore(s, &labelConfig{renderers: map[string]*label.Renderer{}})
	return v.(*labelConfig)
}

// ConfigureLabels sets the CJK font labels are rendered with (a .ttf, or a
// .ttc and the index of the font in it). Empty means the first of
// label.DefaultFontPaths that is installed.
func (s *Server) ConfigureLabels(fontPath string, fontIndex int) {
	lc := s.labels()
	lc.mu.Lock()
	defer lc.mu.Unlock()
	lc.fontPath, lc.fontIndex = fontPath, fontIndex
	lc.renderers = map[string]*label.Renderer{}
	s.printing.Renderers = &printing.Renderers{FontPath: fontPath, FontIndex: fontIndex}
}

// renderer returns the renderer for a size name.
func (s *Server) renderer(size string) (*label.Renderer, error) {
	var sz label.Size
	switch size {
	case "", label.Size76x130.Name:
		sz = label.Size76x130
	case label.Size100x150.Name:
		sz = label.Size100x150
	default:
		return nil, yuncang.Invalid("size", "must be 76x130 or 100x150")
	}
	lc := s.labels()
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if r := lc.renderers[sz.Name]; r != nil {
		return r, nil
	}
	r, err := label.New(label.Options{Size: sz, FontPath: lc.fontPath, FontIndex: lc.fontIndex})
	if err != nil {
		return nil, yuncang.Internal(err, "label renderer")
	}
	lc.renderers[sz.Name] = r
	return r, nil
}

func waybillPathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, yuncang.Invalid(name, "must be a positive integer")
	}
	return id, nil
}

func (s *Server) getShipment(w http.ResponseWriter, r *http.Request) error {
	id, err := waybillPathID(r, "shipment")
	if err != nil {
		return err
	}
	if err := s.observe(r, ActivityWaybillQuery, fmt.Sprintf("shipment:%d", id)); err != nil {
		return err
	}
	sh, err := s.store.Shipment(r.Context(), warehouseFrom(r.Context()).ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toShipmentJSON(sh))
	return nil
}

func (s *Server) voidShipment(w http.ResponseWriter, r *http.Request) error {
	id, err := waybillPathID(r, "shipment")
	if err != nil {
		return err
	}
	var req VoidRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	reason, _ := pii.MaskText(req.Reason)
	ev := actorEvent(r, yuncang.EventWaybillVoid)
	ev.Detail = "reason: " + reason
	sh, err := s.store.VoidShipment(r.Context(), warehouseFrom(r.Context()).ID, id, reason, ev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toShipmentJSON(sh))
	return nil
}

func (s *Server) shipmentLabel(w http.ResponseWriter, r *http.Request) error {
	id, err := waybillPathID(r, "shipment")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	return s.printLabels(w, r, []int64{id}, q.Get("format"), q.Get("size"), q.Get("reason"))
}

func (s *Server) labelBatch(w http.ResponseWriter, r *http.Request) error {
	var req LabelBatchRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	return s.printLabels(w, r, req.ShipmentIDs, req.Format, req.Size, req.Reason)
}

// printLabels prints one or many labels into one file. The order matters:
// check the request and the renderer, ask the guard, then count the prints
// and record them (in one transaction, which refuses voided labels and
// reprints over the limit), and only then render what the store returned.
func (s *Server) printLabels(w http.ResponseWriter, r *http.Request, ids []int64, format, size, reason string) error {
	switch format {
	case "":
		format = "pdf"
	case "pdf", "png", "zpl":
	default:
		return yuncang.Invalid("format", "must be pdf, png or zpl")
	}
	if len(ids) == 0 || len(ids) > yuncang.MaxLabelBatch {
		return yuncang.Invalid("shipment_ids", "must name between 1 and %d shipments", yuncang.MaxLabelBatch)
	}
	if reason != "" && !slices.Contains(yuncang.ReprintReasons, reason) {
		return yuncang.Invalid("reason", "must be one of %s", strings.Join(yuncang.ReprintReasons, ", "))
	}
	rd, err := s.renderer(size)
	if err != nil {
		return err
	}
	if format != "zpl" {
		if _, err := rd.FontPath(); err != nil {
			return yuncang.Internal(err, "label font") // before anything is counted
		}
	}
	targets := make([]string, len(ids))
	for i, id := range ids {
		targets[i] = fmt.Sprintf("shipment:%d", id)
	}
	activity := ActivityLabelPrint
	if reason != "" {
		activity = ActivityLabelReprint
	}
	if err := s.observe(r, activity, targets...); err != nil {
		return err
	}
	ctx := r.Context()
	a := yuncang.ActorFromContext(ctx)
	station := ""
	if a.Device != nil {
		station = a.Device.Code
	}
	labels, err := s.printing.Print(ctx, yuncang.LabelPrint{WarehouseID: warehouseFrom(ctx).ID, ShipmentIDs: ids, Reason: reason},
		actorEvent(r, yuncang.EventKindLabelPrint), a.Username, station)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	var ctype, ext string
	switch {
	case format == "pdf":
		err, ctype, ext = rd.PDF(&buf, labels), "application/pdf", "pdf"
	case format == "zpl":
		err, ctype, ext = rd.ZPL(&buf, labels), "application/zpl; charset=utf-8", "zpl"
	case len(labels) == 1:
		err, ctype, ext = rd.PNG(&buf, labels[0]), "image/png", "png"
	default:
		err, ctype, ext = rd.PNGZip(&buf, labels), "application/zip", "zip"
	}
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.EINVALID {
			return err // the label gate named the field (never the value)
		}
		return yuncang.Internal(err, "render labels")
	}
	name := "labels"
	if len(labels) == 1 {
		name = labels[0].Waybill
	}
	s.metrics.labelPrints("download", reason, len(labels))
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, ext))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
	return nil
}

func (s *Server) createManifest(w http.ResponseWriter, r *http.Request) error {
	var req ManifestRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := s.store.CarrierByCode(r.Context(), req.Carrier)
	if err != nil {
		if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
			return yuncang.Invalid("carrier", "no such carrier")
		}
		return err
	}
	seal, err := sealToCarrier(c)
	if err != nil {
		return err
	}
	if err := s.observe(r, ActivityManifest, "carrier:"+c.Code); err != nil {
		return err
	}
	wh := warehouseFrom(r.Context())
	ev := actorEvent(r, yuncang.EventKindCarrierHandover)
	m, err := s.store.CreateManifest(r.Context(), wh.ID, c.ID, req.Waybills, seal, ev)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, ManifestJSON{ID: m.ID, Carrier: c.Code, Parcels: m.Parcels, Waybills: m.Waybills, CreatedAt: m.CreatedAt})
	return nil
}
