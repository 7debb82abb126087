package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/devicekey"
	"github.com/yuncang/yuncang/vault"
)

// simClock is the redteam's simulated time: attacks run through days in
// seconds, and the server sees the same clock.
type simClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *simClock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *simClock) Set(t time.Time)         { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *simClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// redteam is an in-process instance under attack. Attackers reach it only
// over HTTP (base); the referee (truth, alerts, account states) reads the
// database directly, as an investigator would after the fact.
type redteam struct {
	m      *Main
	clock  *simClock
	base   string // the URL attackers call
	srv    *http.Server
	logins map[string]DemoLogin
	orders map[string][]int64 // tenant code -> real order ids
	canary map[string][]int64
	truth  *leakIndex
	rnd    *rand.Rand
	dir    string
	dbPath string
}

// redteamOptions change the instance under attack; tests use wrap to plant a
// deliberately leaky handler and check that the measurement sees it.
type redteamOptions struct {
	orders int
	wrap   func(rt *redteam, next http.Handler) http.Handler
}

// redteamTemplate is a seeded database (demo data, staff, a week of normal
// history) that every scenario starts from as a copy of its own, so that
// none sees another's leftovers and seeding is paid once.
type redteamTemplate struct {
	dir, dbPath    string
	master         *vault.MasterKeys
	keys           *auditKeys
	logins         map[string]DemoLogin
	orders, canary map[string][]int64
}

// start is Monday 2026-11-23, 09:00 in Shanghai.
var redteamStart = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

func newRedteamTemplate(ctx context.Context, orders int) (*redteamTemplate, error) {
	dir, err := os.MkdirTemp("", "yuncang-redteam-")
	if err != nil {
		return nil, err
	}
	tp := &redteamTemplate{dir: dir, dbPath: filepath.Join(dir, "rt.db"), logins: map[string]DemoLogin{}, orders: map[string][]int64{}, canary: map[string][]int64{}}
	if tp.master, err = vault.ParseMasterKeys("rt:" + ephemeralMasterKey()); err != nil {
		return nil, err
	}
	if tp.keys, err = ephemeralAuditKeys(); err != nil {
		return nil, err
	}
	clk := &simClock{t: redteamStart}
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "sqlite:" + tp.dbPath}, Master: tp.master, AuditKeys: tp.keys, Migrate: true, Now: clk.Now}
	if err := m.Open(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	rt := &redteam{m: m, clock: clk, logins: tp.logins, rnd: rand.New(rand.NewPCG(7, 11))}
	err = tp.seed(ctx, rt, orders)
	if cerr := m.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return tp, nil
}

func (tp *redteamTemplate) seed(ctx context.Context, rt *redteam, orders int) error {
	logins, err := seedDemo(ctx, rt.m.DB, rt.m.Auth, orders)
	if err != nil {
		return err
	}
	for _, l := range logins {
		tp.logins[l.Username] = l
	}
	for _, code := range []string{"yiwu-goods", "hz-fresh"} {
		t, err := rt.m.DB.TenantByCode(ctx, code)
		if err != nil {
			return err
		}
		os, err := allOrders(ctx, rt.m.DB, t.ID)
		if err != nil {
			return err
		}
		for _, o := range os {
			if c, _ := rt.m.DB.IsCanary(ctx, []int64{o.ID}); c {
				tp.canary[code] = append(tp.canary[code], o.ID)
			} else {
				tp.orders[code] = append(tp.orders[code], o.ID)
			}
		}
	}
	if len(tp.canary["yiwu-goods"]) == 0 {
		return fmt.Errorf("the demo data made no decoy among yiwu-goods' %d orders: run with more --orders", len(tp.orders["yiwu-goods"]))
	}
	return rt.seedHistory(ctx)
}

func (tp *redteamTemplate) close() { os.RemoveAll(tp.dir) }

