package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/devicekey"
)

// TestAgentCommand: keys made on the gateway, the public key enrolled as a
// print gateway, and `yuncang agent` registers the sealing key from its key
// file with a signed request and then waits for jobs; a key file that is
// not the enrolled device's is refused by the server.
func TestAgentCommand(t *testing.T) {
	ts := startServer(t, 20)
	ctx := context.Background()
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "gateway.key")
	code, out, errOut := runCmd(t, "", "agent", "keygen", "--out", keyFile)
	if code != 0 {
		t.Fatalf("agent keygen: %d %s", code, errOut)
	}
	if st, err := os.Stat(keyFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", err, st)
	}
	pub, err := devicekey.ParsePublic(strings.TrimSpace(out))
	if err != nil {
		t.Fatalf("printed public key: %v", err)
	}
	if code, _, _ := runCmd(t, "", "agent", "keygen", "--out", keyFile); code == 0 {
		t.Fatal("agent keygen overwrote an existing key file")
	}
	wh, err := ts.DB.WarehouseByCode(ctx, "YW01")
	must(t, err)
	d := &yuncang.Device{Code: "YW01-GW1", Name: "gateway", Kind: yuncang.DevicePrintGateway, WarehouseID: wh.ID, PublicKey: pub, EnrolledBy: 1}
	must(t, ts.DB.EnrolDevice(ctx, d))

	// A key file that is not the enrolled gateway's: refused at registration.
	other := filepath.Join(dir, "other.key")
	if code, _, _ := runCmd(t, "", "agent", "keygen", "--out", other); code != 0 {
		t.Fatal("keygen")
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var ob, eb syncBuffer
	if code := run(rctx, []string{"agent", "--server", ts.URL(), "--id", strconv.FormatInt(d.ID, 10), "--key", other}, stdio{out: &ob, err: &eb}); code == 0 ||
		!strings.Contains(eb.String(), "401") {
		t.Fatalf("agent with a foreign key: exit %d, %s", code, eb.String())
	}

	// The real key: registered, then it waits until stopped.
	actx, stop := context.WithCancel(ctx)
	done := make(chan int, 1)
	var logs syncBuffer
	go func() {
		done <- run(actx, []string{"agent", "--server", ts.URL(), "--id", strconv.FormatInt(d.ID, 10), "--key", keyFile, "--wait", "1s"}, stdio{out: &logs, err: &logs})
	}()
	var g *yuncang.PrintGateway
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if g, err = ts.DB.Gateway(ctx, d.ID); err == nil {
			break
		}
	}
	if g == nil {
		t.Fatalf("the gateway never registered: %s", logs.String())
	}
	_, id, err := readAgentKeys(keyFile)
	must(t, err)
	if g.Recipient != id.Recipient().String() || g.WarehouseID != wh.ID {
		t.Fatalf("registered %+v", g)
	}
	time.Sleep(1500 * time.Millisecond) // at least one empty long poll
	stop()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("agent exit %d: %s", code, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("agent did not stop")
	}
	if strings.Contains(logs.String(), "AGE-SECRET-KEY") {
		t.Fatal("the agent logged its key")
	}
}
