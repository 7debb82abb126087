package httpapi

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/printing"
)

// The print path: a station asks for labels on a printer; the server checks
// and counts the print as any label print, renders the job for the printer
// and seals it to the gateway that serves the printer; the gateway pulls
// it, prints it and reports back. The station's answers carry a job id and
// status, never label bytes.

func (s *Server) addPrinter(w http.ResponseWriter, r *http.Request) error {
	var req PrinterRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	wh := warehouseFrom(ctx)
	p := &yuncang.Printer{WarehouseID: wh.ID, Name: req.Name, Language: req.Language, DPI: req.DPI, Size: req.Size, Font: req.Font,
		Addr: req.Addr, GatewayID: req.GatewayID}
	if req.Station != "" {
		st, err := s.deviceByCode(r, req.Station)
		if err != nil {
			return yuncang.Invalid("station", "must be an enrolled packing station of this warehouse")
		}
		p.StationID = st.ID
	}
	if err := s.printing.AddPrinter(ctx, p, actorEvent(r, yuncang.EventPrinterChange)); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, printerJSON(p))
	return nil
}

// deviceByCode finds an enrolled device by its code.
func (s *Server) deviceByCode(r *http.Request, code string) (*yuncang.Device, error) {
	ds, err := s.store.Devices(r.Context())
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		if d.Code == code {
			return d, nil
		}
	}
	return nil, yuncang.Errorf(yuncang.ENOTFOUND, "device not found")
}

func (s *Server) listPrinters(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.printing.Printers(r.Context(), warehouseFrom(r.Context()).ID)
	if err != nil {
		return err
	}
	out := make([]PrinterJSON, len(ps))
	for i, p := range ps {
		out[i] = printerJSON(p)
	}
	writeList(w, out)
	return nil
}

func (s *Server) removePrinter(w http.ResponseWriter, r *http.Request) error {
	id, err := waybillPathID(r, "printer")
	if err != nil {
		return err
	}
	if err := s.printing.RemovePrinter(r.Context(), warehouseFrom(r.Context()).ID, id, actorEvent(r, yuncang.EventPrinterChange)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// submitPrintJob queues labels for a printer: the same checks, counting,
// guard and audit as a label download, but the bytes go to the printer's
// gateway, sealed to its key.
func (s *Server) submitPrintJob(w http.ResponseWriter, r *http.Request) error {
	var req PrintJobRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	j, err := s.PrintLabels(r, req)
	if err != nil {
		return err
	}
	s.metrics.labelPrints("printer", req.Reason, len(j.ShipmentIDs))
	writeJSON(w, http.StatusAccepted, printJobJSON(j))
	return nil
}

func (s *Server) getPrintJob(w http.ResponseWriter, r *http.Request) error {
	id, err := waybillPathID(r, "job")
	if err != nil {
		return err
	}
	ctx := r.Context()
	j, err := s.printing.Job(ctx, yuncang.ActorFromContext(ctx), warehouseFrom(ctx).ID, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, printJobJSON(j))
	return nil
}

func (s *Server) retryPrintJob(w http.ResponseWriter, r *http.Request) error {
	id, err := waybillPathID(r, "job")
	if err != nil {
		return err
	}
	ctx := r.Context()
	j, err := s.printing.Retry(ctx, yuncang.ActorFromContext(ctx), warehouseFrom(ctx).ID, id, actorEvent(r, yuncang.EventPrintRetry))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusAccepted, printJobJSON(j))
	return nil
}

// registerGateway records the sealing key of the gateway that signed the
// request.
func (s *Server) registerGateway(w http.ResponseWriter, r *http.Request) error {
	var req GatewayRegisterRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	a := yuncang.ActorFromContext(ctx)
	g, err := s.printing.RegisterGateway(ctx, a.Device, req.Recipient, actorEvent(r, yuncang.EventGatewayRegister))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, GatewayJSON{DeviceID: g.DeviceID, WarehouseID: g.WarehouseID, Recipient: g.Recipient})
	return nil
}

// maxGatewayWait bounds a gateway's long poll.
const maxGatewayWait = 30 * time.Second

// gatewayJobs hands the calling gateway its queued jobs, waiting up to
// ?wait= seconds for the first (a long poll over the gateway's outbound
// connection).
func (s *Server) gatewayJobs(w http.ResponseWriter, r *http.Request) error {
	wait := time.Duration(0)
	if v := r.URL.Query().Get("wait"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > int(maxGatewayWait/time.Second) {
			return yuncang.Invalid("wait", "must be 0 to %d seconds", int(maxGatewayWait/time.Second))
		}
		wait = time.Duration(n) * time.Second
	}
	ctx := r.Context()
	a := yuncang.ActorFromContext(ctx)
	js, err := s.printing.Pull(ctx, a.Device.ID, 50, wait)
	if err != nil {
		return err
	}
	out := GatewayJobsJSON{Jobs: []GatewayJobJSON{}}
	printers := map[int64]*yuncang.Printer{} // a pull often carries several jobs for one printer
	for _, j := range js {
		p := printers[j.PrinterID]
		if p == nil {
			if p, err = s.printing.Printer(ctx, j.WarehouseID, j.PrinterID); err != nil {
				return err
			}
			printers[j.PrinterID] = p
		}
		out.Jobs = append(out.Jobs, GatewayJobJSON{ID: j.ID, Printer: GatewayPrinterJSON{Name: p.Name, Language: p.Language, Addr: p.Addr}, Payload: j.Payload})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// gatewayResult records what the gateway reports for one of its jobs.
func (s *Server) gatewayResult(w http.ResponseWriter, r *http.Request) error {
	id, err := waybillPathID(r, "job")
	if err != nil {
		return err
	}
	var req GatewayResultRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ctx := r.Context()
	a := yuncang.ActorFromContext(ctx)
	j, err := s.printing.Report(ctx, a.Device.ID, id, printingOutcome(req), actorEvent(r, yuncang.EventPrintDelivered))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, printJobJSON(j))
	return nil
}

// gatewayResults records several outcomes of the calling gateway in one
// transaction.
func (s *Server) gatewayResults(w http.ResponseWriter, r *http.Request) error {
	var req GatewayResultsRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	ids := make([]int64, len(req.Results))
	os := make([]printing.Outcome, len(req.Results))
	for i, res := range req.Results {
		if res.Job <= 0 {
			return yuncang.Invalid(fmt.Sprintf("results[%d].job", i), "must be a positive integer")
		}
		ids[i], os[i] = res.Job, printingOutcome(res.GatewayResultRequest)
	}
	ctx := r.Context()
	a := yuncang.ActorFromContext(ctx)
	js, err := s.printing.ReportMany(ctx, a.Device.ID, ids, os, func() *yuncang.Event { return actorEvent(r, yuncang.EventPrintDelivered) })
	if err != nil {
		return err
	}
	out := GatewayResultsJSON{Jobs: make([]PrintJobJSON, len(js))}
	for i, j := range js {
		out.Jobs[i] = printJobJSON(j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
