package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/devicekey"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/storetest"
)

// nodeArgsEnv, when set, makes the test binary run the product with these
// arguments (JSON) instead of the tests: the multi-node test starts real
// `serve` processes from it, which it can kill -9, without a separate build.
const nodeArgsEnv = "YUNCANG_TEST_NODE_ARGS"

func TestMain(m *testing.M) {
	if a := os.Getenv(nodeArgsEnv); a != "" {
		var args []string
		if err := json.Unmarshal([]byte(a), &args); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := run(ctx, args, stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// node is one `serve` process.
type node struct {
	cmd *exec.Cmd
	url string
}

// startNode starts `yuncang serve` in a new process on 127.0.0.1 with env
// and waits until it listens.
func startNode(t *testing.T, env []string, db string) *node {
	t.Helper()
	args, _ := json.Marshal([]string{"serve", "--addr", "127.0.0.1:0", "--db", db, "--log-level", "warn"})
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), env...), nodeArgsEnv+"="+string(args))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), " serving on "); ok {
				urls <- strings.TrimSpace(u)
			}
		}
		close(urls)
	}()
	select {
	case u, ok := <-urls:
		if !ok {
			t.Fatal("node exited before serving")
		}
		return &node{cmd: cmd, url: u}
	case <-time.After(30 * time.Second):
		t.Fatal("node did not start in 30 s")
	}
	return nil
}

// client is a load generator's HTTP client: short timeouts, no retries.
var client = &http.Client{Timeout: 10 * time.Second}

func call(base, method, path, token, body string, headers ...string) (int, []byte, error) {
	return callWith(base, method, path, token, body, func(req *http.Request, _ []byte) {
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
	})
}

// callWith lets prepare add credentials that depend on the whole request
// (a device's proof).
func callWith(base, method, path, token, body string, prepare func(*http.Request, []byte)) (int, []byte, error) {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	prepare(req, []byte(body))
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, nil
}

// onDevice adds the proof that a request comes from the account's enrolled
// station.
func onDevice(l DemoLogin) func(*http.Request, []byte) {
	key, err := devicekey.ParsePrivate(l.DeviceKey)
	if err != nil {
		panic("demo login without a device key: " + l.Username)
	}
	s := &devicekey.Signer{DeviceID: l.DeviceID, Key: key}
	return func(req *http.Request, body []byte) { s.Sign(req, body) }
}

