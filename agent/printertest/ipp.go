package printertest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
)

// IPPQueue is an IPP print queue (as CUPS serves one) that accepts
// Print-Job requests and keeps each document with its operation attributes.
type IPPQueue struct {
	srv  *httptest.Server
	mu   sync.Mutex
	jobs []IPPJob
}

// IPPJob is one Print-Job request.
type IPPJob struct {
	Attributes map[string]string
	Document   []byte
}

// StartIPP starts a queue on 127.0.0.1; its URL is ipp://host:port/printers/test.
func StartIPP() *IPPQueue {
	q := &IPPQueue{}
	q.srv = httptest.NewServer(http.HandlerFunc(q.handle))
	return q
}

// URL is the queue's ipp:// address.
func (q *IPPQueue) URL() string { return "ipp://" + q.srv.Listener.Addr().String() + "/printers/test" }

// Close stops the queue.
func (q *IPPQueue) Close() { q.srv.Close() }

// Jobs returns the jobs received.
func (q *IPPQueue) Jobs() []IPPJob {
	q.mu.Lock()
	defer q.mu.Unlock()
	return append([]IPPJob(nil), q.jobs...)
}

func (q *IPPQueue) handle(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	status := uint16(0x0000)
	job, err := parseIPP(body)
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/ipp" || err != nil {
		status = 0x0400 // client-error-bad-request
	} else {
		q.mu.Lock()
		q.jobs = append(q.jobs, job)
		q.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/ipp")
	var b bytes.Buffer
	b.Write([]byte{1, 1})
	binary.Write(&b, binary.BigEndian, status)
	b.Write(body[4:min(8, len(body))])
	b.Write([]byte{0x01, 0x03})
	w.Write(b.Bytes())
}

func parseIPP(b []byte) (IPPJob, error) {
	job := IPPJob{Attributes: map[string]string{}}
	if len(b) < 9 || b[0] != 1 || binary.BigEndian.Uint16(b[2:4]) != 0x0002 || b[8] != 0x01 {
		return job, fmt.Errorf("not an IPP/1.x Print-Job request")
	}
	p := 9
	for p < len(b) && b[p] != 0x03 {
		if p+3 > len(b) {
			return job, fmt.Errorf("truncated attribute")
		}
		p++ // value tag
		n := int(binary.BigEndian.Uint16(b[p:]))
		p += 2
		if p+n+2 > len(b) {
			return job, fmt.Errorf("truncated name")
		}
		name := string(b[p : p+n])
		p += n
		v := int(binary.BigEndian.Uint16(b[p:]))
		p += 2
		if p+v > len(b) {
			return job, fmt.Errorf("truncated value")
		}
		job.Attributes[name] = string(b[p : p+v])
		p += v
	}
	if p >= len(b) {
		return job, fmt.Errorf("no end-of-attributes tag")
	}
	job.Document = b[p+1:]
	for _, need := range []string{"attributes-charset", "attributes-natural-language", "printer-uri"} {
		if job.Attributes[need] == "" {
			return job, fmt.Errorf("missing %s", need)
		}
	}
	return job, nil
}
