package agent

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang/agent/printertest"
)

func TestDeliverRaw(t *testing.T) {
	p, err := printertest.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	job := []byte("SIZE 76 mm,130 mm\r\nCLS\r\nTEXT 10,10,\"TSS24.BF2\",0,1,1,\"欧阳**\"\r\nPRINT 1,1\r\n")
	digest, err := Deliver(context.Background(), Printer{Name: "P1", Language: "tspl", Addr: p.Addr()}, job)
	if err != nil {
		t.Fatal(err)
	}
	got := p.Wait(1, 5*time.Second)
	if len(got) != 1 || !bytes.Equal(got[0].Data, job) {
		t.Fatalf("printer received %d jobs", len(got))
	}
	sum := sha256.Sum256(job)
	if digest != hex.EncodeToString(sum[:]) {
		t.Errorf("digest %s is not the SHA-256 of the bytes sent", digest)
	}
	// An unreachable printer is an error the server hears about.
	addr := p.Addr()
	p.Close()
	if _, err := Deliver(context.Background(), Printer{Name: "P1", Language: "zpl", Addr: addr}, job); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("delivery to a closed port: %v", err)
	}
	if _, err := Deliver(context.Background(), Printer{Name: "P1", Language: "escpos", Addr: addr}, job); err == nil {
		t.Error("an unknown language was accepted")
	}
}

func TestDeliverIPP(t *testing.T) {
	q := printertest.StartIPP()
	defer q.Close()
	pdf := []byte("%PDF-1.4\n% a label\n%%EOF\n")
	if _, err := Deliver(context.Background(), Printer{Name: "label-A4", Language: "pdf", Addr: q.URL()}, pdf); err != nil {
		t.Fatal(err)
	}
	jobs := q.Jobs()
	if len(jobs) != 1 || !bytes.Equal(jobs[0].Document, pdf) {
		t.Fatalf("queue received %+v", jobs)
	}
	a := jobs[0].Attributes
	if a["document-format"] != "application/pdf" || a["job-name"] != "label-A4" || !strings.HasPrefix(a["printer-uri"], "ipp://127.0.0.1:") {
		t.Errorf("attributes %v", a)
	}
	if _, err := Deliver(context.Background(), Printer{Name: "x", Language: "pdf", Addr: "lpr://nowhere"}, pdf); err == nil {
		t.Error("a non-IPP queue URL was accepted")
	}
}
