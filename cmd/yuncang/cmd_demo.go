package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/yuncang/yuncang/devicekey"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"filippo.io/age"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/allocate"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/fulfil"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/plan"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() {
	register("demo", "run the server on a fresh embedded database with demo data", runDemo)
}

// demoDevice is an enrolled demo device: its id and private key.
type demoDevice struct {
	id  int64
	key string
}

// device is the account's device as the red team's call helper takes it
// in the X-Yuncang-Device position: "id:key" ("" if none).
func (l DemoLogin) device() string {
	if l.DeviceID == 0 {
		return ""
	}
	return fmt.Sprintf("%d:%s", l.DeviceID, l.DeviceKey)
}

// DemoLogin is one demo account as written by --credentials.
type DemoLogin struct {
	Username   string `json:"username"`
	Password   string `json:"password,omitempty"`
	TOTPSecret string `json:"totp_secret,omitempty"`
	APIToken   string `json:"api_token,omitempty"`
	// An enrolled device this account may use: its id and the private key
	// that stays on it (base64 Ed25519 seed); requests are signed with it
	// (package devicekey; header format in the README).
	DeviceID  int64  `json:"device_id,omitempty"`
	DeviceKey string `json:"device_private_key,omitempty"`
	// Carrier accounts: the private key manifests are encrypted to, and the
	// secret tracking webhooks are signed with.
	CarrierKey    string `json:"carrier_private_key,omitempty"`
	WebhookSecret string `json:"webhook_secret,omitempty"`
	Role          string `json:"role"`
	Tenant        string `json:"tenant"`
	Warehouses    string `json:"warehouses,omitempty"`
}

