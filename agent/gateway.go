package agent

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"filippo.io/age"
)

// Job is a print job as the server hands it to the gateway.
type Job struct {
	ID      int64   `json:"id"`
	Printer Printer `json:"printer"`
	Payload []byte  `json:"payload"` // sealed to the gateway's key (age), base64 in JSON
}

// JobsResponse is the body of a pull.
type JobsResponse struct {
	Jobs []Job `json:"jobs"`
}

// Result is what the gateway reports for a job.
type Result struct {
	Printed bool   `json:"printed"`
	Digest  string `json:"digest,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// Signer authenticates the gateway's requests as its enrolled device (a
// signature with the key the gateway keeps; see the README's device section).
type Signer interface {
	Sign(req *http.Request, body []byte)
}

// Gateway pulls jobs from the server and prints them. It holds the
// decrypted bytes of a job only while sending them.
type Gateway struct {
	Server   string // https://wms.example.cn
	Identity age.Identity
	Signer   Signer
	Client   *http.Client
	Log      *slog.Logger
	Wait     time.Duration // long-poll wait (default 25 s)
	// Deliver sends a job to a printer (default: the package's Deliver).
	Deliver func(ctx context.Context, p Printer, data []byte) (string, error)

	mu      sync.Mutex
	workers map[string]chan Job // one ordered queue per printer
	wg      sync.WaitGroup
	results chan jobResult // outcomes waiting to be reported
}

// jobResult is one outcome on its way to the server.
type jobResult struct {
	Job int64 `json:"job"`
	Result
}

// Run pulls and prints until ctx ends.
func (g *Gateway) Run(ctx context.Context) error {
	if g.Wait <= 0 {
		g.Wait = 25 * time.Second
	}
	if g.Client == nil {
		g.Client = &http.Client{Timeout: g.Wait + 15*time.Second}
	}
	if g.Log == nil {
		g.Log = slog.New(slog.DiscardHandler)
	}
	if g.Deliver == nil {
		g.Deliver = Deliver
	}
	g.results = make(chan jobResult, 1024)
	reported := make(chan struct{})
	go func() { defer close(reported); g.report(ctx) }()
	defer func() { <-reported }()
	defer close(g.results)
	defer g.wg.Wait()
	defer g.closeWorkers()
	backoff := time.Second
	for ctx.Err() == nil {
		jobs, err := g.pull(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			g.Log.Warn("pull failed", "err", err, "retry_in", backoff)
			select {
			case <-ctx.Done():
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, time.Minute)
			continue
		}
		backoff = time.Second
		for _, j := range jobs {
			g.queue(ctx, j)
		}
	}
	return nil
}

func (g *Gateway) pull(ctx context.Context) ([]Job, error) {
	u := g.Server + "/api/v1/gateway/jobs?wait=" + strconv.Itoa(int(g.Wait/time.Second))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	var out JobsResponse
	if err := g.do(req, nil, &out); err != nil {
		return nil, err
	}
	return out.Jobs, nil
}

// queue hands a job to its printer's worker: jobs for one printer print in
// the order the server gave them (a wave's walking order); printers work in
// parallel.
func (g *Gateway) queue(ctx context.Context, j Job) {
	key := j.Printer.Language + " " + j.Printer.Addr
	g.mu.Lock()
	if g.workers == nil {
		g.workers = map[string]chan Job{}
	}
	ch := g.workers[key]
	if ch == nil {
		ch = make(chan Job, 64)
		g.workers[key] = ch
		g.wg.Add(1)
		go func() {
			defer g.wg.Done()
			for j := range ch {
				g.print(ctx, j)
			}
		}()
	}
	g.mu.Unlock()
	ch <- j
}

func (g *Gateway) closeWorkers() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for k, ch := range g.workers {
		close(ch)
		delete(g.workers, k)
	}
}

// print opens, delivers and reports one job. The opened bytes are zeroed
// once sent: nothing of a label outlives its delivery on this box.
func (g *Gateway) print(ctx context.Context, j Job) {
	res := Result{}
	data, err := openJob(g.Identity, j.Payload)
	if err != nil {
		res.Reason = "the job could not be opened with this gateway's key"
	} else {
		digest, err := g.Deliver(ctx, j.Printer, data)
		clear(data)
		if err != nil {
			res.Reason = err.Error()
		} else {
			res.Printed, res.Digest = true, digest
		}
	}
	if len(res.Reason) > 200 {
		res.Reason = res.Reason[:200]
	}
	g.results <- jobResult{Job: j.ID, Result: res}
	g.Log.Info("job done", "job", j.ID, "printer", j.Printer.Name, "printed", res.Printed)
}

// report sends outcomes to the server, as many at once as finished while
// the previous report was on its way (one transaction on the server for
// all of them). It retries a failed report a few times; the server keeps a
// job it never heard about as "sending", visible to the station.
func (g *Gateway) report(ctx context.Context) {
	for first := range g.results {
		batch := []jobResult{first}
	more:
		for len(batch) < 200 {
			select {
			case r, ok := <-g.results:
				if !ok {
					break more
				}
				batch = append(batch, r)
			default:
				break more
			}
		}
		body, _ := json.Marshal(map[string]any{"results": batch})
		for attempt := 0; attempt < 5; attempt++ {
			// Reports go out even while stopping: the bytes are at the printer.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			req, err := http.NewRequestWithContext(rctx, http.MethodPost, g.Server+"/api/v1/gateway/results", bytes.NewReader(body))
			if err == nil {
				req.Header.Set("Content-Type", "application/json")
				err = g.do(req, body, nil)
			}
			cancel()
			if err == nil {
				break
			}
			g.Log.Warn("reporting jobs failed", "jobs", len(batch), "err", err)
			time.Sleep(time.Duration(attempt+1) * 200 * time.Millisecond)
		}
	}
}

func openJob(id age.Identity, sealed []byte) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func (g *Gateway) do(req *http.Request, body []byte, out any) error {
	if g.Signer != nil {
		g.Signer.Sign(req, body)
	}
	resp, err := g.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		var e struct{ Detail string } // an RFC 9457 problem document
		json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&e)
		return fmt.Errorf("server answered %d: %s", resp.StatusCode, e.Detail)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(out)
}

// Register tells the server the age recipient this gateway's jobs are to
// be sealed to (the identity stays here); it is signed like every request.
func (g *Gateway) Register(ctx context.Context) error {
	x, ok := g.Identity.(*age.X25519Identity)
	if !ok {
		return fmt.Errorf("the gateway's identity is not an X25519 identity")
	}
	if g.Client == nil {
		g.Client = &http.Client{Timeout: 30 * time.Second}
	}
	body, _ := json.Marshal(map[string]string{"recipient": x.Recipient().String()})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.Server+"/api/v1/gateway/register", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	return g.do(req, body, nil)
}
