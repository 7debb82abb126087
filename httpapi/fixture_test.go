package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/devicekey"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/storetest"
	"github.com/yuncang/yuncang/vault"
)

// clock is a controllable time source: tests move time, never sleep. The
// alert webhook reads it from its own goroutine, hence the lock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// fixture is a server over a real SQLite database with two tenants, two
// warehouses, and an account of every role.
type fixture struct {
	db       *sqlstore.DB
	path     string // the SQLite file
	master   *vault.MasterKeys
	srv      *httpapi.Server
	auth     *auth.Authenticator
	clock    *clock
	a, b     *yuncang.Tenant
	yw, gz   *yuncang.Warehouse
	users    map[string]*yuncang.User // by username
	tokens   map[string]string        // actor key -> session token (stepped up)
	pages    map[string]string        // actor key -> console session token (stepped up): the yc_session cookie
	devices  map[string]string        // device code -> device code (do signs with its key)
	signers  map[string]*devicekey.Signer
	desks    map[string]string // session token -> the office desk assigned to its owner
	notifier *guard.Notifier
	signer   note.Signer
	verifier note.Verifier
	lastCP   audit.Checkpoint
	// inspection verifies the inspection reports the server signs.
	inspection note.Verifier
	orderA     int64
	orderB     int64
	password   string
}

// newFixture is a server without the anti-theft guard: the authorization
// matrix deliberately makes hundreds of refused requests per actor, which
// the guard would (rightly) answer by suspending them.
func newFixture(t *testing.T) *fixture { return newFixtureWith(t, nil) }

// actor keys: the role name for platform roles, role@tenant for merchant roles.
// With a guard configuration, the guard keeps its windows in the fixture's
// database, as in production.
func newFixtureWith(t *testing.T, gc *guard.Config) *fixture { return newFixtureConfig(t, gc, nil) }

