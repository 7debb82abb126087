package audit

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// A checkpoint is a signed note in the transparency-log checkpoint format
// (C2SP tlog-checkpoint, as used by transparency-dev and the Go checksum
// database), with one extension line for the time:
//
//	yuncang.example/audit
//	1234
//	<base64 root hash>
//	time 2026-01-02T03:04:05.123456Z
//
//	— yuncang.example/audit <base64 key hash and Ed25519 signature>
//
// The origin is the signing key's name, so a checkpoint cannot be passed off
// as another log's.
type Checkpoint struct {
	Origin string
	Size   int64
	Root   tlog.Hash
	Time   time.Time
	// Epoch counts the restores this log was resumed after (see Resume); 0
	// for a log never restored. It is written as an "epoch N" extension
	// line only when non-zero, so checkpoints of epoch 0 keep their format.
	Epoch int
	// Note is the complete signed text. It is what is stored and published;
	// Verify trusts only Note and re-checks its signature, never the parsed
	// fields beside it.
	Note []byte
}

// Errors from ParseCheckpoint, wrapped with detail.
var (
	ErrCheckpointSignature = errors.New("audit: checkpoint not signed by the audit key")
	ErrCheckpointMalformed = errors.New("audit: malformed checkpoint")
)

const timeLayout = "2006-01-02T15:04:05.000000Z"

// GenerateKey makes a new Ed25519 key pair in the signed-note encoding:
// signerKey ("PRIVATE+KEY+origin+hash+data") goes to the servers' secret
// configuration (YUNCANG_AUDIT_SIGNER_KEY or its _FILE), never the database;
// verifierKey ("origin+hash+data") is public and given to every verifier.
func GenerateKey(origin string) (signerKey, verifierKey string, err error) {
	if err := checkOrigin(origin); err != nil {
		return "", "", err
	}
	return note.GenerateKey(rand.Reader, origin)
}

// NewSigner parses a signer key. Surrounding white space, as left by a key
// file, is ignored.
func NewSigner(signerKey string) (note.Signer, error) {
	s, err := note.NewSigner(strings.TrimSpace(signerKey))
	if err != nil {
		return nil, fmt.Errorf("audit: signer key: %w", err)
	}
	return s, nil
}

// NewVerifier parses a verifier key.
func NewVerifier(verifierKey string) (note.Verifier, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return nil, fmt.Errorf("audit: verifier key: %w", err)
	}
	return v, nil
}

// checkOrigin enforces the note-name rules, so that a bad origin fails when
// the key is made rather than when the first checkpoint is signed.
func checkOrigin(origin string) error {
	if origin == "" || !utf8.ValidString(origin) || strings.ContainsRune(origin, '+') ||
		strings.IndexFunc(origin, unicode.IsSpace) >= 0 {
		return fmt.Errorf("audit: origin %q must be non-empty UTF-8 without spaces or '+'", origin)
	}
	return nil
}

// SignCheckpoint signs the tree of the given size and root at time t.
func SignCheckpoint(s note.Signer, size int64, root tlog.Hash, t time.Time) (Checkpoint, error) {
	return signCheckpointEpoch(s, 0, size, root, t)
}

func signCheckpointEpoch(s note.Signer, epoch int, size int64, root tlog.Hash, t time.Time) (Checkpoint, error) {
	if size < 0 || epoch < 0 {
		return Checkpoint{}, fmt.Errorf("audit: checkpoint size %d epoch %d", size, epoch)
	}
	c := Checkpoint{Origin: s.Name(), Size: size, Root: root, Time: t.UTC().Truncate(time.Microsecond), Epoch: epoch}
	msg, err := note.Sign(&note.Note{Text: c.text()}, s)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("audit: signing checkpoint: %w", err)
	}
	c.Note = msg
	return c, nil
}

func (c Checkpoint) text() string {
	t := fmt.Sprintf("%s\n%d\n%s\ntime %s\n", c.Origin, c.Size, c.Root, c.Time.Format(timeLayout))
	if c.Epoch > 0 {
		t += fmt.Sprintf("epoch %d\n", c.Epoch)
	}
	return t
}

// ParseCheckpoint opens a signed checkpoint and checks that v signed it and
// that its origin is v's name. A note that fails the signature check gives an
// error wrapping ErrCheckpointSignature; one that cannot be read at all,
// ErrCheckpointMalformed.
func ParseCheckpoint(text []byte, v note.Verifier) (Checkpoint, error) {
	n, err := note.Open(text, note.VerifierList(v))
	if err != nil {
		var inv *note.InvalidSignatureError
		var unv *note.UnverifiedNoteError
		if errors.As(err, &inv) || errors.As(err, &unv) {
			return Checkpoint{}, fmt.Errorf("%w: %v", ErrCheckpointSignature, err)
		}
		return Checkpoint{}, fmt.Errorf("%w: %v", ErrCheckpointMalformed, err)
	}
	c, err := parseBody(n.Text)
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, fmt.Errorf("%w: origin %q is not the key's name %q", ErrCheckpointSignature, c.Origin, v.Name())
	}
	c.Note = text
	return c, nil
}

// parseUnverified reads a checkpoint's fields without checking the
// signature: for reporting what a forged checkpoint claims, and for listing
// published files before a verifier is at hand.
func parseUnverified(text []byte) (Checkpoint, error) {
	s := string(text)
	i := strings.Index(s, "\n\n")
	if i < 0 {
		return Checkpoint{}, fmt.Errorf("%w: no signature block", ErrCheckpointMalformed)
	}
	c, err := parseBody(s[:i+1])
	c.Note = text
	return c, err
}

func parseBody(text string) (Checkpoint, error) {
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return Checkpoint{}, fmt.Errorf("%w: %d lines", ErrCheckpointMalformed, len(lines))
	}
	c := Checkpoint{Origin: lines[0]}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("%w: size %q", ErrCheckpointMalformed, lines[1])
	}
	c.Size = size
	if c.Root, err = tlog.ParseHash(lines[2]); err != nil {
		return Checkpoint{}, fmt.Errorf("%w: root hash: %v", ErrCheckpointMalformed, err)
	}
	// Extension lines other than time are ignored, as the checkpoint format
	// asks, so that a later version may add some.
	for _, l := range lines[3:] {
		if v, ok := strings.CutPrefix(l, "time "); ok {
			if c.Time, err = time.Parse(timeLayout, v); err != nil {
				return Checkpoint{}, fmt.Errorf("%w: time %q", ErrCheckpointMalformed, v)
			}
		}
		if v, ok := strings.CutPrefix(l, "epoch "); ok {
			e, err := strconv.Atoi(v)
			if err != nil || e < 1 || strconv.Itoa(e) != v {
				return Checkpoint{}, fmt.Errorf("%w: epoch %q", ErrCheckpointMalformed, v)
			}
			c.Epoch = e
		}
	}
	return c, nil
}