// instance starts a server on a fresh copy of the template's database.
func (tp *redteamTemplate) instance(ctx context.Context, o redteamOptions) (*redteam, error) {
	dir, err := os.MkdirTemp("", "yuncang-redteam-")
	if err != nil {
		return nil, err
	}
	dbPath := filepath.Join(dir, "rt.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(tp.dbPath + suffix)
		if err == nil {
			err = os.WriteFile(dbPath+suffix, b, 0o600)
		} else if os.IsNotExist(err) && suffix != "" {
			err = nil
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	clk := &simClock{t: redteamStart}
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: dir, DB: "sqlite:" + dbPath}, Master: tp.master, AuditKeys: tp.keys, Migrate: true, Now: clk.Now}
	if err := m.Open(ctx); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	rt := &redteam{m: m, clock: clk, base: m.URL(), logins: map[string]DemoLogin{}, orders: map[string][]int64{}, canary: map[string][]int64{},
		rnd: rand.New(rand.NewPCG(7, 11)), dir: dir, dbPath: dbPath}
	for k, v := range tp.logins {
		rt.logins[k] = v
	}
	for k, v := range tp.orders {
		rt.orders[k] = slices.Clone(v)
	}
	for k, v := range tp.canary {
		rt.canary[k] = slices.Clone(v)
	}
	if o.wrap != nil {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			rt.close()
			return nil, err
		}
		rt.srv = &http.Server{Handler: o.wrap(rt, m.API), ReadHeaderTimeout: 10 * time.Second}
		go rt.srv.Serve(ln)
		rt.base = "http://" + ln.Addr().String()
	}
	if err := rt.refreshTruth(ctx); err != nil {
		rt.close()
		return nil, err
	}
	return rt, nil
}

func (rt *redteam) close() {
	if rt.srv != nil {
		rt.srv.Close()
	}
	rt.m.Close()
	if rt.dir != "" {
		os.RemoveAll(rt.dir)
	}
}

