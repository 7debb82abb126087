package agent

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Printer is where a job goes, as the server describes it to the gateway.
type Printer struct {
	Name     string `json:"name"`
	Language string `json:"language"` // zpl, zpl-raster, tspl, tspl-raster, pdf
	// Addr is host:port for raw printing (port 9100 by default), or an
	// ipp:// or http:// URL of an IPP queue (CUPS: ipp://host:631/printers/NAME).
	Addr string `json:"addr"`
}

// Languages the gateway can deliver, and how.
var rawLanguages = map[string]bool{"zpl": true, "zpl-raster": true, "tspl": true, "tspl-raster": true}

// Deliver sends a rendered job to its printer and returns the SHA-256 of
// the bytes sent, which the server records in the audit log: a label found
// later can be matched to the job that printed it.
func Deliver(ctx context.Context, p Printer, data []byte) (string, error) {
	sum := sha256.Sum256(data)
	digest := hex.EncodeToString(sum[:])
	switch {
	case rawLanguages[p.Language]:
		return digest, sendRaw(ctx, p.Addr, data)
	case p.Language == "pdf":
		return digest, sendIPP(ctx, p.Addr, p.Name, data)
	}
	return "", fmt.Errorf("printer %s: unknown language %q", p.Name, p.Language)
}

// sendRaw writes the job to the printer's raw port (JetDirect, 9100) and
// closes the connection: the printer takes one connection as one job.
func sendRaw(ctx context.Context, addr string, data []byte) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "9100")
	}
	d := net.Dialer{Timeout: 5 * time.Second}
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("printer unreachable: %w", err)
	}
	defer c.Close()
	deadline := time.Now().Add(30 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	c.SetDeadline(deadline)
	if _, err := c.Write(data); err != nil {
		return fmt.Errorf("sending to printer: %w", err)
	}
	if tc, ok := c.(*net.TCPConn); ok {
		if err := tc.CloseWrite(); err != nil {
			return fmt.Errorf("finishing the job: %w", err)
		}
	}
	return nil
}

// IPP (RFC 8010/8011): a Print-Job request is a binary header, operation
// attributes, then the document. This is all of IPP the gateway needs.
const (
	ippPrintJob        = 0x0002
	ippTagOperation    = 0x01
	ippTagEnd          = 0x03
	ippTagURI          = 0x45
	ippTagCharset      = 0x47
	ippTagLanguage     = 0x48
	ippTagName         = 0x42
	ippTagMimeType     = 0x49
	ippStatusOKMaximum = 0x00ff // successful-ok … successful-ok-events-complete
)

// sendIPP posts a PDF to an IPP queue with Print-Job.
func sendIPP(ctx context.Context, queue, jobName string, pdf []byte) error {
	u, err := url.Parse(queue)
	if err != nil || (u.Scheme != "ipp" && u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("IPP queue %q is not an ipp:// or http:// URL", queue)
	}
	httpURL := *u
	printerURI := *u
	switch u.Scheme {
	case "ipp":
		httpURL.Scheme = "http"
		if u.Port() == "" {
			httpURL.Host = net.JoinHostPort(u.Hostname(), "631")
		}
	case "http", "https":
		printerURI.Scheme = "ipp"
	}
	var b bytes.Buffer
	b.Write([]byte{1, 1}) // IPP/1.1
	binary.Write(&b, binary.BigEndian, uint16(ippPrintJob))
	binary.Write(&b, binary.BigEndian, uint32(1)) // request id
	b.WriteByte(ippTagOperation)
	ippAttr(&b, ippTagCharset, "attributes-charset", "utf-8")
	ippAttr(&b, ippTagLanguage, "attributes-natural-language", "zh-cn")
	ippAttr(&b, ippTagURI, "printer-uri", printerURI.String())
	ippAttr(&b, ippTagName, "requesting-user-name", "yuncang-agent")
	ippAttr(&b, ippTagName, "job-name", jobName)
	ippAttr(&b, ippTagMimeType, "document-format", "application/pdf")
	b.WriteByte(ippTagEnd)
	b.Write(pdf)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, httpURL.String(), &b)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/ipp")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("IPP queue unreachable: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK || len(body) < 8 {
		return fmt.Errorf("IPP queue answered HTTP %d", resp.StatusCode)
	}
	if status := binary.BigEndian.Uint16(body[2:4]); status > ippStatusOKMaximum {
		return fmt.Errorf("IPP queue refused the job: status 0x%04x", status)
	}
	return nil
}

func ippAttr(b *bytes.Buffer, tag byte, name, value string) {
	b.WriteByte(tag)
	binary.Write(b, binary.BigEndian, uint16(len(name)))
	b.WriteString(name)
	binary.Write(b, binary.BigEndian, uint16(len(value)))
	b.WriteString(value)
}
