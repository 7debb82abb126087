package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
)

// TestCarrierKeygen: `carrier keygen` writes the carrier's private key
// (0600, never over an existing file, in the format age reads) and prints
// the age1… public key that `carrier add --public-key` takes; a manifest
// encrypted to that key opens with the file.
func TestCarrierKeygen(t *testing.T) {
	if code, _, _ := runCmd(t, "", "carrier", "keygen"); code == 0 {
		t.Fatal("carrier keygen without --out succeeded")
	}
	keyFile := filepath.Join(t.TempDir(), "carrier.key")
	code, out, errOut := runCmd(t, "", "carrier", "keygen", "--out", keyFile)
	if code != 0 {
		t.Fatalf("carrier keygen: %d %s", code, errOut)
	}
	pub := strings.TrimSpace(out)
	rcpt, err := age.ParseX25519Recipient(pub)
	if err != nil {
		t.Fatalf("printed public key %q: %v", pub, err)
	}
	st, err := os.Stat(keyFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, st)
	}
	raw, err := os.ReadFile(keyFile)
	must(t, err)
	if strings.Contains(out, "AGE-SECRET-KEY") || !bytes.Contains(raw, []byte("# public key: "+pub+"\n")) {
		t.Fatalf("key file or output wrong: out %q", out)
	}
	ids, err := age.ParseIdentities(bytes.NewReader(raw))
	if err != nil || len(ids) != 1 {
		t.Fatalf("key file does not parse as one age identity: %v", err)
	}
	if id, ok := ids[0].(*age.X25519Identity); !ok || id.Recipient().String() != pub {
		t.Fatal("the key file's identity is not the printed public key's")
	}
	var sealed bytes.Buffer
	w, err := age.Encrypt(&sealed, rcpt)
	must(t, err)
	io.WriteString(w, "manifest")
	must(t, w.Close())
	r, err := age.Decrypt(&sealed, ids...)
	must(t, err)
	if b, _ := io.ReadAll(r); string(b) != "manifest" {
		t.Fatalf("decrypted %q", b)
	}
	if code, _, _ := runCmd(t, "", "carrier", "keygen", "--out", keyFile); code == 0 {
		t.Fatal("carrier keygen overwrote an existing key file")
	}
	if again, _ := os.ReadFile(keyFile); !bytes.Equal(again, raw) {
		t.Fatal("the existing key file changed")
	}

	useDB(t)
	if code, _, errOut := runCmd(t, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, out, errOut := runCmd(t, "", "carrier", "add", "--code", "YTO", "--name", "圆通速递", "--public-key", pub); code != 0 {
		t.Fatalf("carrier add with the generated key: %d %s %s", code, out, errOut)
	}
}
