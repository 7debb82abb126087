package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/pii"
)

func init() {
	register("pii scan", "mask personal data (phones in any encoding, ID numbers, names in context, house numbers, e-mails, chat ids) in text lines read from stdin (JSON lines out)", runPIIScan)
	register("address parse", "resolve addresses read from stdin, one a line (JSON lines out)", runAddressParse)
}

// piiFinding is the wire form of a pii.Finding: rune offsets into the line.
type piiFinding struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

type piiScanLine struct {
	Masked   string       `json:"masked"`
	Findings []piiFinding `json:"findings"`
}

func runPIIScan(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("pii scan", "pii scan < text\n\nReads text lines on stdin and prints, for each non-blank line, a JSON object\nwith the line masked and the findings (kind, start, end: rune offsets).", s)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	enc := jsonLinesEncoder(s.out)
	return eachStdinLine(ctx, s.in, func(line string) error {
		masked, findings := pii.MaskText(line)
		out := piiScanLine{Masked: masked, Findings: make([]piiFinding, 0, len(findings))}
		for _, f := range findings {
			out.Findings = append(out.Findings, piiFinding{Kind: f.Kind, Start: f.Start, End: f.End})
		}
		return enc.Encode(out)
	})
}

// addressLine is the wire form of a parsed address, or of the failure to
// parse one (Error set, nothing else).
type addressLine struct {
	Province     string `json:"province"`
	ProvinceCode string `json:"province_code"`
	City         string `json:"city"`
	CityCode     string `json:"city_code"`
	District     string `json:"district"`
	DistrictCode string `json:"district_code"`
	Street       string `json:"street"`
	StreetCode   string `json:"street_code"`
	Detail       string `json:"detail"`
	Masked       string `json:"masked"`
}

type addressError struct {
	Error string `json:"error"`
}

func runAddressParse(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("address parse", "address parse < addresses\n\nReads one address per line on stdin and prints, for each non-blank line, a\nJSON object with the divisions and their GB/T 2260 codes, the detail and the\nmasked form, or {\"error\": ...} if the address can't be resolved.", s)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	enc := jsonLinesEncoder(s.out)
	return eachStdinLine(ctx, s.in, func(line string) error {
		a, err := pii.ParseAddress(line)
		if err != nil {
			if yuncang.ErrorCode(err) == yuncang.EINTERNAL {
				return err
			}
			return enc.Encode(addressError{Error: yuncang.ErrorMessage(err)})
		}
		return enc.Encode(addressLine{
			Province: a.Province, ProvinceCode: a.ProvinceCode,
			City: a.City, CityCode: a.CityCode,
			District: a.District, DistrictCode: a.DistrictCode,
			Street: a.Street, StreetCode: a.StreetCode,
			Detail: a.Detail, Masked: a.Masked(),
		})
	})
}

func jsonLinesEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// eachStdinLine calls fn with each non-blank line of r, without its line ending.
// Lines may be of any length.
func eachStdinLine(ctx context.Context, r io.Reader, fn func(string) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, err := br.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading input: %w", err)
		}
		if strings.TrimSpace(line) != "" {
			line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
			if ferr := fn(line); ferr != nil {
				return ferr
			}
		}
		if err != nil {
			return nil
		}
	}
}
