package compliance

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// An inspection report is signed with a detached signed note (the format
// of the audit checkpoints, golang.org/x/mod/sumdb/note, Ed25519), by the
// inspection key (YUNCANG_INSPECTION_SIGNER_KEY):
//
//	yuncang inspection report
//	run-at 2026-12-02T20:00:00Z
//	officer security1
//	results pass 15 fail 2 warn 1
//	pdf-sha256 <hex>
//	checkpoint yuncang/audit 1234 <base64 root>
//	checkpoint-sha256 <hex of the checkpoint note>
//
//	— yuncang/inspection <signature>
//
// It covers the PDF's bytes and the covering audit checkpoint: one byte
// changed in the PDF, and the hash no longer matches.

const sigHeader = "yuncang inspection report"

// DefaultKeyOrigin is the name inspection keys are made with.
const DefaultKeyOrigin = "yuncang/inspection"

// Signed is what a verified signature states.
type Signed struct {
	RunAt            time.Time
	Officer          string
	Results          string
	PDFSHA256        string
	Checkpoint       string // "origin size root"
	CheckpointSHA256 string
	Signer           string
}

// ErrReportModified is returned when the PDF's hash is not the signed one.
var ErrReportModified = errors.New("compliance: the report does not match its signature (modified)")

// SignReport signs the report's PDF bytes and its covering checkpoint.
func SignReport(s note.Signer, pdf []byte, r *Report) ([]byte, error) {
	if strings.ContainsAny(r.Officer, "\n") {
		return nil, errors.New("compliance: officer name has a line break")
	}
	pass, fail, warn := Tally(r.Checks)
	sum := sha256.Sum256(pdf)
	cpSum := sha256.Sum256(r.Checkpoint)
	cp := "none"
	if f, err := parseCheckpointFields(r.Checkpoint); err == nil {
		cp = fmt.Sprintf("%s %d %s", f.origin, f.size, f.root)
	}
	text := fmt.Sprintf("%s\nrun-at %s\nofficer %s\nresults pass %d fail %d warn %d\npdf-sha256 %s\ncheckpoint %s\ncheckpoint-sha256 %s\n",
		sigHeader, r.RunAt.UTC().Format(time.RFC3339), r.Officer, pass, fail, warn, hex.EncodeToString(sum[:]), cp, hex.EncodeToString(cpSum[:]))
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		return nil, fmt.Errorf("compliance: signing the report: %w", err)
	}
	return msg, nil
}

// VerifyReport checks the detached signature with the inspection verifier
// key and that it signs exactly these PDF bytes.
func VerifyReport(pdf, sig []byte, v note.Verifier) (*Signed, error) {
	n, err := note.Open(sig, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("compliance: signature: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) != 7 || lines[0] != sigHeader {
		return nil, errors.New("compliance: signature: not an inspection report signature")
	}
	field := func(i int, name string) (string, error) {
		v, ok := strings.CutPrefix(lines[i], name+" ")
		if !ok {
			return "", fmt.Errorf("compliance: signature: line %d is not %q", i+1, name)
		}
		return v, nil
	}
	var s Signed
	var at string
	for i, p := range []struct {
		name string
		to   *string
	}{{"run-at", &at}, {"officer", &s.Officer}, {"results", &s.Results}, {"pdf-sha256", &s.PDFSHA256}, {"checkpoint", &s.Checkpoint}, {"checkpoint-sha256", &s.CheckpointSHA256}} {
		if *p.to, err = field(i+1, p.name); err != nil {
			return nil, err
		}
	}
	if s.RunAt, err = time.Parse(time.RFC3339, at); err != nil {
		return nil, errors.New("compliance: signature: bad run-at")
	}
	s.Signer = n.Sigs[0].Name
	sum := sha256.Sum256(pdf)
	if hex.EncodeToString(sum[:]) != s.PDFSHA256 {
		return &s, ErrReportModified
	}
	return &s, nil
}

// checkpointFields are a checkpoint note's first lines, read without
// checking its signature (the audit package verifies checkpoints; here
// they are only named).
type checkpointFields struct {
	origin string
	size   int64
	root   string
	at     time.Time
}

func parseCheckpointFields(cp []byte) (checkpointFields, error) {
	lines := strings.Split(string(cp), "\n")
	if len(lines) < 4 {
		return checkpointFields{}, errors.New("compliance: no checkpoint")
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return checkpointFields{}, errors.New("compliance: checkpoint size")
	}
	f := checkpointFields{origin: lines[0], size: size, root: lines[2]}
	if t, ok := strings.CutPrefix(lines[3], "time "); ok {
		f.at, _ = time.Parse("2006-01-02T15:04:05.000000Z", t)
	}
	return f, nil
}
