package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/sqlite"
)

// peer is a second server process on the fixture's database: its own
// connection pools, authenticator and guard engine, as another node or the
// same node after a restart would have.
func (f *fixture) peer(t *testing.T) *httpapi.Server {
	t.Helper()
	db, err := sqlite.Open(f.path, f.master)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetNow(f.clock.Now)
	a := auth.New(db, db.Vault())
	a.Now = f.clock.Now
	return httpapi.New(httpapi.Config{Store: db, Auth: a, Version: "test", Guard: guard.New(guard.DefaultConfig(), db), Notifier: f.notifier})
}

// on sends a request to srv as f.do does to the fixture's own server.
func (f *fixture) on(t *testing.T, srv *httpapi.Server, method, path, token, body string, headers ...string) int {
	t.Helper()
	saved := f.srv
	f.srv = srv
	defer func() { f.srv = saved }()
	return f.do(t, method, path, token, body, headers...).Code
}

// loginFrom logs in from another client address than f.do's.
func (f *fixture) loginFrom(t *testing.T, addr, username, password, totp string) int {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q,"totp":%q}`, username, password, totp)))
	req.RemoteAddr = addr
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec.Code
}

// TestNightRuleHoldsAcrossServers: the night rule lets an account reveal 3
// records a night, however many servers it spreads them over and across a
// restart. With each process counting in its own memory, two servers let 6
// through.
func TestNightRuleHoldsAcrossServers(t *testing.T) {
	f, _ := newGuardFixture(t)
	ids := f.seedOrders(t, 8)
	servers := []*httpapi.Server{f.srv, f.peer(t)}
	f.clock.Advance(13 * time.Hour) // 23:00 in Shanghai
	// A fresh session, stepped up: each night reveal needs a fresh factor.
	u := f.users["customer_service"]
	tok, th := auth.NewToken(false)
	must(t, f.db.CreateCredential(context.Background(), &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialSession, TokenHash: th,
		ExpiresAt: f.clock.Now().Add(8 * time.Hour), SteppedUpAt: f.clock.Now()}))
	reveal := func(srv *httpapi.Server, id int64) int {
		f.clock.Advance(time.Minute)
		return f.on(t, srv, "POST", fmt.Sprintf("/api/v1/orders/%d/reveal?tenant=ta", id), tok,
			`{"purpose":"customer_callback","note":"customer asked"}`, "X-Yuncang-Device", f.desks[f.tokens["customer_service"]])
	}
	var codes []int
	for i := 0; i < 2; i++ { // one on each server
		codes = append(codes, reveal(servers[i], ids[i*3]))
	}
	servers[0] = f.peer(t) // the first server restarts: new pools, new engine
	codes = append(codes, reveal(servers[0], ids[7]))
	codes = append(codes, reveal(servers[1], ids[4]))
	want := []int{200, 200, 200, http.StatusForbidden}
	if fmt.Sprint(codes) != fmt.Sprint(want) {
		t.Fatalf("night reveals over two servers and a restart: %v, want %v", codes, want)
	}
	if u, err := f.db.UserByID(context.Background(), u.ID); err != nil || u.Status != yuncang.UserDisabled {
		t.Fatalf("the fourth night reveal did not suspend the account: %v", err)
	}
}

// TestLockoutHoldsAcrossServers: failed logins counted by one server lock
// the account on another, and a restart forgets none of them.
func TestLockoutHoldsAcrossServers(t *testing.T) {
	f := newFixture(t)
	other := f.peer(t)
	login := func(srv *httpapi.Server, password string) int {
		return f.on(t, srv, "POST", "/api/v1/login", "", fmt.Sprintf(`{"username":"operator","password":%q,"totp":""}`, password))
	}
	for i := 0; i < 5; i++ {
		srv := f.srv
		if i%2 == 1 {
			srv = other
		}
		if code := login(srv, fmt.Sprintf("wrong-%d", i)); code != 401 {
			t.Fatalf("failure %d: %d", i, code)
		}
	}
	if code := login(other, f.password); code != http.StatusTooManyRequests {
		t.Fatalf("5 failures over two servers did not lock the account: %d", code)
	}
	restarted := f.peer(t)
	if code := login(restarted, f.password); code != http.StatusTooManyRequests {
		t.Fatalf("a restart forgot the lockout: %d", code)
	}
	f.clock.Advance(16 * time.Minute)
	if code := login(restarted, f.password); code != 200 {
		t.Fatalf("after the window: %d", code)
	}
}

// TestPhoneSearchCappedPerMerchant: "is this number a customer?" is capped
// for the merchant's accounts together, so making more staff accounts does
// not multiply the answers; another merchant is not affected.
func TestPhoneSearchCappedPerMerchant(t *testing.T) {
	gc := guard.DefaultConfig()
	gc.TenantPhoneSearches = 3
	f := newFixtureWith(t, &gc)
	search := func(key string) int {
		f.clock.Advance(time.Minute)
		return f.do(t, "POST", "/api/v1/orders/search", f.tokens[key], `{"phone":"13812345678"}`).Code
	}
	var codes []int
	for _, key := range []string{"merchant_admin@ta", "merchant_staff@ta", "merchant_admin@ta", "merchant_staff@ta"} {
		codes = append(codes, search(key))
	}
	if fmt.Sprint(codes) != fmt.Sprint([]int{200, 200, 200, http.StatusTooManyRequests}) {
		t.Fatalf("four searches by two accounts of one merchant, cap 3: %v", codes)
	}
	if code := search("merchant_admin@tb"); code != 200 {
		t.Fatalf("another merchant's search: %d", code)
	}
	for i := 0; i < 3; i++ { // an hour on, the session kept alive
		f.clock.Advance(20 * time.Minute)
		f.do(t, "GET", "/api/v1/me", f.tokens["merchant_staff@ta"], "")
	}
	if code := search("merchant_staff@ta"); code != 200 {
		t.Fatalf("after the hour: %d", code)
	}
}

// TestMachineClientNotSuspendedAtNight: a carrier's platform resolving
// virtual numbers at night with its API token is held to its own limits
// (the binding's, the hour's), not suspended by the night rule meant for
// people (that a person's session still is: guard's engine tests).
func TestMachineClientNotSuspendedAtNight(t *testing.T) {
	gc := guard.DefaultConfig()
	f := newWaybillFixtureWith(t, true, &gc)
	s := f.ship(t, f.orderA)
	ext := f.boundExtension(t, s.ID)
	f.handOver(t, s.Waybill)
	carrier := f.users["carrier"]
	tok, th := auth.NewToken(true)
	must(t, f.db.CreateCredential(context.Background(), &yuncang.Credential{UserID: carrier.ID, Kind: yuncang.CredentialAPIToken, TokenHash: th,
		Label: "platform", Scopes: []string{httpapi.ScopeCarrier}, ExpiresAt: f.clock.Now().Add(30 * 24 * time.Hour)}))

	f.clock.Advance(13 * time.Hour) // 23:00 in Shanghai
	var codes []int
	for range 4 {
		f.clock.Advance(time.Minute)
		code, _ := f.resolve(t, tok, ext)
		codes = append(codes, code)
	}
	if fmt.Sprint(codes) != fmt.Sprint([]int{200, 200, 200, http.StatusTooManyRequests}) {
		t.Fatalf("machine resolves at night: %v, want three and then the binding's limit", codes)
	}
	if u, err := f.db.UserByID(context.Background(), carrier.ID); err != nil || u.Status == yuncang.UserDisabled {
		t.Fatalf("the night rule suspended the carrier's machine client: %v", err)
	}
}