// newFixtureConfig lets a test change the server's configuration (the
// authorization matrix's self-test widens a policy with it).
func newFixtureConfig(t *testing.T, gc *guard.Config, configure func(*httpapi.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "y.db")
	master := storetest.NewMasterKeys(t, "k1")
	db, err := sqlite.Open(path, master)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
		t.Fatal(err)
	}
	// 10:00 on a Saturday in Shanghai.
	clk := &clock{t: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)}
	db.SetNow(clk.Now)
	f := &fixture{db: db, path: path, master: master, clock: clk, users: map[string]*yuncang.User{}, tokens: map[string]string{}, pages: map[string]string{}, devices: map[string]string{},
		signers: map[string]*devicekey.Signer{}, desks: map[string]string{},
		password: "Correct-Horse-Battery-9"}
	f.auth = auth.New(db, db.Vault())
	f.auth.Now = clk.Now
	skey, vkey, err := audit.GenerateKey("yuncang-test/audit")
	must(t, err)
	f.signer, err = audit.NewSigner(skey)
	must(t, err)
	f.verifier, err = audit.NewVerifier(vkey)
	must(t, err)
	f.notifier = &guard.Notifier{Secret: []byte("webhook-secret-for-tests"), Now: clk.Now}
	var g *guard.Engine
	if gc != nil {
		g = guard.New(*gc, db)
	}
	cfg := httpapi.Config{Store: db, Auth: f.auth, Version: "test", AuditVerifierKey: vkey, Guard: g, Notifier: f.notifier}
	cfg.InspectionSigner, f.inspection = inspectionKey(t)
	if configure != nil {
		configure(&cfg)
	}
	f.srv = httpapi.New(cfg)
	mountConsole(t, f)
	f.a = &yuncang.Tenant{Code: "ta", Name: "Tenant A"}
	f.b = &yuncang.Tenant{Code: "tb", Name: "Tenant B"}
	f.yw = &yuncang.Warehouse{Code: "YW1", Name: "义乌", ProvinceCode: "33", CityCode: "3307", DistrictCode: "330782"}
	f.gz = &yuncang.Warehouse{Code: "GZ1", Name: "广州", ProvinceCode: "44", CityCode: "4401", DistrictCode: "440111"}
	must(t, db.CreateWarehouse(ctx, f.yw, nil))
	must(t, db.CreateWarehouse(ctx, f.gz, nil))
	hash, err := auth.HashPassword(f.password)
	must(t, err)
	for _, tn := range []*yuncang.Tenant{f.a, f.b} {
		must(t, db.CreateTenant(ctx, tn, nil))
		must(t, db.CreateSKU(ctx, &yuncang.SKU{TenantID: tn.ID, Code: "SKU-1", Barcode: "690001", Name: "x", WeightG: 100, VolumeCM3: 100}, nil))
	}
	for _, role := range yuncang.Roles {
		if yuncang.IsMerchantRole(role) {
			continue
		}
		u := &yuncang.User{Username: role, Role: role}
		if yuncang.IsWarehouseScoped(role) {
			u.Warehouses = []int64{f.yw.ID}
		}
		f.addUser(t, u, hash, role)
	}
	for _, tn := range []*yuncang.Tenant{f.a, f.b} {
		admin := &yuncang.User{Username: "merchant_admin-" + tn.Code, Role: yuncang.RoleMerchantAdmin, TenantID: tn.ID}
		f.addUser(t, admin, hash, "merchant_admin@"+tn.Code)
		f.addUser(t, &yuncang.User{Username: "merchant_staff-" + tn.Code, Role: yuncang.RoleMerchantStaff, TenantID: tn.ID, ManagerID: admin.ID}, hash, "merchant_staff@"+tn.Code)
		f.addUser(t, &yuncang.User{Username: "target-staff-" + tn.Code, Role: yuncang.RoleMerchantStaff, TenantID: tn.ID, ManagerID: admin.ID}, hash, "")
	}
	f.addUser(t, &yuncang.User{Username: "target-op", Role: yuncang.RoleOperator, Warehouses: []int64{f.yw.ID}}, hash, "")
	f.addUser(t, &yuncang.User{Username: "target-op-gz", Role: yuncang.RoleOperator, Warehouses: []int64{f.gz.ID}}, hash, "")
	// Packing stations (labels); every actor with a session also has an
	// office desk of its own, "DESK-" + actor key (reveals).
	f.enrol(t, "YW1-DESK", &yuncang.Device{Kind: yuncang.DevicePackingStation, WarehouseID: f.yw.ID})
	f.enrol(t, "GZ1-DESK", &yuncang.Device{Kind: yuncang.DevicePackingStation, WarehouseID: f.gz.ID})
	f.orderA = f.createOrder(t, f.a, "SEED-A")
	f.orderB = f.createOrder(t, f.b, "SEED-B")
	f.checkpoint(t)
	return f
}

// checkpoint signs and stores a checkpoint of the log as it stands.
func (f *fixture) checkpoint(t *testing.T) audit.Checkpoint {
	t.Helper()
	ctx := context.Background()
	size, err := f.db.AuditSize(ctx)
	must(t, err)
	cp, err := audit.SignNext(f.signer, f.verifier, f.lastCP, size, f.db.AuditHashReader(ctx), f.clock.Now())
	must(t, err)
	must(t, f.db.StoreCheckpoint(ctx, cp.Size, cp.Note))
	f.lastCP = cp
	return cp
}

// metrics scrapes GET /metrics as Prometheus does: with a token of scope
// metrics issued to the auditor account.
func (f *fixture) metrics(t *testing.T) string {
	t.Helper()
	tok, _, err := f.auth.IssueAPIToken(context.Background(), f.users["auditor"].ID, "prometheus", []string{httpapi.ScopeMetrics}, 24*time.Hour)
	must(t, err)
	rec := f.do(t, "GET", "/metrics", tok, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape metrics: %d %s", rec.Code, rec.Body)
	}
	return rec.Body.String()
}

