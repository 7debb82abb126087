package main

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/yuncang/yuncang/devicekey"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/storetest"
	"github.com/yuncang/yuncang/vault"
)

func init() {
	register("redteam", "run the brief's theft scenarios against an in-process instance and count what leaks", runRedteam)
}

// RedteamResult is one attack scenario's outcome.
type RedteamResult struct {
	Scenario         string `json:"scenario"`
	RecordsAttempted int    `json:"records_attempted"`
	FullRecords      int    `json:"full_records_leaked"` // plaintext name+phone+address obtained
	MaskedSeen       int    `json:"masked_records_seen,omitempty"`
	SecondsToCutoff  int64  `json:"seconds_until_cutoff"` // simulated time from the first attempt to being cut off
	StoppedBy        string `json:"stopped_by"`
	Target           string `json:"target,omitempty"`
}

// simClock is the redteam's simulated time: attacks run through days in
// seconds, and the server sees the same clock.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) Set(t time.Time)         { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *simClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func runRedteam(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("redteam", "redteam [--json] [--orders N]\n\nStarts yuncang in process on a temporary database with demo data and a simulated clock,\n"+
		"then attacks it through the public API as the brief's thieves would.", s)
	asJSON := fs.Bool("json", false, "print the results as JSON")
	orders := fs.Int("orders", 400, "demo orders to attack")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	rt, err := newRedteam(ctx, *orders)
	if err != nil {
		return err
	}
	defer rt.close()
	results, err := rt.runAll(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	tw := tabwriter.NewWriter(s.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tATTEMPTED\tFULL RECORDS LEAKED\tSECONDS TO CUT-OFF\tSTOPPED BY")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\n", r.Scenario, r.RecordsAttempted, r.FullRecords, r.SecondsToCutoff, r.StoppedBy)
	}
	return tw.Flush()
}

// redteam is an in-process instance under attack.
type redteam struct {
	m      *Main
	clock  *simClock
	logins map[string]DemoLogin
	orders map[string][]int64 // tenant code -> real order ids
	canary map[string][]int64
	// flowNext is the next order of yiwu-goods weighedParcels tries.
	flowNext int
	rnd      *rand.Rand
	dir      string
}

func newRedteam(ctx context.Context, orders int) (*redteam, error) {
	dir, err := os.MkdirTemp("", "yuncang-redteam-")
	if err != nil {
		return nil, err
	}
	master, err := vault.ParseMasterKeys("rt:" + storetest.RandomKey())
	if err != nil {
		return nil, err
	}
	keys, err := ephemeralAuditKeys()
	if err != nil {
		return nil, err
	}
	// Monday 2026-11-23, 09:00 in Shanghai.
	clk := &simClock{t: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)}
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "sqlite:" + filepath.Join(dir, "rt.db")}, Master: master,
		AuditKeys: keys, Migrate: true, Now: clk.Now}
	if err := m.Open(ctx); err != nil {
		return nil, err
	}
	rt := &redteam{m: m, clock: clk, logins: map[string]DemoLogin{}, orders: map[string][]int64{}, canary: map[string][]int64{},
		rnd: rand.New(rand.NewPCG(7, 11)), dir: dir}
	logins, err := seedDemo(ctx, m.DB, m.Auth, orders)
	if err != nil {
		rt.close()
		return nil, err
	}
	for _, l := range logins {
		rt.logins[l.Username] = l
	}
	for _, code := range []string{"yiwu-goods", "hz-fresh"} {
		t, err := m.DB.TenantByCode(ctx, code)
		if err != nil {
			rt.close()
			return nil, err
		}
		os, err := m.DB.Orders(ctx, yuncang.OrderFilter{TenantID: t.ID, Limit: 500}, nil)
		if err != nil {
			rt.close()
			return nil, err
		}
		for _, o := range os {
			if c, _ := m.DB.IsCanary(ctx, []int64{o.ID}); c {
				rt.canary[code] = append(rt.canary[code], o.ID)
			} else {
				rt.orders[code] = append(rt.orders[code], o.ID)
			}
		}
	}
	if err := rt.seedHistory(ctx); err != nil {
		rt.close()
		return nil, err
	}
	return rt, nil
}

func (rt *redteam) close() {
	rt.m.Close()
	os.RemoveAll(rt.dir)
}

// seedHistory gives the customer-service team a normal past week: five
// agents each revealing about five recipients a working day, so the guard
// knows what normal looks like.
func (rt *redteam) seedHistory(ctx context.Context) error {
	for i := 2; i <= 6; i++ {
		name := fmt.Sprintf("cs%d", i)
		if _, err := rt.addStaff(ctx, name, yuncang.RoleCustomerService); err != nil {
			return err
		}
	}
	start := rt.clock.Now().AddDate(0, 0, -7)
	var evs []*yuncang.Event
	for d := 0; d < 7; d++ {
		for i := 1; i <= 6; i++ {
			u, err := rt.m.DB.UserByUsername(ctx, map[bool]string{true: "cs1", false: fmt.Sprintf("cs%d", i)}[i == 1])
			if err != nil {
				return err
			}
			for k := 0; k < 5; k++ {
				evs = append(evs, &yuncang.Event{At: start.AddDate(0, 0, d).Add(time.Duration(k) * 90 * time.Minute), UserID: u.ID, Username: u.Username,
					Role: u.Role, Kind: yuncang.EventReveal, Outcome: yuncang.OutcomeOK, Purpose: yuncang.PurposeDeliveryException,
					Targets: []string{fmt.Sprintf("order:%d", rt.rnd.IntN(400)+1)}, Detail: "history"})
			}
		}
	}
	return rt.m.DB.AppendEvents(ctx, evs)
}