func runDemo(ctx context.Context, args []string, s stdio) error {
	fs := newFlagSet("demo", "demo [--addr 127.0.0.1:8080] [--data DIR] [--orders N] [--credentials FILE]", s)
	addr := fs.String("addr", envOr("YUNCANG_ADDR", "127.0.0.1:8080"), "listen address")
	data := fs.String("data", envOr("YUNCANG_DATA", "yuncang-demo"), "data directory; its demo.db is recreated on every run")
	orders := fs.Int("orders", 1000, "number of demo orders")
	creds := fs.String("credentials", "", "write the demo logins to this file as JSON")
	logLevel := fs.String("log-level", "warn", "log level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *orders < 0 || *orders > 1_000_000 {
		return fmt.Errorf("--orders must be between 0 and 1000000")
	}
	path := filepath.Join(*data, "demo.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	// A fresh master key per run, held only in memory: the demo database is
	// thrown away at the next run anyway.
	master, err := vault.ParseMasterKeys("demo:" + ephemeralMasterKey())
	if err != nil {
		return err
	}
	// Likewise a fresh audit signing key; checkpoints are published to
	// DATA/audit-published and the verifier (public) key to
	// DATA/audit-verifier.key, so that `audit verify` and `inspection run`
	// (control C09) can check the demo's log.
	skey, vkey, err := audit.GenerateKey("yuncang-demo/audit")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*data, 0o755); err != nil {
		return err
	}
	marker := "This directory holds the database of `yuncang demo`. Its master key lives only in the\n" +
		"running demo's memory (a new one each run): other commands cannot open demo.db; use the\n" +
		"running demo's API or console instead.\n"
	if err := os.WriteFile(filepath.Join(*data, demoMarker), []byte(marker), 0o644); err != nil {
		return err
	}
	vkeyPath := filepath.Join(*data, "audit-verifier.key")
	if err := os.WriteFile(vkeyPath, []byte(vkey), 0o644); err != nil {
		return err
	}
	keys, err := newAuditKeys(skey, "")
	if err != nil {
		return err
	}
	if err := os.RemoveAll(filepath.Join(*data, "audit-published")); err != nil {
		return err
	}
	m := &Main{Config: Config{Addr: *addr, DataDir: *data, DB: "sqlite:" + path, LogLevel: *logLevel},
		Master: master, AuditKeys: keys, Migrate: true, Logger: newLogger(s.err, *logLevel)}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	logins, err := seedDemo(ctx, m.DB, m.Auth, *orders)
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	// Sign and publish a checkpoint over the seeded log at once, so an
	// inspection right after start finds a fresh one (control C10).
	if _, _, err := m.Checkpoints.once(ctx); err != nil {
		return fmt.Errorf("audit checkpoint: %w", err)
	}
	fmt.Fprintf(s.out, "yuncang demo serving on %s (data: %s, %d orders)\n\nWeb console: %s/ (sign in with a login below)\n\nLogins:\n", m.URL(), path, *orders, m.URL())
	tw := tabwriter.NewWriter(s.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tROLE\tSCOPE\tPASSWORD / API TOKEN\tTOTP SECRET")
	for _, l := range logins {
		secret := l.Password
		if secret == "" {
			secret = "token " + l.APIToken
		}
		scope := l.Tenant + l.Warehouses
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", l.Username, l.Role, scope, secret, l.TOTPSecret)
	}
	tw.Flush()
	if *creds != "" {
		b, _ := json.MarshalIndent(logins, "", "  ")
		if err := os.WriteFile(*creds, append(b, '\n'), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "\nCredentials written to %s\n", *creds)
	}
	fmt.Fprintf(s.out, "\nRoles that reveal data or administer accounts log in with a one-time code (RFC 6238) from the TOTP secret;\n"+
		"enrolled devices sign each request with their own key (headers X-Yuncang-Device, -Time, -Nonce, -Signature;\n"+
		"`yuncang device sign --id ID --key FILE [--body FILE] METHOD URL` prints them for curl; see \"Devices\" in the README).\n"+
		"Device ids and private keys are in --credentials.\n")
	admin := DemoLogin{}
	for _, l := range logins {
		if l.Username == "yiwu-goods-admin" {
			admin = l
		}
	}
	fmt.Fprintf(s.out, "\nTry (a one-time code works once per 30 s window: for a second login or a step-up, wait for the next code):\n  curl -s %s/healthz\n"+
		"  curl -s -X POST %s/api/v1/login -d '{\"username\":\"%s\",\"password\":\"%s\",\"totp\":\"'$(go run ./cmd/yuncang totp --secret %s)'\"}'\n",
		m.URL(), m.URL(), admin.Username, admin.Password, admin.TOTPSecret)
	if cfg := m.Guard.Config(); cfg.Night(m.Auth.Now()) {
		fmt.Fprintf(s.out, "\nNote: it is %s in %s, inside the guard's night (%02d:%02d-%02d:%02d). Every access to recipient data now\n"+
			"needs a fresh step-up, and an account's 4th such access tonight suspends it (that is the rule working).\n"+
			"A security officer or platform administrator re-enables it with a reason (POST /api/v1/users/{id}/reenable; an account that can reveal needs a second person's approval).\n",
			m.Auth.Now().In(cfg.Zone).Format("15:04"), cfg.Zone, cfg.NightStart/60, cfg.NightStart%60, cfg.NightEnd/60, cfg.NightEnd%60)
	}
	fmt.Fprintf(s.out, "\nThe audit log's verifier (public) key is in %s. Check the log, or run a special inspection\n"+
		"(with YUNCANG_INSPECTION_SIGNER_KEY from `go run ./cmd/yuncang inspection keygen`):\n"+
		"  export YUNCANG_AUDIT_VERIFIER_KEY_FILE=%s\n"+
		"  go run ./cmd/yuncang audit verify --data %s --db sqlite:%s\n"+
		"  go run ./cmd/yuncang inspection run --data %s --db sqlite:%s --officer security1 --out inspection.pdf\n",
		vkeyPath, vkeyPath, *data, path, *data, path)
	fmt.Fprintf(s.out, "\nSecurity keys (WebAuthn) need a domain name, not an IP address: to register one, open %s/\n",
		strings.Replace(m.URL(), "127.0.0.1", "localhost", 1))
	fmt.Fprintf(s.out, "\nPress Ctrl-C to stop.\n")
	if err := m.Wait(ctx); err != nil {
		return err
	}
	// Finish the requests in flight and sign a last checkpoint, then say
	// so (the deferred Close has nothing left to do).
	if err := m.Close(); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "demo stopped (%s)\n", stopReason(ctx))
	return nil
}

// demoFloors is the floor staff of every demo warehouse: a supervisor and
// an operator who works at the warehouse's packing station, so that a
// parcel allocated to any warehouse can be picked, packed and shipped.
var demoFloors = []struct{ warehouse, name, supervisor, operator string }{
	{"YW01", "义乌仓", "supervisor-yw", "operator1"},
	{"GZ01", "广州仓", "supervisor-gz", "operator-gz1"},
	{"CD01", "成都仓", "supervisor-cd", "operator-cd1"},
}