// addUser creates an account with a TOTP secret and, if key is set, a
// stepped-up session for it.
func (f *fixture) addUser(t *testing.T, u *yuncang.User, hash, key string) {
	t.Helper()
	ctx := context.Background()
	must(t, f.db.CreateUser(ctx, u, hash))
	if u.Role != yuncang.RoleCarrier {
		_, err := f.auth.EnrolTOTP(ctx, u.ID)
		must(t, err)
		u.HasTOTP = true
	}
	f.train(t, u) // revealing roles need current training
	f.users[u.Username] = u
	if key == "" {
		return
	}
	tok, th := auth.NewToken(false)
	must(t, f.db.CreateCredential(ctx, &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialSession, TokenHash: th,
		ExpiresAt: f.clock.Now().Add(8 * time.Hour), SteppedUpAt: f.clock.Now()}))
	f.tokens[key] = tok
	page, th := auth.NewToken(false)
	must(t, f.db.CreateCredential(ctx, &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialConsole, TokenHash: th,
		ExpiresAt: f.clock.Now().Add(8 * time.Hour), SteppedUpAt: f.clock.Now()}))
	f.pages[key] = page
	if u.Role == yuncang.RoleCarrier {
		return
	}
	desk := &yuncang.Device{Kind: yuncang.DeviceOfficeDesk, AssignedTo: u.ID, TenantID: u.TenantID}
	if u.TenantID == 0 {
		desk.WarehouseID = f.yw.ID
		if len(u.Warehouses) > 0 {
			desk.WarehouseID = u.Warehouses[0]
		}
	}
	f.enrol(t, "DESK-"+key, desk)
	f.desks[tok] = "DESK-" + key
}

func (f *fixture) enrol(t *testing.T, code string, d *yuncang.Device) {
	t.Helper()
	pub, priv, err := devicekey.Generate()
	must(t, err)
	d.Code, d.EnrolledBy, d.PublicKey = strings.ReplaceAll(code, "@", "."), 1, pub
	must(t, f.db.EnrolDevice(context.Background(), d))
	f.devices[code] = code
	f.signers[code] = &devicekey.Signer{DeviceID: d.ID, Key: priv, Now: f.clock.Now}
}

func (f *fixture) createOrder(t *testing.T, tn *yuncang.Tenant, moid string) int64 {
	t.Helper()
	rec := f.do(t, "POST", "/api/v1/orders", f.tokens["merchant_admin@"+tn.Code], orderJSON(moid, "13812345678"))
	if rec.Code != http.StatusCreated {
		t.Fatalf("seed order: %d %s", rec.Code, rec.Body)
	}
	var id int64
	for _, c := range strings.TrimPrefix(rec.Header().Get("Location"), "/api/v1/orders/") {
		id = id*10 + int64(c-'0')
	}
	return id
}

func orderJSON(moid, phone string) string {
	return `{"merchant_order_id":"` + moid + `","lines":[{"sku":"SKU-1","quantity":1}],
		"recipient":{"name":"欧阳娜娜","phone":"` + phone + `","address":"浙江省金华市义乌市稠城街道工人北路1088号3单元502室"},"remarks":"放门卫"}`
}

// do sends a request; headers are given as name, value pairs.
func (f *fixture) do(t *testing.T, method, path, token, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = "10.0.0.7:40000"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		// A device named by code signs the request with its own key.
		if s := f.signers[headers[i+1]]; headers[i] == devicekey.HeaderDevice && s != nil {
			s.Sign(req, []byte(body))
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

// code returns the current TOTP code of an account.
func (f *fixture) code(t *testing.T, username string) string {
	t.Helper()
	ctx := context.Background()
	u := f.users[username]
	sealed, _, err := f.db.TOTPSecret(ctx, u.ID)
	must(t, err)
	secret, err := f.db.Vault().Open(ctx, 0, []byte("users|"+itoa(u.ID)+"|totp"), sealed)
	must(t, err)
	c, err := auth.TOTPCode(string(secret), f.clock.Now())
	must(t, err)
	return c
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