// refreshTruth reads every order's recipient and remarks in plaintext
// straight from the database file (decrypting with the vault, bypassing the
// API and its audit log): the referee's copy of what must not leak. A change
// of the storage format makes this fail loudly rather than find nothing.
func (rt *redteam) refreshTruth(ctx context.Context) error {
	db, err := sql.Open("sqlite", "file:"+rt.dbPath+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT tenant_id, id, merchant_order_id, name_ct, phone_ct, address_ct, remarks_ct FROM orders`)
	if err != nil {
		return fmt.Errorf("redteam truth: %w", err)
	}
	defer rows.Close()
	decoy := map[int64]bool{}
	for _, ids := range rt.canary {
		for _, id := range ids {
			decoy[id] = true
		}
	}
	ix := newLeakIndex()
	for rows.Next() {
		var tid, id int64
		var moid string
		var cts [4][]byte
		if err := rows.Scan(&tid, &id, &moid, &cts[0], &cts[1], &cts[2], &cts[3]); err != nil {
			return err
		}
		var pt [4]string
		for i, field := range []string{"name", "phone", "address", "remarks"} {
			b, err := rt.m.DB.Vault().Open(ctx, tid, []byte("orders|"+moid+"|"+field), cts[i])
			if err != nil {
				return fmt.Errorf("redteam truth: open %s of order %d: %w", field, id, err)
			}
			pt[i] = string(b)
		}
		if decoy[id] {
			continue // a decoy's recipient is made up: revealing it is the alarm, not a leak
		}
		ix.addRecipient(fmt.Sprintf("order:%d", id), moid, pt[0], pt[1], pt[2])
	}
	if err := rows.Err(); err != nil {
		return err
	}
	ix.finish()
	rt.truth = ix
	return nil
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
			u, err := rt.m.DB.UserByUsername(ctx, fmt.Sprintf("cs%d", i))
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

// addStaff creates a platform account with a password and TOTP secret, as
// the setup of a scenario (not part of any attack).
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
	if err := seedTraining(ctx, rt.m.DB, u, rt.clock.Now()); err != nil {
		return l, err
	}
	// Each insider gets a device of their own: an office desk assigned to
	// them, or (operators) a packing station in their warehouse.
	pub, priv, err := devicekey.Generate()
	if err != nil {
		return l, err
	}
	// Enrolled by the security officer: nobody's desk is their own doing.
	d := &yuncang.Device{Code: "RT-" + name, Name: name, Kind: yuncang.DeviceOfficeDesk, AssignedTo: u.ID, PublicKey: pub, EnrolledBy: rt.userID(ctx, "security1")}
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
	req, err := http.NewRequest(method, rt.base+path, strings.NewReader(body))
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

// loginBody is a login request with the account's password and current
// one-time code.
func (rt *redteam) loginBody(name string) string {
	l := rt.logins[name]
	code := ""
	if l.TOTPSecret != "" {
		code, _ = auth.TOTPCode(l.TOTPSecret, rt.clock.Now())
	}
	return fmt.Sprintf(`{"username":%q,"password":%q,"totp":%q}`, name, l.Password, code)
}

// tokenOf returns the token of a login answer.
func tokenOf(body string) string {
	var out struct{ Token string }
	json.Unmarshal([]byte(body), &out)
	return out.Token
}

// login logs in over the API with the account's password and one-time code.
func (rt *redteam) login(name string, headers ...string) (string, int) {
	st, body := rt.call("POST", "/api/v1/login", "", rt.loginBody(name), headers...)
	return tokenOf(body), st
}

// mustLogin logs a scenario's actor in (set-up, not an attempt).
func (rt *redteam) mustLogin(name string, headers ...string) (string, error) {
	tok, st := rt.login(name, headers...)
	if st != 200 {
		return "", fmt.Errorf("%s login: %d", name, st)
	}
	return tok, nil
}

// stepUp takes a fresh second factor (the insider has the phone; a remote
// thief only rides a session that was just stepped up).
func (rt *redteam) stepUp(name, token string, headers ...string) int {
	rt.clock.Advance(31 * time.Second) // a new TOTP step
	code, _ := auth.TOTPCode(rt.logins[name].TOTPSecret, rt.clock.Now())
	st, _ := rt.call("POST", "/api/v1/step-up", token, `{"totp":"`+code+`"}`, headers...)
	return st
}

// revealPath and revealBody ask for one order's recipient in plaintext.
func revealPath(tenant string, id int64) string {
	return fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=%s", id, tenant)
}

const revealBody = `{"purpose":"delivery_exception","note":"courier cannot reach the customer"}`

// at sets the clock to a local time on the scenario's day.
func (rt *redteam) at(day, hour, minute int) time.Time {
	loc := rt.m.Guard.Config().Zone
	t := time.Date(2026, 11, 23+day, hour, minute, 0, 0, loc)
	rt.clock.Set(t)
	return t
}

// pick returns a random real order of a tenant.
func (rt *redteam) pick(tenant string) int64 {
	ids := rt.orders[tenant]
	return ids[rt.rnd.IntN(len(ids))]
}

// userID is an account's id (set-up and referee use).
func (rt *redteam) userID(ctx context.Context, name string) int64 {
	u, err := rt.m.DB.UserByUsername(ctx, name)
	if err != nil {
		return 0
	}
	return u.ID
}

// sender is the merchant's return address printed on labels.
const senderJSON = `{"name":"义乌优品","phone":"057985550000","address":"浙江省金华市义乌市福田街道诚信大道100号"}`

// createShipments takes orders of the tenant through the warehouse flow
// (paid, allocated, waved, picked, packed, weighed) to a shipment in YW01,
// as set-up for scenarios that attack shipments (not an attempt), and
// returns the shipments' ids. It tries the given orders in turn, skipping
// any the planner sends elsewhere, until it has as many shipments as
// orders given or runs out of the tenant's orders.
func (rt *redteam) createShipments(token, device, tenant string, orders []int64) ([]int64, error) {
	fl, err := newFloor(rt, tenant, token, device)
	if err != nil {
		return nil, err
	}
	candidates := append(append([]int64(nil), orders...), rt.orders[tenant]...)
	seen := map[int64]bool{}
	var ids []int64
	var last error
	for _, oid := range candidates {
		if len(ids) == len(orders) {
			break
		}
		if seen[oid] {
			continue
		}
		seen[oid] = true
		sh, err := fl.ship(oid)
		if err != nil {
			last = err
			continue
		}
		ids = append(ids, sh)
	}
	if len(ids) < len(orders) {
		return nil, fmt.Errorf("only %d of %d shipments through the warehouse flow: %v", len(ids), len(orders), last)
	}
	return ids, nil
}