// seedDemo fills an empty store with the demo data set and returns the logins.
func seedDemo(ctx context.Context, db *sqlstore.DB, a *auth.Authenticator, orders int) ([]DemoLogin, error) {
	whs := map[string]*yuncang.Warehouse{}
	for _, w := range demodata.Warehouses() {
		if err := db.CreateWarehouse(ctx, w, warehouseCreated("demo", w)); err != nil {
			return nil, err
		}
		whs[w.Code] = w
	}
	merchants := demodata.Merchants()
	for _, t := range merchants {
		if err := db.CreateTenant(ctx, t, tenantCreated("demo", t)); err != nil {
			return nil, err
		}
	}
	var logins []DemoLogin
	ids := map[string]int64{}
	// add is the demo-only path that seeds the demo's own accounts with a
	// password and TOTP secret printed for whoever runs the demo. It writes to
	// the store directly; over the API no administrator ever sets or learns
	// another person's credentials (enrolment codes, four eyes).
	add := func(u *yuncang.User, tenant *yuncang.Tenant, warehouses ...string) (*DemoLogin, error) {
		l := DemoLogin{Username: u.Username, Role: u.Role}
		if tenant != nil {
			u.TenantID, l.Tenant = tenant.ID, tenant.Code
		}
		for _, code := range warehouses {
			u.Warehouses = append(u.Warehouses, whs[code].ID)
		}
		l.Warehouses = strings.Join(warehouses, ",")
		hash := ""
		if u.Role != yuncang.RoleCarrier {
			l.Password = demoPassword()
			var err error
			if hash, err = auth.HashPassword(l.Password); err != nil {
				return nil, err
			}
		}
		if err := db.CreateUser(ctx, u, hash); err != nil {
			return nil, err
		}
		ids[u.Username] = u.ID
		if u.Role == yuncang.RoleCarrier {
			tok, _, err := a.IssueAPIToken(ctx, u.ID, "demo", []string{"carrier"}, 7*24*time.Hour)
			if err != nil {
				return nil, err
			}
			l.APIToken = tok
		} else {
			secret, err := a.EnrolTOTP(ctx, u.ID)
			if err != nil {
				return nil, err
			}
			l.TOTPSecret = secret
		}
		if err := seedTraining(ctx, db, u, a.Now()); err != nil {
			return nil, err
		}
		logins = append(logins, l)
		return &logins[len(logins)-1], nil
	}
	// enrol stands for a device generating its key pair and registering
	// the public key; the demo hands the private key to the account's
	// credentials so that scripts can sign as the device.
	enrol := func(code, name, kind string, wh *yuncang.Warehouse, tenant *yuncang.Tenant, assigned, by int64) (demoDevice, error) {
		pub, priv, err := devicekey.Generate()
		if err != nil {
			return demoDevice{}, err
		}
		d := &yuncang.Device{Code: code, Name: name, Kind: kind, AssignedTo: assigned, PublicKey: pub, EnrolledBy: by}
		if wh != nil {
			d.WarehouseID = wh.ID
		} else {
			d.TenantID = tenant.ID
		}
		if err := db.EnrolDevice(ctx, d); err != nil {
			return demoDevice{}, err
		}
		return demoDevice{d.ID, devicekey.EncodePrivate(priv)}, nil
	}

	type spec struct {
		u          yuncang.User
		warehouses []string
	}
	specs := []spec{
		{yuncang.User{Username: "admin", Role: yuncang.RolePlatformAdmin}, nil},
		{yuncang.User{Username: "security1", Role: yuncang.RoleSecurityOfficer}, nil},
	}
	for _, f := range demoFloors {
		specs = append(specs,
			spec{yuncang.User{Username: f.supervisor, Role: yuncang.RoleWarehouseSupervisor}, []string{f.warehouse}},
			spec{yuncang.User{Username: f.operator, Role: yuncang.RoleOperator}, []string{f.warehouse}})
	}
	specs = append(specs,
		spec{yuncang.User{Username: "temp-packer1", Role: yuncang.RoleOperator, EmploymentType: yuncang.EmploymentTemporary,
			EndAt: a.Now().Add(14 * 24 * time.Hour)}, []string{"YW01"}},
		spec{yuncang.User{Username: "cs1", Role: yuncang.RoleCustomerService}, nil},
		spec{yuncang.User{Username: "auditor1", Role: yuncang.RoleAuditor}, nil})
	for _, sp := range specs {
		u := sp.u
		if _, err := add(&u, nil, sp.warehouses...); err != nil {
			return nil, err
		}
	}
	// Each warehouse's packing station, enrolled by its supervisor; the
	// operator works at it (temp-packer1 at YW01's).
	station := map[string]demoDevice{}
	for _, f := range demoFloors {
		d, err := enrol(f.warehouse+"-PACK-01", f.name+" 打包台 1", yuncang.DevicePackingStation, whs[f.warehouse], nil, 0, ids[f.supervisor])
		if err != nil {
			return nil, err
		}
		station[f.operator] = d
	}
	station["temp-packer1"] = station["operator1"]
	desk, err := enrol("YW01-CS-01", "义乌仓 客服工位 1", yuncang.DeviceOfficeDesk, whs["YW01"], nil, ids["cs1"], ids["supervisor-yw"])
	if err != nil {
		return nil, err
	}
	station["cs1"] = desk
	for i := range logins {
		if d, ok := station[logins[i].Username]; ok {
			logins[i].DeviceID, logins[i].DeviceKey = d.id, d.key
		}
	}
	if err := seedLocations(ctx, db, merchants, whs); err != nil {
		return nil, err
	}
	for mi, t := range merchants {
		if _, err := add(&yuncang.User{Username: t.Code + "-admin", Role: yuncang.RoleMerchantAdmin}, t); err != nil {
			return nil, err
		}
		staff, err := add(&yuncang.User{Username: t.Code + "-staff", Role: yuncang.RoleMerchantStaff, ManagerID: ids[t.Code+"-admin"]}, t)
		if err != nil {
			return nil, err
		}
		office, err := enrol(t.Code+"-OFFICE-1", t.Name+" 办公室", yuncang.DeviceOfficeDesk, nil, t, ids[t.Code+"-staff"], ids[t.Code+"-admin"])
		if err != nil {
			return nil, err
		}
		staff.DeviceID, staff.DeviceKey = office.id, office.key
		if err := seedCatalogue(ctx, db, t, mi, whs); err != nil {
			return nil, err
		}
	}
	sf, err := add(&yuncang.User{Username: "carrier-sf", Role: yuncang.RoleCarrier}, nil)
	if err != nil {
		return nil, err
	}
	if sf.CarrierKey, sf.WebhookSecret, err = seedCarrier(ctx, db, ids["carrier-sf"]); err != nil {
		return nil, err
	}
	if err := seedShipping(ctx, db, merchants, whs); err != nil {
		return nil, err
	}
	if err := seedOrders(ctx, db, merchants, orders); err != nil {
		return nil, err
	}
	return logins, nil
}

