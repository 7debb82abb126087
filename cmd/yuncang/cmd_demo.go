package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/intake"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

func init() {
	register("demo", "run the server on a fresh embedded database with demo data", runDemo)
}

// DemoLogin is one demo account as written by --credentials.
type DemoLogin struct {
	Username string `json:"username"`
	Password string `json:"password,omitempty"`
	APIToken string `json:"api_token,omitempty"`
	Role     string `json:"role"`
	Tenant   string `json:"tenant"`
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
	key := make([]byte, 32)
	rand.Read(key)
	master, err := vault.ParseMasterKeys("demo:" + base64.StdEncoding.EncodeToString(key))
	if err != nil {
		return err
	}
	m := &Main{Config: Config{Addr: *addr, DataDir: *data, DB: "sqlite:" + path, LogLevel: *logLevel},
		Master: master, Migrate: true, Logger: newLogger(s.err, *logLevel)}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	logins, err := seedDemo(ctx, m.DB, m.Auth, *orders)
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	fmt.Fprintf(s.out, "yuncang demo serving on %s (data: %s, %d orders)\n\nLogins:\n", m.URL(), path, *orders)
	tw := tabwriter.NewWriter(s.out, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tROLE\tTENANT\tPASSWORD / API TOKEN")
	for _, l := range logins {
		secret := l.Password
		if secret == "" {
			secret = "token " + l.APIToken
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", l.Username, l.Role, l.Tenant, secret)
	}
	tw.Flush()
	if *creds != "" {
		b, _ := json.MarshalIndent(logins, "", "  ")
		if err := os.WriteFile(*creds, append(b, '\n'), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(s.out, "\nCredentials written to %s\n", *creds)
	}
	fmt.Fprintf(s.out, "\nTry:\n  curl -s %s/healthz\n  curl -s -X POST %s/api/v1/login -d '{\"username\":\"%s\",\"password\":\"...\"}'\n\nPress Ctrl-C to stop.\n",
		m.URL(), m.URL(), logins[4].Username)
	return m.Wait(ctx)
}

// seedDemo fills an empty store with the demo data set and returns the logins.
func seedDemo(ctx context.Context, db *sqlstore.DB, a *auth.Authenticator, orders int) ([]DemoLogin, error) {
	for _, w := range demodata.Warehouses() {
		if err := db.CreateWarehouse(ctx, w); err != nil {
			return nil, err
		}
	}
	var logins []DemoLogin
	addUser := func(username, role string, tenant *yuncang.Tenant) error {
		u := &yuncang.User{Username: username, Role: role}
		l := DemoLogin{Username: username, Role: role}
		if tenant != nil {
			u.TenantID, l.Tenant = tenant.ID, tenant.Code
		}
		hash := ""
		if role != yuncang.RoleCarrier {
			l.Password = demoPassword()
			var err error
			if hash, err = auth.HashPassword(l.Password); err != nil {
				return err
			}
		}
		if err := db.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		if role == yuncang.RoleCarrier {
			tok, _, err := a.IssueAPIToken(ctx, u.ID, "demo", 7*24*3600e9)
			if err != nil {
				return err
			}
			l.APIToken = tok
		}
		logins = append(logins, l)
		return nil
	}
	for _, u := range []struct{ name, role string }{
		{"admin", yuncang.RolePlatformAdmin}, {"operator1", yuncang.RoleOperator},
		{"cs1", yuncang.RoleCustomerService}, {"auditor1", yuncang.RoleAuditor},
	} {
		if err := addUser(u.name, u.role, nil); err != nil {
			return nil, err
		}
	}
	merchants := demodata.Merchants()
	for _, t := range merchants {
		if err := db.CreateTenant(ctx, t); err != nil {
			return nil, err
		}
		if err := addUser(t.Code+"-admin", yuncang.RoleMerchantAdmin, t); err != nil {
			return nil, err
		}
		if err := addUser(t.Code+"-staff", yuncang.RoleMerchantStaff, t); err != nil {
			return nil, err
		}
		for i, sku := range demodata.SKUs(t.Code) {
			sku.TenantID = t.ID
			if err := db.CreateSKU(ctx, sku); err != nil {
				return nil, err
			}
			for j, w := range demodata.Warehouses() {
				if (i+j)%3 == 2 {
					continue // not every SKU is in every warehouse
				}
				if err := db.SetStock(ctx, t.ID, w.Code, sku.Code, 200+50*((i*7+j*3)%9)); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := addUser("carrier-sf", yuncang.RoleCarrier, nil); err != nil {
		return nil, err
	}
	g := demodata.NewGenerator(20261128)
	for start := 0; start < orders; start += intake.ImportBatch {
		var batch = map[int64][]*yuncang.PreparedOrder{}
		for i := start; i < min(start+intake.ImportBatch, orders); i++ {
			t := merchants[i%len(merchants)]
			p, err := intake.Prepare(t.ID, g.Order(t.Code))
			if err != nil {
				return nil, err
			}
			batch[t.ID] = append(batch[t.ID], p)
		}
		for tid, ps := range batch {
			if _, _, err := db.CreateOrders(ctx, tid, ps, true); err != nil {
				return nil, err
			}
		}
	}
	return logins, nil
}

// demoPassword returns a random password that meets the password policy.
func demoPassword() string {
	b := make([]byte, 15)
	rand.Read(b)
	return "Yc-" + base64.RawURLEncoding.EncodeToString(b)
}
