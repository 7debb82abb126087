package printing

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
)

// Store is what the print service needs from storage.
type Store interface {
	PrintLabels(ctx context.Context, p yuncang.LabelPrint, ev *yuncang.Event) ([]*yuncang.LabelData, error)
	LabelTokenKey(ctx context.Context) ([]byte, error)
	DeviceByID(ctx context.Context, id int64) (*yuncang.Device, error)
	Printer(ctx context.Context, warehouseID, id int64) (*yuncang.Printer, error)
	Gateway(ctx context.Context, deviceID int64) (*yuncang.PrintGateway, error)
	CreatePrintJob(ctx context.Context, j *yuncang.PrintJob) error
	ClaimPrintJobs(ctx context.Context, gatewayID int64, limit int, now time.Time) ([]*yuncang.PrintJob, error)
	FinishPrintJob(ctx context.Context, gatewayID, id int64, status, digest, reason string, ev *yuncang.Event) (*yuncang.PrintJob, error)
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
	// jobs live in the database, so any server can hand them out.
	Poll time.Duration
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
	ShipmentIDs []int64 // in print order (a wave's walking order)
	Reason      string  // required for reprints
	Actor       *yuncang.Actor
	Event       *yuncang.Event // audit template for the print
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
	data, err := s.Store.PrintLabels(ctx, yuncang.LabelPrint{WarehouseID: req.WarehouseID, ShipmentIDs: req.ShipmentIDs, Reason: req.Reason}, req.Event)
	if err != nil {
		return nil, err
	}
	key, err := s.Store.LabelTokenKey(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	job, err := s.Renderers.Render(p, Labels(data, key, req.Actor.Username, stationCode, now))
	if err != nil {
		return nil, err
	}
	sealed, err := Seal(recipient, job)
	if err != nil {
		return nil, yuncang.Internal(err, "seal print job")
	}
	ttl := s.TTL
	if ttl <= 0 {
		ttl = 15 * time.Minute
	}
	j := &yuncang.PrintJob{WarehouseID: req.WarehouseID, PrinterID: p.ID, GatewayID: p.GatewayID, ShipmentIDs: req.ShipmentIDs,
		Reason: req.Reason, RequestedBy: req.Actor.UserID, StationID: station, Payload: sealed, ExpiresAt: now.Add(ttl)}
	if err := s.Store.CreatePrintJob(ctx, j); err != nil {
		return nil, err
	}
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
		poll = 200 * time.Millisecond
	}
	deadline := time.Now().Add(wait)
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
	status := yuncang.JobFailed
	ev.Kind, ev.Outcome = yuncang.EventPrintFailed, yuncang.OutcomeError
	if o.Printed {
		if !hexDigest.MatchString(o.Digest) {
			return nil, yuncang.Invalid("digest", "must be the SHA-256 of the bytes sent, 64 lowercase hex digits")
		}
		status = yuncang.JobPrinted
		ev.Kind, ev.Outcome = yuncang.EventPrintDelivered, yuncang.OutcomeOK
		ev.Detail = "sha256:" + o.Digest
	} else {
		if o.Reason == "" || len(o.Reason) > 200 {
			return nil, yuncang.Invalid("reason", "is required for a failed job, at most 200 bytes")
		}
		ev.Detail = fmt.Sprintf("failed: %s", o.Reason)
	}
	return s.Store.FinishPrintJob(ctx, gatewayID, jobID, status, o.Digest, o.Reason, ev)
}