// TestMultiNode runs three `serve` processes on one PostgreSQL database
// under mixed load (intake, paying, allocations, lists, phone searches,
// reveals), kills one with SIGKILL mid-load and restarts it; afterwards
// the audit log verifies, every merchant's books balance, no acknowledged
// order is missing, and the reveal limits held exactly as on one node.
func TestMultiNode(t *testing.T) {
	base := os.Getenv("YUNCANG_TEST_POSTGRES")
	if base == "" {
		t.Skip("YUNCANG_TEST_POSTGRES is not set")
	}
	if testing.Short() {
		t.Skip("multi-node test in -short mode")
	}
	ctx := context.Background()
	dbURL, drop, err := postgres.ScratchSchema(base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	dir := t.TempDir()
	skey, _, err := audit.GenerateKey("yuncang-test/audit")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"YUNCANG_MASTER_KEY": "k1:" + storetest.RandomKey(), "YUNCANG_MASTER_KEY_FILE": "", "YUNCANG_DATA": dir, "YUNCANG_DB": dbURL,
		"YUNCANG_AUDIT_SIGNER_KEY": skey, "YUNCANG_AUDIT_SIGNER_KEY_FILE": "", "YUNCANG_AUDIT_VERIFIER_KEY": "",
		"YUNCANG_AUDIT_PUBLISH_DIR": filepath.Join(dir, "published")}
	var envList []string
	for k, v := range env {
		t.Setenv(k, v)
		envList = append(envList, k+"="+v)
	}

	// Seed: schema, demo merchants, accounts, stock and 300 orders.
	c := Config{DB: dbURL, MasterKey: env["YUNCANG_MASTER_KEY"]}
	db, _, err := openConfigured(ctx, &c, true)
	if err != nil {
		t.Fatal(err)
	}
	logins, err := seedDemo(ctx, db, auth.New(db, db.Vault()), 300)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	// Orders to reveal: the merchant's, not decoys, ids not in a row.
	var revealIDs []int64
	rows, err := raw.QueryContext(ctx, `SELECT o.id FROM orders o JOIN tenants t ON t.id = o.tenant_id
		WHERE t.code = 'yiwu-goods' AND o.id NOT IN (SELECT order_id FROM canaries) ORDER BY o.id LIMIT 48`)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; rows.Next(); i++ {
		var id int64
		rows.Scan(&id)
		if i%4 == 0 {
			revealIDs = append(revealIDs, id)
		}
	}
	rows.Close()
	if len(revealIDs) < 12 {
		t.Fatalf("only %d orders to reveal", len(revealIDs))
	}
	byName := map[string]DemoLogin{}
	for _, l := range logins {
		byName[l.Username] = l
	}

	nodes := make([]*node, 3)
	for i := range nodes {
		nodes[i] = startNode(t, envList, dbURL)
	}
	// A kill waits for the reveal in flight (so that every reveal has an
	// answer to count) but not for the rest of the load, which it cuts.
	var nodesMu sync.Mutex
	var revealMu sync.Mutex
	nodeURL := func(i int) string {
		nodesMu.Lock()
		defer nodesMu.Unlock()
		return nodes[i%3].url
	}
	login := func(name string) string {
		t.Helper()
		l := byName[name]
		code := ""
		if l.TOTPSecret != "" {
			code, _ = auth.TOTPCode(l.TOTPSecret, time.Now())
		}
		st, b, err := call(nodeURL(0), "POST", "/api/v1/login", "", fmt.Sprintf(`{"username":%q,"password":%q,"totp":%q}`, name, l.Password, code))
		var out struct{ Token string }
		json.Unmarshal(b, &out)
		if err != nil || st != 200 || out.Token == "" {
			t.Fatalf("login %s: %d %v", name, st, err)
		}
		return out.Token
	}
	admin := login("yiwu-goods-admin")
	staff := login("yiwu-goods-staff")
	cs := login("cs1")
	desk := onDevice(byName["cs1"])

	// Mixed load: 6 workers, 40 rounds each, across the three nodes; the
	// second node is killed after a third of the work and restarted.
	const workers, rounds = 6, 40
	var (
		mu        sync.Mutex
		acked     []string // merchant order ids the server acknowledged
		ids       []int64
		failures  []string
		connFails int
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				n := w + r
				moid := fmt.Sprintf("MN-%d-%d", w, r)
				// Intake, retried on another node if the connection dies
				// (the merchant order id makes the retry idempotent).
				var o struct{ ID int64 }
				for try := 0; try < 3; try++ {
					st, b, err := call(nodeURL(n+try), "POST", "/api/v1/orders", admin, knownOrder(moid, 1))
					if err != nil {
						mu.Lock()
						connFails++
						mu.Unlock()
						continue
					}
					if st != 201 && st != 200 {
						fail("intake %s: %d %s", moid, st, b)
						break
					}
					json.Unmarshal(b, &o)
					mu.Lock()
					acked, ids = append(acked, moid), append(ids, o.ID)
					mu.Unlock()
					break
				}
				if o.ID != 0 {
					if st, b, err := call(nodeURL(n+1), "POST", fmt.Sprintf("/api/v1/orders/%d/status", o.ID), admin, `{"status":"paid"}`); err == nil && st >= 500 {
						fail("pay: %d %s", st, b)
					}
				}
				var st int
				var b []byte
				var err error
				// Lists and searches stay under the guard's bulk-listing
				// limits (80 an hour per account): the two accounts share them.
				switch r % 8 {
				case 0, 4:
					st, b, err = call(nodeURL(n+2), "GET", "/api/v1/orders?limit=20", staff, "")
				case 1, 5:
					if o.ID != 0 {
						st, b, err = call(nodeURL(n), "POST", "/api/v1/allocations", admin, fmt.Sprintf(`{"order_ids":[%d]}`, o.ID))
					}
				case 2:
					st, b, err = call(nodeURL(n+1), "GET", fmt.Sprintf("/api/v1/orders/%d", o.ID), admin, "")
				case 6:
					st, b, err = call(nodeURL(n+2), "POST", "/api/v1/orders/search", admin, `{"phone":"13812345678"}`)
				}
				if err == nil && st >= 500 {
					fail("round %d: %d %s", r, st, b)
				}
				if w == 0 && r == rounds/3 {
					close(killed)
				}
			}
		}()
	}

	// Reveals by one customer-service account, spread over the nodes up at
	// the time: the same limits must hold as on one node.
	gcfg := guard.DefaultConfig()
	night := gcfg.Night(time.Now())
	var revealCodes []int
	revealDone := make(chan struct{})
	go func() {
		defer close(revealDone)
		for i := 0; i < 12; i++ {
			revealMu.Lock()
			st, _, err := callWith(nodeURL(i), "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=yiwu-goods", revealIDs[i]), cs,
				`{"purpose":"customer_callback","note":"multi-node test"}`, desk)
			revealMu.Unlock()
			if err != nil {
				fail("reveal %d: %v", i, err)
				continue
			}
			revealCodes = append(revealCodes, st)
			time.Sleep(150 * time.Millisecond)
		}
	}()

	<-killed
	revealMu.Lock()
	victim := nodes[1]
	if err := victim.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	victim.cmd.Wait()
	nodesMu.Lock()
	nodes[1] = nodes[0] // requests cut by the kill are retried elsewhere
	nodesMu.Unlock()
	revealMu.Unlock()
	time.Sleep(300 * time.Millisecond)
	restarted := startNode(t, envList, dbURL)
	nodesMu.Lock()
	nodes[1] = restarted
	nodesMu.Unlock()
	wg.Wait()
	<-revealDone
	for _, nd := range []*node{nodes[0], nodes[1], nodes[2]} {
		nd.cmd.Process.Signal(syscall.SIGTERM)
	}
	for _, nd := range []*node{nodes[0], nodes[1], nodes[2]} {
		nd.cmd.Wait()
	}
	for _, f := range failures {
		t.Error(f)
	}
	if len(acked) < workers*rounds*9/10 {
		t.Fatalf("only %d of %d orders acknowledged (%d connection failures)", len(acked), workers*rounds, connFails)
	}

	// Every acknowledged order is there, once.
	db, _, err = openConfigured(ctx, &c, false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tn, err := db.TenantByCode(ctx, "yiwu-goods")
	if err != nil {
		t.Fatal(err)
	}
	rows, err = raw.QueryContext(ctx, `SELECT merchant_order_id FROM orders WHERE tenant_id = $1 AND merchant_order_id LIKE 'MN-%'`, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for rows.Next() {
		var m string
		rows.Scan(&m)
		stored[m]++
	}
	rows.Close()
	for _, moid := range acked {
		if stored[moid] != 1 {
			t.Errorf("acknowledged order %s stored %d times", moid, stored[moid])
		}
	}

	// The limits held as on one node: at night 3 reveals then a
	// suspension; by day the hourly quota of 10.
	ok := 0
	for _, st := range revealCodes {
		if st == 200 {
			ok++
		}
	}
	if gcfg.Night(time.Now()) == night {
		want := 10
		if night {
			want = 3
		}
		if ok != want {
			t.Errorf("reveals allowed over three nodes: %d (codes %v), want %d as on one node (night %v)", ok, revealCodes, want, night)
		}
	}

	// The audit log verifies and every merchant's books balance.
	if code, out, e := runCmd(t, "", "audit", "verify", "--db", dbURL); code != 0 {
		t.Errorf("audit verify: %d %s %s", code, out, e)
	}
	for _, m := range demodata.Merchants() {
		code := m.Code
		if st, out, e := runCmd(t, "", "books", "--tenant", code, "--db", dbURL); st != 0 {
			t.Errorf("books %s: %d %s %s", code, st, out, e)
		}
	}
	t.Logf("%d orders acknowledged, %d connection failures during the kill, reveals %v", len(acked), connFails, revealCodes)
}
