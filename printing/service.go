package printing

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"sync"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

// Store is what the print service needs from storage.
type Store interface {
	// InLabelPrintTx runs a print's reads, counts and audit records in one
	// transaction.
	InLabelPrintTx(ctx context.Context, fn func(tx yuncang.LabelPrintTx) error) error
	LabelTokenKey(ctx context.Context) ([]byte, error)
	DeviceByID(ctx context.Context, id int64) (*yuncang.Device, error)
	Printer(ctx context.Context, warehouseID, id int64) (*yuncang.Printer, error)
	Gateway(ctx context.Context, deviceID int64) (*yuncang.PrintGateway, error)
	ClaimPrintJobs(ctx context.Context, gatewayID int64, limit int, now time.Time) ([]*yuncang.PrintJob, error)
	FinishPrintJob(ctx context.Context, gatewayID, id int64, status, digest, reason string, ev *yuncang.Event) (*yuncang.PrintJob, error)
	FinishPrintJobs(ctx context.Context, gatewayID int64, os []yuncang.PrintOutcome) ([]*yuncang.PrintJob, error)
	WaveShipments(ctx context.Context, warehouseID, waveID int64) ([]int64, error)
	adminStore
}

// Service queues print jobs for gateways and records their outcomes.
type Service struct {
	Store     Store
	Renderers *Renderers
	Now       func() time.Time
	// TTL is how long a sealed job waits for its gateway before its
	// payload is erased (default 15 minutes).
	TTL time.Duration
	// Poll is how often a waiting gateway's pull looks for new jobs; the
	// jobs live in the database, so any server can hand them out. A job
	// submitted through this server wakes its gateway's pull at once.
	Poll time.Duration

	wake wakeups
}

// wakeups lets a submit on this server end a gateway's wait at once.
type wakeups struct {
	mu sync.Mutex
	m  map[int64][]chan struct{}
}

func (w *wakeups) wait(gatewayID int64) chan struct{} {
	ch := make(chan struct{}, 1)
	w.mu.Lock()
	if w.m == nil {
		w.m = map[int64][]chan struct{}{}
	}
	w.m[gatewayID] = append(w.m[gatewayID], ch)
	w.mu.Unlock()
	return ch
}

func (w *wakeups) done(gatewayID int64, ch chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	chs := w.m[gatewayID]
	for i, c := range chs {
		if c == ch {
			w.m[gatewayID] = append(chs[:i], chs[i+1:]...)
			break
		}
	}
	if len(w.m[gatewayID]) == 0 {
		delete(w.m, gatewayID)
	}
}