// addStaff creates a platform account with a password and TOTP secret.
func (rt *redteam) addStaff(ctx context.Context, name, role string, warehouses ...int64) (DemoLogin, error) {
	l := DemoLogin{Username: name, Role: role, Password: demoPassword()}
	hash, err := auth.HashPassword(l.Password)
	if err != nil {
		return l, err
	}
	u := &yuncang.User{Username: name, Role: role, Warehouses: warehouses}
	if role == yuncang.RoleOperator && len(warehouses) == 0 {
		w, _ := rt.m.DB.WarehouseByCode(ctx, "YW01")
		u.Warehouses = []int64{w.ID}
	}
	if err := rt.m.DB.CreateUser(ctx, u, hash); err != nil {
		return l, err
	}
	if l.TOTPSecret, err = rt.m.Auth.EnrolTOTP(ctx, u.ID); err != nil {
		return l, err
	}
	// Each insider gets a device of their own: an office desk assigned to
	// them, or (operators) a packing station in their warehouse.
	pub, priv, err := devicekey.Generate()
	if err != nil {
		return l, err
	}
	d := &yuncang.Device{Code: "RT-" + name, Name: name, Kind: yuncang.DeviceOfficeDesk, AssignedTo: u.ID, PublicKey: pub, EnrolledBy: u.ID}
	if w, err := rt.m.DB.WarehouseByCode(ctx, "YW01"); err == nil {
		d.WarehouseID = w.ID
	}
	if role == yuncang.RoleOperator {
		d.Kind, d.AssignedTo, d.WarehouseID = yuncang.DevicePackingStation, 0, u.Warehouses[0]
	}
	if err := rt.m.DB.EnrolDevice(ctx, d); err != nil {
		return l, err
	}
	l.DeviceID, l.DeviceKey = d.ID, devicekey.EncodePrivate(priv)
	rt.logins[name] = l
	return l, nil
}

// call is one API request; it returns the status and body.
func (rt *redteam) call(method, path, token, body string, headers ...string) (int, string) {
	req, err := http.NewRequest(method, rt.m.URL()+path, strings.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		// A device given as "id:key" signs the request with its key.
		if id, key, ok := strings.Cut(headers[i+1], ":"); headers[i] == devicekey.HeaderDevice && ok {
			n, _ := strconv.ParseInt(id, 10, 64)
			priv, err := devicekey.ParsePrivate(key)
			if err != nil {
				return 0, err.Error()
			}
			(&devicekey.Signer{DeviceID: n, Key: priv, Now: rt.clock.Now}).Sign(req, []byte(body))
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// login logs in over the API, with the account's one-time code if given.
func (rt *redteam) login(name string, withTOTP bool, headers ...string) (string, int) {
	l := rt.logins[name]
	code := ""
	if withTOTP && l.TOTPSecret != "" {
		code, _ = auth.TOTPCode(l.TOTPSecret, rt.clock.Now())
	}
	st, body := rt.call("POST", "/api/v1/login", "", fmt.Sprintf(`{"username":%q,"password":%q,"totp":%q}`, name, l.Password, code), headers...)
	var out struct{ Token string }
	json.Unmarshal([]byte(body), &out)
	return out.Token, st
}

// stepUp takes a fresh second factor (the insider has the phone; a remote
// thief only rides a session that was just stepped up).
func (rt *redteam) stepUp(name, token string, headers ...string) int {
	rt.clock.Advance(31 * time.Second) // a new TOTP step
	code, _ := auth.TOTPCode(rt.logins[name].TOTPSecret, rt.clock.Now())
	st, _ := rt.call("POST", "/api/v1/step-up", token, `{"totp":"`+code+`"}`, headers...)
	return st
}

// reveal asks for one order's recipient in plaintext; ok means it leaked.
func (rt *redteam) reveal(token, device, tenant string, id int64) (int, bool) {
	st, body := rt.call("POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=%s", id, tenant), token,
		`{"purpose":"delivery_exception","note":"courier cannot reach the customer"}`, "X-Yuncang-Device", device)
	return st, st == 200 && strings.Contains(body, `"phone":"1`) && strings.Contains(body, `"address"`)
}

// at sets the clock to a local time on the scenario's day.
func (rt *redteam) at(day, hour, minute int) time.Time {
	loc := rt.m.Guard.Config().Zone
	t := time.Date(2026, 11, 23+day, hour, minute, 0, 0, loc)
	rt.clock.Set(t)
	return t
}

func (rt *redteam) runAll(ctx context.Context) ([]RedteamResult, error) {
	var out []RedteamResult
	for _, sc := range []func(context.Context) (RedteamResult, error){
		rt.stolenOperatorSession, rt.stolenServiceSession, rt.temporaryHire,
		rt.reprintAbuse, rt.slowDrip, rt.carrierKey, rt.canaryTouch, rt.departedEmployee,
	} {
		r, err := sc(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}
