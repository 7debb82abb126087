// Package printertest is a thermal printer on 127.0.0.1 for tests: a TCP
// listener that takes raw jobs as a printer's port 9100 does, and strict
// readers of ZPL II and TSPL that take a job apart as a printer would — the
// text it would print, the barcodes and QR codes it would draw, and the
// pictures of raster jobs — so a test can check what reaches paper.
package printertest

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"image"
	"strconv"
	"strings"
)

// Label is what a printer would put on one label.
type Label struct {
	Texts    []string    // every text field, in order
	Barcodes []string    // Code 128 contents
	QRCodes  []string    // QR contents
	Image    *image.Gray // a raster job's picture (nil for a vector job)
}

// All is every string the label shows, for searching.
func (l Label) All() string {
	return strings.Join(append(append(append([]string{}, l.Texts...), l.Barcodes...), l.QRCodes...), "\n")
}

// zplKnown are the ZPL commands yuncang sends; anything else in a job is
// refused, so a renderer bug shows up as a parse error, not a blank label.
var zplKnown = map[string]bool{
	"CI": true, "PW": true, "LL": true, "LH": true, "CW": true, "FO": true, "FR": true, "AJ": true,
	"FH": true, "FD": true, "FS": true, "GB": true, "BY": true, "BC": true, "BQ": true, "PQ": true, "GF": true,
}

// ParseZPL reads a ZPL job: one label per ^XA…^XZ format.
func ParseZPL(job []byte) ([]Label, error) {
	s := string(job)
	var out []Label
	for {
		start := strings.Index(s, "^XA")
		if start < 0 {
			if strings.TrimSpace(s) != "" {
				return nil, fmt.Errorf("zpl: %d bytes outside any ^XA…^XZ format", len(strings.TrimSpace(s)))
			}
			return out, nil
		}
		if strings.TrimSpace(s[:start]) != "" {
			return nil, fmt.Errorf("zpl: data before ^XA")
		}
		end := strings.Index(s[start:], "^XZ")
		if end < 0 {
			return nil, fmt.Errorf("zpl: format %d has no ^XZ", len(out)+1)
		}
		l, err := parseZPLFormat(s[start+3 : start+end])
		if err != nil {
			return nil, fmt.Errorf("zpl: format %d: %w", len(out)+1, err)
		}
		out = append(out, l)
		s = s[start+end+3:]
	}
}

func parseZPLFormat(f string) (Label, error) {
	var l Label
	pending := "" // the field command (BC, BQ, A) the next ^FD belongs to
	hexEsc := byte(0)
	for _, cmd := range strings.Split(f, "^")[1:] {
		cmd = strings.TrimRight(cmd, "\r\n")
		if len(cmd) < 2 {
			return l, fmt.Errorf("truncated command %q", cmd)
		}
		name, arg := cmd[:2], cmd[2:]
		if !zplKnown[name] {
			return l, fmt.Errorf("unknown command ^%s", name)
		}
		switch name {
		case "FH":
			hexEsc = '_'
			if arg != "" {
				hexEsc = arg[0]
			}
		case "AJ":
			pending = "text"
		case "BC":
			pending = "code128"
		case "BQ":
			pending = "qr"
		case "FD":
			data := arg
			if hexEsc != 0 {
				var err error
				if data, err = unescapeZPL(data, hexEsc); err != nil {
					return l, err
				}
			}
			switch pending {
			case "text":
				l.Texts = append(l.Texts, data)
			case "code128":
				l.Barcodes = append(l.Barcodes, data)
			case "qr":
				// "MA," = automatic mode, error correction M.
				q, ok := strings.CutPrefix(data, "MA,")
				if !ok {
					return l, fmt.Errorf("QR field data %q lacks its mode prefix", data)
				}
				l.QRCodes = append(l.QRCodes, q)
			default:
				return l, fmt.Errorf("^FD with no field command before it")
			}
		case "FS":
			pending, hexEsc = "", 0
		case "GF":
			img, err := parseGFA(arg)
			if err != nil {
				return l, err
			}
			l.Image = img
		}
	}
	return l, nil
}

func unescapeZPL(s string, esc byte) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != esc {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("truncated hex escape")
		}
		v, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", fmt.Errorf("bad hex escape %q", s[i:i+3])
		}
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), nil
}

// parseGFA decodes ^GFA,total,total,row,HEX (uncompressed ASCII hex); a set
// bit is ink.
func parseGFA(arg string) (*image.Gray, error) {
	parts := strings.SplitN(arg, ",", 5)
	if len(parts) != 5 || parts[0] != "A" {
		return nil, fmt.Errorf("^GF: want A,total,total,row,data")
	}
	total, err1 := strconv.Atoi(parts[1])
	row, err2 := strconv.Atoi(parts[3])
	if err1 != nil || err2 != nil || row <= 0 || total%row != 0 {
		return nil, fmt.Errorf("^GF: bad sizes")
	}
	data, err := hex.DecodeString(strings.TrimSpace(parts[4]))
	if err != nil || len(data) != total {
		return nil, fmt.Errorf("^GF: %d bytes of data, header says %d", len(data), total)
	}
	return bitsToImage(data, row, total/row, 1), nil
}

