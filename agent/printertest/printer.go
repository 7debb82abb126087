package printertest

import (
	"io"
	"net"
	"sync"
	"time"
)

// Printer is a raw-TCP printer port on 127.0.0.1: each connection is one
// job, read until the sender closes it.
type Printer struct {
	ln   net.Listener
	mu   sync.Mutex
	jobs []Job
	got  chan struct{}
	// Refuse makes the printer drop connections unread (a jammed or
	// offline printer), for failure tests.
	refuse bool
}

// Job is one received job.
type Job struct {
	Data []byte
	At   time.Time
}

// Start listens on a free loopback port.
func Start() (*Printer, error) { return Listen("127.0.0.1:0") }

// Listen listens on addr (a printer coming back on its old address).
func Listen(addr string) (*Printer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Printer{ln: ln, got: make(chan struct{}, 1<<16)}
	go p.serve()
	return p, nil
}

// Addr is host:port to print to.
func (p *Printer) Addr() string { return p.ln.Addr().String() }

// Close stops listening.
func (p *Printer) Close() error { return p.ln.Close() }

// SetOffline makes the printer drop new jobs unread (true) or take them.
func (p *Printer) SetOffline(off bool) {
	p.mu.Lock()
	p.refuse = off
	p.mu.Unlock()
}

func (p *Printer) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			p.mu.Lock()
			refuse := p.refuse
			p.mu.Unlock()
			if refuse {
				return
			}
			c.SetReadDeadline(time.Now().Add(30 * time.Second))
			data, err := io.ReadAll(io.LimitReader(c, 64<<20))
			if err != nil || len(data) == 0 {
				return
			}
			p.mu.Lock()
			p.jobs = append(p.jobs, Job{Data: data, At: time.Now()})
			p.mu.Unlock()
			p.got <- struct{}{}
		}()
	}
}

// Jobs returns the jobs received so far.
func (p *Printer) Jobs() []Job {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Job(nil), p.jobs...)
}

// Wait blocks until n jobs in all have arrived or the timeout passes, and
// returns the jobs received.
func (p *Printer) Wait(n int, timeout time.Duration) []Job {
	deadline := time.After(timeout)
	for {
		if js := p.Jobs(); len(js) >= n {
			return js
		}
		select {
		case <-p.got:
		case <-deadline:
			return p.Jobs()
		}
	}
}