// seedOrders schedules decoy recipients among the real ones (touching one
// is an alarm: 3 per merchant, made by the intake among the merchant's real
// orders) and takes in the demo's orders, merchants taking turns.
func seedOrders(ctx context.Context, db *sqlstore.DB, merchants []*yuncang.Tenant, orders int) error {
	for _, t := range merchants {
		ev := &yuncang.Event{Username: "demo", TenantID: t.ID, Kind: yuncang.EventCanarySeed, Outcome: yuncang.OutcomeOK, Source: "demo", Detail: "3 decoy orders scheduled"}
		if err := db.ScheduleDecoys(ctx, t.ID, 3, ev); err != nil {
			return err
		}
	}
	in := httpapi.DecoyIntake(db)
	g := demodata.NewGenerator(20261128)
	for start := 0; start < orders; start += intake.ImportBatch {
		var batch = map[int64][]*yuncang.PreparedOrder{}
		for i := start; i < min(start+intake.ImportBatch, orders); i++ {
			t := merchants[i%len(merchants)]
			p, err := intake.Prepare(t.ID, g.Order(t.Code))
			if err != nil {
				return err
			}
			batch[t.ID] = append(batch[t.ID], p)
		}
		for tid, ps := range batch {
			ev := &yuncang.Event{Username: "demo", TenantID: tid, Kind: yuncang.EventOrderImport, Outcome: yuncang.OutcomeOK, Source: "demo", Detail: "demo data"}
			if _, _, err := in.CreateOrders(ctx, tid, ps, true, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedCarrier configures 顺丰 SF with a waybill range and a pool of virtual
// numbers, linked to the carrier account; it returns the carrier's age
// private key and webhook secret.
func seedCarrier(ctx context.Context, db *sqlstore.DB, userID int64) (string, string, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", "", err
	}
	secret := make([]byte, 24)
	rand.Read(secret)
	c := &yuncang.Carrier{Code: "SF", Name: "顺丰速运", CheckDigit: yuncang.CheckLuhn, PublicKey: id.Recipient().String(), UserID: userID}
	if err := db.CreateCarrier(ctx, c, secret); err != nil {
		return "", "", err
	}
	if err := db.AddWaybillSegment(ctx, &yuncang.WaybillSegment{CarrierID: c.ID, Prefix: "SF", Width: 12, First: 100000000000, Last: 100000999999}); err != nil {
		return "", "", err
	}
	var pool []string
	for i := 0; i < 20; i++ {
		pool = append(pool, fmt.Sprintf("170%08d", 10000000+i*7919))
	}
	if _, err := db.AddVirtualNumbers(ctx, pool); err != nil {
		return "", "", err
	}
	return id.String(), hex.EncodeToString(secret), nil // as the API and `carrier add` print it
}

// seedShipping gives every merchant the carrier the demo configures, so a
// paid order can go all the way to a shipment and the doorstep, and a stored
// sender in every warehouse, so a shipment request need not carry one.
func seedShipping(ctx context.Context, db *sqlstore.DB, merchants []*yuncang.Tenant, whs map[string]*yuncang.Warehouse) error {
	cfg, err := demoPlanningConfig()
	if err != nil {
		return err
	}
	senders := &fulfil.Senders{Store: db}
	for _, t := range merchants {
		if err := allocate.New(db).SetConfig(ctx, t.ID, cfg); err != nil {
			return fmt.Errorf("planning config of %s: %w", t.Code, err)
		}
		for _, w := range whs {
			sender := yuncang.Sender{Name: t.Name, Phone: "0579-85550000", Address: "浙江省金华市义乌市福田街道诚信大道100号"}
			if err := senders.Set(ctx, &yuncang.SenderAddress{TenantID: t.ID, WarehouseID: w.ID, Sender: sender}); err != nil {
				return fmt.Errorf("sender of %s in %s: %w", t.Code, w.Code, err)
			}
		}
	}
	return nil
}

// demoPassword returns a random password that meets the password policy.
func demoPassword() string {
	b := make([]byte, 15)
	rand.Read(b)
	return "Yc-" + base64.RawURLEncoding.EncodeToString(b)
}

// demoPlanningConfig is the default planning configuration (zones, rates,
// penalties) with its carriers reduced to the one the demo configures, 顺丰
// SF, at the default's first carrier's rates.
func demoPlanningConfig() ([]byte, error) {
	var cfg map[string]any
	if err := json.Unmarshal(plan.DefaultNetwork(), &cfg); err != nil {
		return nil, err
	}
	for _, k := range []string{"warehouses", "skus", "stock", "orders"} {
		delete(cfg, k) // these come from the catalogue and the order book
	}
	carriers, _ := cfg["carriers"].([]any)
	if len(carriers) == 0 {
		return nil, fmt.Errorf("the default planning configuration has no carriers")
	}
	c := carriers[0].(map[string]any)
	c["code"], c["name"] = "SF", "顺丰速运"
	cfg["carriers"] = []any{c}
	return json.Marshal(cfg)
}

// seedTraining records, for a demo account of a revealing role, the
// personal-data protection training a security officer would have recorded
// (untrained staff cannot reveal); audited like one recorded over the API.
func seedTraining(ctx context.Context, db *sqlstore.DB, u *yuncang.User, now time.Time) error {
	if !yuncang.CanRevealPI(u.Role) {
		return nil
	}
	t := &yuncang.TrainingRecord{UserID: u.ID, Topic: yuncang.TrainingPersonalData, TrainedAt: now.Add(-24 * time.Hour), ExpiresAt: now.Add(180 * 24 * time.Hour), Note: "seeded"}
	ev := &yuncang.Event{UserID: u.ID, Username: u.Username, Role: u.Role, ActorName: "demo", Kind: yuncang.EventTrainingRecord, Outcome: yuncang.OutcomeOK,
		Source: "demo", Detail: yuncang.TrainingPersonalData + " training seeded"}
	return db.RecordTraining(ctx, t, ev)
}
