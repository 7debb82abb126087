package audit

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCheckpointRoundTrip(t *testing.T) {
	k := newTestKeys(t)
	m := newTestLog(t, 10)
	c := k.checkpoint(t, m, 10)
	if !strings.HasPrefix(string(c.Note), "test.yuncang.invalid/audit\n10\n") ||
		!strings.Contains(string(c.Note), "\ntime 2026-03-02T00:00:10.000000Z\n\n— test.yuncang.invalid/audit ") {
		t.Fatalf("unexpected checkpoint text:\n%s", c.Note)
	}
	got, err := ParseCheckpoint(c.Note, k.verifier)
	if err != nil {
		t.Fatal(err)
	}
	if got.Size != 10 || got.Root != c.Root || !got.Time.Equal(c.Time) || got.Origin != c.Origin {
		t.Fatalf("parsed %+v, want %+v", got, c)
	}
}

func TestCheckpointTampering(t *testing.T) {
	k := newTestKeys(t)
	other := newTestKeys(t)
	m := newTestLog(t, 10)
	c := k.checkpoint(t, m, 10)
	body, sig, _ := strings.Cut(string(c.Note), "\n\n")

	// A key with the same name but different key material: a DBA who
	// generated their own key pair with our origin.
	impostorSkey, _, err := GenerateKey("test.yuncang.invalid/audit")
	if err != nil {
		t.Fatal(err)
	}
	impostor, err := NewSigner(impostorSkey)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := SignCheckpoint(impostor, 10, c.Root, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	byOther := other.checkpoint(t, m, 10)

	tests := []struct {
		name string
		text string
		want error
	}{
		{"size changed", strings.Replace(body, "\n10\n", "\n11\n", 1) + "\n\n" + sig, ErrCheckpointSignature},
		{"root changed", strings.Replace(body, c.Root.String(), mustTreeHash(t, 9, m).String(), 1) + "\n\n" + sig, ErrCheckpointSignature},
		{"time changed", strings.Replace(body, "00:00:10", "00:00:11", 1) + "\n\n" + sig, ErrCheckpointSignature},
		{"signature byte flipped", body + "\n\n" + flipBase64(sig), ErrCheckpointSignature},
		{"unsigned", body + "\n", ErrCheckpointMalformed},
		{"impostor key, same name", string(forged.Note), ErrCheckpointSignature},
		{"another log's key", string(byOther.Note), ErrCheckpointSignature},
		{"garbage", "hello", ErrCheckpointMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCheckpoint([]byte(tt.text), k.verifier)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseCheckpoint error = %v, want %v", err, tt.want)
			}
		})
	}
}

// flipBase64 changes one character of the last signature line's base64.
func flipBase64(sig string) string {
	b := []byte(sig)
	i := bytes.LastIndexByte(b, ' ') + 10
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestKeyParsing(t *testing.T) {
	for _, origin := range []string{"", "has space", "a+b", "tab\there"} {
		if _, _, err := GenerateKey(origin); err == nil {
			t.Errorf("GenerateKey(%q) succeeded", origin)
		}
	}
	skey, vkey, err := GenerateKey("yuncang.example/audit")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSigner(vkey); err == nil {
		t.Error("a verifier key was accepted as a signer key")
	}
	if _, err := NewVerifier(skey); err == nil {
		t.Error("a signer key was accepted as a verifier key")
	}
	if _, err := NewVerifier(vkey[:len(vkey)-4]); err == nil {
		t.Error("a truncated verifier key was accepted")
	}
}