// bitsToImage draws packed rows of bits; inkBit is the value of a printed dot.
func bitsToImage(data []byte, row, height int, inkBit byte) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, row*8, height))
	for y := 0; y < height; y++ {
		for x := 0; x < row*8; x++ {
			bit := data[y*row+x/8] >> (7 - x%8) & 1
			if bit == inkBit {
				img.Pix[y*img.Stride+x] = 0
			} else {
				img.Pix[y*img.Stride+x] = 0xff
			}
		}
	}
	return img
}

// ParseTSPL reads a TSPL job: commands separated by CR LF, one label per
// CLS…PRINT. BITMAP carries width×height raw bytes after its fifth comma.
func ParseTSPL(job []byte) ([]Label, error) {
	var out []Label
	var cur *Label
	rest := job
	for len(bytes.TrimSpace(rest)) > 0 {
		var line []byte
		if bytes.HasPrefix(rest, []byte("BITMAP ")) {
			img, n, err := parseBitmap(rest)
			if err != nil {
				return nil, err
			}
			if cur == nil {
				return nil, fmt.Errorf("tspl: BITMAP before CLS")
			}
			cur.Image = img
			rest = bytes.TrimPrefix(rest[n:], []byte("\r\n"))
			continue
		}
		i := bytes.Index(rest, []byte("\r\n"))
		if i < 0 {
			return nil, fmt.Errorf("tspl: command %q is not ended by CR LF", truncate(rest))
		}
		line, rest = rest[:i], rest[i+2:]
		name, args, _ := strings.Cut(string(line), " ")
		switch name {
		case "SIZE", "GAP", "DIRECTION", "REFERENCE", "CODEPAGE", "BAR", "REVERSE":
		case "CLS":
			out = append(out, Label{})
			cur = &out[len(out)-1]
		case "PRINT":
			if cur == nil {
				return nil, fmt.Errorf("tspl: PRINT before CLS")
			}
			cur = nil
		case "TEXT", "BARCODE", "QRCODE":
			if cur == nil {
				return nil, fmt.Errorf("tspl: %s before CLS", name)
			}
			fields, err := splitTSPL(args)
			if err != nil {
				return nil, fmt.Errorf("tspl: %s: %w", name, err)
			}
			last := fields[len(fields)-1]
			switch {
			case name == "TEXT" && len(fields) == 7:
				cur.Texts = append(cur.Texts, last)
			case name == "BARCODE" && len(fields) == 9 && fields[2] == "128":
				cur.Barcodes = append(cur.Barcodes, last)
			case name == "QRCODE" && len(fields) == 7:
				cur.QRCodes = append(cur.QRCodes, last)
			default:
				return nil, fmt.Errorf("tspl: %s with %d arguments", name, len(fields))
			}
		default:
			return nil, fmt.Errorf("tspl: unknown command %q", truncate(line))
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("tspl: label %d has no PRINT", len(out))
	}
	return out, nil
}

// splitTSPL splits arguments at commas outside quotes and unquotes strings
// (\["] is a double quote).
func splitTSPL(s string) ([]string, error) {
	var out []string
	for len(s) > 0 {
		if s[0] == '"' {
			var b strings.Builder
			i := 1
			for ; i < len(s); i++ {
				if strings.HasPrefix(s[i:], `\["]`) {
					b.WriteByte('"')
					i += 3
					continue
				}
				if s[i] == '"' {
					break
				}
				b.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, fmt.Errorf("unterminated string")
			}
			out = append(out, b.String())
			s = s[i+1:]
			if s != "" {
				if s[0] != ',' {
					return nil, fmt.Errorf("text after a string")
				}
				s = s[1:]
			}
			continue
		}
		f, r, _ := strings.Cut(s, ",")
		out = append(out, strings.TrimSpace(f))
		s = r
	}
	return out, nil
}

// parseBitmap reads "BITMAP x,y,row,height,mode," and row×height bytes; it
// returns the picture (a 0 bit is ink) and the bytes consumed.
func parseBitmap(b []byte) (*image.Gray, int, error) {
	head := b[len("BITMAP "):]
	var nums [5]int
	pos := len("BITMAP ")
	for k := range nums {
		i := bytes.IndexByte(head, ',')
		if i < 0 {
			return nil, 0, fmt.Errorf("tspl: BITMAP header is short")
		}
		v, err := strconv.Atoi(string(head[:i]))
		if err != nil {
			return nil, 0, fmt.Errorf("tspl: BITMAP argument %d: %w", k+1, err)
		}
		nums[k] = v
		head, pos = head[i+1:], pos+i+1
	}
	row, height := nums[2], nums[3]
	if row <= 0 || height <= 0 || len(head) < row*height {
		return nil, 0, fmt.Errorf("tspl: BITMAP of %d×%d bytes, %d present", row, height, len(head))
	}
	return bitsToImage(head[:row*height], row, height, 0), pos + row*height, nil
}

func truncate(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return strconv.Quote(string(b))
}
