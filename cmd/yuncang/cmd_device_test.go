package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestDeviceSignCommand: the headers `yuncang device sign` prints let the
// demo's customer-service desk through once; the same headers again are a
// replay. `device keygen` writes a key the signer reads.
func TestDeviceSignCommand(t *testing.T) {
	ts := startServer(t, 20)
	cs := ts.logins["cs1"]
	if cs.DeviceID == 0 || cs.DeviceKey == "" {
		t.Fatalf("demo credentials lack cs1's desk: %+v", cs)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "desk.key")
	must(t, os.WriteFile(keyFile, []byte(cs.DeviceKey+"\n"), 0o600))
	token := ts.login(t, "cs1")
	url := ts.URL() + "/api/v1/me"
	code, out, errOut := runCmd(t, "", "device", "sign", "--id", strconv.FormatInt(cs.DeviceID, 10), "--key", keyFile, "GET", url)
	if code != 0 {
		t.Fatalf("device sign: %d %s", code, errOut)
	}
	send := func() int {
		req, _ := http.NewRequest("GET", url, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		for _, f := range strings.Fields(out) {
			if name, value, ok := strings.Cut(f, ":"); ok {
				req.Header.Set(name, value)
			}
		}
		resp, err := http.DefaultClient.Do(req)
		must(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := send(); st != 200 {
		t.Fatalf("signed request: %d", st)
	}
	if st := send(); st != 401 {
		t.Fatalf("replayed signed request: %d", st)
	}
	// keygen: a fresh key pair, private key 0600, public key printed.
	fresh := filepath.Join(dir, "new.key")
	code, pub, _ := runCmd(t, "", "device", "keygen", "--out", fresh)
	if st, err := os.Stat(fresh); code != 0 || err != nil || st.Mode().Perm() != 0o600 || len(strings.TrimSpace(pub)) != 44 {
		t.Fatalf("keygen: %d %q %v", code, pub, err)
	}
	if code, _, _ := runCmd(t, "", "device", "keygen", "--out", fresh); code == 0 {
		t.Fatal("keygen overwrote an existing key")
	}
}