func (w *wakeups) notify(gatewayID int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, ch := range w.m[gatewayID] {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Request asks for the labels of some shipments on one printer.
type Request struct {
	WarehouseID int64
	PrinterID   int64
	ShipmentIDs []int64 // in print order
	// WaveID, instead of ShipmentIDs, prints a wave's shipments in the
	// wave's walking order.
	WaveID int64
	Reason string // required for reprints
	Actor  *yuncang.Actor
	Event  *yuncang.Event // audit template for the print
}

// Submit checks the request, counts and audits the prints as any label
// print is (voided labels, reprint reasons and limits), renders the job for
// the printer and seals it to the printer's gateway. The caller gets the
// job's id and status, never its bytes.
func (s *Service) Submit(ctx context.Context, req Request) (*yuncang.PrintJob, error) {
	p, err := s.Store.Printer(ctx, req.WarehouseID, req.PrinterID)
	if err != nil || !p.RemovedAt.IsZero() {
		return nil, &yuncang.Error{Code: yuncang.ENOTFOUND, Field: "printer_id", Message: "no such printer in this warehouse"}
	}
	station := int64(0)
	stationCode := ""
	if req.Actor.Device != nil {
		station, stationCode = req.Actor.Device.ID, req.Actor.Device.Code
	}
	if p.StationID != 0 && p.StationID != station {
		return nil, &yuncang.Error{Code: yuncang.EFORBIDDEN, Field: "printer_id", Message: "this printer serves another station"}
	}
	gw, err := s.Store.Gateway(ctx, p.GatewayID)
	if err != nil {
		return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: "printer_id", Message: "the printer's gateway is not registered"}
	}
	dev, err := s.Store.DeviceByID(ctx, gw.DeviceID)
	if err != nil || !dev.Active() {
		return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: "printer_id", Message: "the printer's gateway has been revoked"}
	}
	recipient, err := age.ParseX25519Recipient(gw.Recipient)
	if err != nil {
		return nil, yuncang.Internal(err, "gateway key")
	}
	if req.WaveID != 0 {
		if req.ShipmentIDs, err = s.Store.WaveShipments(ctx, req.WarehouseID, req.WaveID); err != nil {
			if yuncang.ErrorCode(err) == yuncang.ENOTFOUND {
				return nil, &yuncang.Error{Code: yuncang.ENOTFOUND, Field: "wave_id", Message: "no such wave in this warehouse"}
			}
			return nil, err
		}
		if len(req.ShipmentIDs) == 0 {
			return nil, yuncang.Invalid("wave_id", "none of the wave's parcels has a shipment yet")
		}
	}
	key, err := s.Store.LabelTokenKey(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	ttl := s.TTL
	if ttl <= 0 {
		ttl = 15 * time.Minute
	}
	// Counted, audited, rendered, sealed and queued in one transaction: the
	// opened label data exists only inside it, and only the sealed job is
	// stored.
	var j *yuncang.PrintJob
	_, _, err = s.count(ctx, yuncang.LabelPrint{WarehouseID: req.WarehouseID, ShipmentIDs: req.ShipmentIDs, Reason: req.Reason}, req.Event,
		func(tx yuncang.LabelPrintTx, data []*yuncang.LabelData, sealed []yuncang.SealedLabel) error {
			for _, sl := range sealed {
				if err := sl.Open(ctx); err != nil {
					return err
				}
			}
			job, err := s.Renderers.Render(p, Labels(data, key, req.Actor.Username, stationCode, now))
			if err != nil {
				return err
			}
			payload, err := Seal(recipient, job)
			clear(job)
			if err != nil {
				return yuncang.Internal(err, "seal print job")
			}
			j = &yuncang.PrintJob{WarehouseID: req.WarehouseID, PrinterID: p.ID, GatewayID: p.GatewayID, ShipmentIDs: req.ShipmentIDs,
				Reason: req.Reason, RequestedBy: req.Actor.UserID, StationID: station, Payload: payload, ExpiresAt: now.Add(ttl)}
			return tx.QueueJob(ctx, j)
		})
	if err != nil {
		return nil, err
	}
	s.wake.notify(j.GatewayID)
	j.Payload = nil // for the caller: status, not bytes
	return j, nil
}

// Seal encrypts a rendered job to a gateway's X25519 key (age).
func Seal(to age.Recipient, job []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, to)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(job); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Open decrypts a sealed job with the gateway's identity.
func Open(id age.Identity, sealed []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// Pull hands a gateway up to limit queued jobs, waiting up to wait for the
// first one (a long poll: the gateway connects out, nothing connects in).
func (s *Service) Pull(ctx context.Context, gatewayID int64, limit int, wait time.Duration) ([]*yuncang.PrintJob, error) {
	poll := s.Poll
	if poll <= 0 {
		poll = time.Second
	}
	deadline := time.Now().Add(wait)
	woken := s.wake.wait(gatewayID)
	defer s.wake.done(gatewayID, woken)
	for {
		js, err := s.Store.ClaimPrintJobs(ctx, gatewayID, limit, s.now())
		if err != nil || len(js) > 0 || !time.Now().Before(deadline) {
			return js, err
		}
		t := time.NewTimer(min(poll, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, nil
		case <-woken:
			t.Stop()
		case <-t.C:
		}
	}
}

// Outcome is what a gateway reports for a job.
type Outcome struct {
	Printed bool
	Digest  string // SHA-256 (hex) of the bytes sent to the printer
	Reason  string // why it failed
}

var hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Report records a gateway's outcome for one of its jobs, audited; a
// printed job's payload is erased.
func (s *Service) Report(ctx context.Context, gatewayID, jobID int64, o Outcome, ev *yuncang.Event) (*yuncang.PrintJob, error) {
	po, err := outcome(jobID, o, ev)
	if err != nil {
		return nil, err
	}
	return s.Store.FinishPrintJob(ctx, gatewayID, jobID, po.Status, po.Digest, po.Reason, po.Event)
}

// ReportMany records several outcomes of one gateway in one transaction.
func (s *Service) ReportMany(ctx context.Context, gatewayID int64, jobIDs []int64, os []Outcome, ev func() *yuncang.Event) ([]*yuncang.PrintJob, error) {
	if len(jobIDs) == 0 || len(jobIDs) > 500 || len(jobIDs) != len(os) {
		return nil, yuncang.Invalid("results", "must hold between 1 and 500 results")
	}
	seen := map[int64]bool{}
	pos := make([]yuncang.PrintOutcome, len(os))
	for i, o := range os {
		if seen[jobIDs[i]] {
			return nil, yuncang.Invalid("results", "names job %d twice", jobIDs[i])
		}
		seen[jobIDs[i]] = true
		po, err := outcome(jobIDs[i], o, ev())
		if err != nil {
			return nil, err
		}
		pos[i] = po
	}
	return s.Store.FinishPrintJobs(ctx, gatewayID, pos)
}

func outcome(jobID int64, o Outcome, ev *yuncang.Event) (yuncang.PrintOutcome, error) {
	po := yuncang.PrintOutcome{JobID: jobID, Status: yuncang.JobFailed, Digest: o.Digest, Reason: o.Reason, Event: ev}
	ev.Kind, ev.Outcome = yuncang.EventPrintFailed, yuncang.OutcomeError
	if o.Printed {
		if !hexDigest.MatchString(o.Digest) {
			return po, yuncang.Invalid("digest", "must be the SHA-256 of the bytes sent, 64 lowercase hex digits")
		}
		po.Status, po.Reason = yuncang.JobPrinted, ""
		ev.Kind, ev.Outcome = yuncang.EventPrintDelivered, yuncang.OutcomeOK
		ev.Detail = "sha256:" + o.Digest
	} else {
		if o.Reason == "" || len(o.Reason) > 200 {
			return po, yuncang.Invalid("reason", "is required for a failed job, at most 200 bytes")
		}
		po.Reason, _ = pii.MaskText(o.Reason) // free text from the gateway: masked like any note
		ev.Detail = "failed: " + po.Reason
	}
	return po, nil
}

// adminStore is what managing printers and gateways needs from storage.
type adminStore interface {
	CreatePrinter(ctx context.Context, p *yuncang.Printer, ev *yuncang.Event) error
	Printers(ctx context.Context, warehouseID int64) ([]*yuncang.Printer, error)
	RemovePrinter(ctx context.Context, warehouseID, id int64, ev *yuncang.Event) error
	RegisterGateway(ctx context.Context, g *yuncang.PrintGateway, ev *yuncang.Event) error
	PrintJob(ctx context.Context, warehouseID, id int64) (*yuncang.PrintJob, error)
	RetryPrintJob(ctx context.Context, warehouseID, id int64, ev *yuncang.Event) (*yuncang.PrintJob, error)
	ExpirePrintJobs(ctx context.Context, now time.Time) (int, error)
}

// RegisterGateway records the age key a print gateway's jobs are sealed
// to. Only the gateway itself calls it (its request is signed with its
// device key), and only a device of kind print_gateway standing in a
// warehouse may.
func (s *Service) RegisterGateway(ctx context.Context, d *yuncang.Device, recipient string, ev *yuncang.Event) (*yuncang.PrintGateway, error) {
	if d.Kind != yuncang.DevicePrintGateway || d.WarehouseID == 0 {
		return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "only a print gateway standing in a warehouse registers a sealing key")
	}
	if _, err := age.ParseX25519Recipient(recipient); err != nil {
		return nil, yuncang.Invalid("recipient", "must be an age X25519 recipient (age1…) generated on the gateway")
	}
	g := &yuncang.PrintGateway{DeviceID: d.ID, WarehouseID: d.WarehouseID, Recipient: recipient}
	ev.Kind = yuncang.EventGatewayRegister
	if err := s.Store.RegisterGateway(ctx, g, ev); err != nil {
		return nil, err
	}
	return g, nil
}

// AddPrinter registers a printer in a warehouse, served by a gateway of
// that warehouse (and optionally reserved for one of its pack stations).
func (s *Service) AddPrinter(ctx context.Context, p *yuncang.Printer, ev *yuncang.Event) error {
	if err := p.Validate(); err != nil {
		return err
	}
	dev, err := s.Store.DeviceByID(ctx, p.GatewayID)
	if err != nil || dev.Kind != yuncang.DevicePrintGateway || dev.WarehouseID != p.WarehouseID || !dev.Active() {
		return yuncang.Invalid("gateway_id", "must be an enrolled print gateway of this warehouse")
	}
	if p.StationID != 0 {
		st, err := s.Store.DeviceByID(ctx, p.StationID)
		if err != nil || st.Kind != yuncang.DevicePackingStation || st.WarehouseID != p.WarehouseID || !st.Active() {
			return yuncang.Invalid("station", "must be an enrolled packing station of this warehouse")
		}
	}
	ev.Kind = yuncang.EventPrinterChange
	ev.Detail = "added " + p.Name + " (" + p.Language + ")"
	return s.Store.CreatePrinter(ctx, p, ev)
}

// Printers lists a warehouse's printers.
func (s *Service) Printers(ctx context.Context, warehouseID int64) ([]*yuncang.Printer, error) {
	return s.Store.Printers(ctx, warehouseID)
}

// Printer returns one of a warehouse's printers.
func (s *Service) Printer(ctx context.Context, warehouseID, id int64) (*yuncang.Printer, error) {
	return s.Store.Printer(ctx, warehouseID, id)
}

// RemovePrinter takes a printer out of use; jobs waiting for it fail.
func (s *Service) RemovePrinter(ctx context.Context, warehouseID, id int64, ev *yuncang.Event) error {
	ev.Kind = yuncang.EventPrinterChange
	ev.Detail = "removed"
	return s.Store.RemovePrinter(ctx, warehouseID, id, ev)
}

// Job returns a job's status for the station that asked for it (or the
// warehouse's supervisor): never its payload.
func (s *Service) Job(ctx context.Context, a *yuncang.Actor, warehouseID, id int64) (*yuncang.PrintJob, error) {
	j, err := s.Store.PrintJob(ctx, warehouseID, id)
	if err != nil {
		return nil, err
	}
	if a.Role == yuncang.RoleOperator && j.RequestedBy != a.UserID {
		return nil, yuncang.Errorf(yuncang.ENOTFOUND, "print job not found")
	}
	j.Payload = nil
	return j, nil
}

// Retry queues a failed job again while its sealed payload lasts.
func (s *Service) Retry(ctx context.Context, a *yuncang.Actor, warehouseID, id int64, ev *yuncang.Event) (*yuncang.PrintJob, error) {
	if _, err := s.Job(ctx, a, warehouseID, id); err != nil {
		return nil, err
	}
	ev.Kind = yuncang.EventPrintRetry
	j, err := s.Store.RetryPrintJob(ctx, warehouseID, id, ev)
	if err != nil {
		return nil, err
	}
	j.Payload = nil
	return j, nil
}

// Expire erases the payloads of jobs nobody printed in time.
func (s *Service) Expire(ctx context.Context) (int, error) {
	return s.Store.ExpirePrintJobs(ctx, s.now())
}
