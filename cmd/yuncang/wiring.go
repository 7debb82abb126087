package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/audit"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/httpapi"
	"github.com/yuncang/yuncang/postgres"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/sqlstore"
	"github.com/yuncang/yuncang/vault"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// openStore opens the configured database with the master keys. With
// migrate it applies pending migrations; without, it refuses an out-of-date
// schema.
func openStore(ctx context.Context, c *Config, master *vault.MasterKeys, migrate bool) (*sqlstore.DB, error) {
	kind, target := c.engine()
	var db *sqlstore.DB
	var ms []sqlstore.Migration
	var err error
	switch kind {
	case "sqlite":
		db, err = sqlite.Open(target, master)
		ms = sqlite.Migrations()
	case "postgres":
		db, err = postgres.Open(target, master)
		ms = postgres.Migrations()
	default:
		return nil, errors.New("--db must be empty, sqlite:PATH or a postgres:// URL")
	}
	if err != nil {
		return nil, err
	}
	if migrate {
		_, err = db.Migrate(ctx, ms)
	} else {
		err = db.CheckSchema(ctx, ms)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openConfigured loads the master keys named by the configuration and opens
// its database; the commands that work on the database directly use it.
func openConfigured(ctx context.Context, c *Config, migrate bool) (*sqlstore.DB, *vault.MasterKeys, error) {
	master, err := masterKeys(c)
	if err != nil {
		return nil, nil, err
	}
	db, err := openStore(ctx, c, master, migrate)
	return db, master, err
}

// openTenant opens the configured database and looks up a merchant by code,
// for the commands that work on one merchant's data.
func openTenant(ctx context.Context, c *Config, code string) (*sqlstore.DB, *yuncang.Tenant, error) {
	db, _, err := openConfigured(ctx, c, false)
	if err != nil {
		return nil, nil, err
	}
	t, err := db.TenantByCode(ctx, code)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("tenant %q: %s", code, yuncang.ErrorMessage(err))
	}
	return db, t, nil
}

// tenantByCode finds the merchant a flag names; an unknown code is named in
// the error ("--tenant: no merchant with code \"nope\"").
func tenantByCode(ctx context.Context, db *sqlstore.DB, flag, code string) (*yuncang.Tenant, error) {
	t, err := db.TenantByCode(ctx, code)
	switch {
	case yuncang.ErrorCode(err) == yuncang.ENOTFOUND:
		return nil, fmt.Errorf("--%s: no merchant with code %q", flag, code)
	case err != nil:
		return nil, fmt.Errorf("--%s %q: %w", flag, code, err)
	}
	return t, nil
}

func masterKeys(c *Config) (*vault.MasterKeys, error) {
	mk, err := vault.LoadMasterKeys(c.MasterKey, c.KeyFile)
	if err != nil && c.MasterKey == "" && c.KeyFile == "" && c.isDemo() {
		return nil, errors.New("no master key: this is the demo's database, and the demo keeps its master key only in the running demo's memory (a new one each run), so no other command can open it; use the running demo's API or console instead")
	}
	return mk, err
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l, ReplaceAttr: readableDuration}))
}

// readableDuration logs a time.Duration as "4s" or "18.789908ms", not as
// its nanoseconds (4000000000).
func readableDuration(_ []string, a slog.Attr) slog.Attr {
	if a.Value.Kind() == slog.KindDuration {
		a.Value = slog.StringValue(a.Value.Duration().String())
	}
	return a
}

// Main is a running server: the real wiring, so end-to-end tests can start
// it on 127.0.0.1:0 with a temporary database.
type Main struct {
	Config Config
	Logger *slog.Logger
	Master *vault.MasterKeys // if nil, loaded from Config
	// Migrate applies pending migrations at start instead of refusing.
	Migrate bool
	// Now replaces the clock (tests drive time instead of sleeping).
	Now func() time.Time
	// AuditKeys sign checkpoints; if nil, loaded from the environment.
	AuditKeys *auditKeys
	// Checkpoints signs and publishes audit checkpoints while serving.
	Checkpoints *checkpointer
	// InspectionSigner signs special inspection reports; if nil, read from
	// YUNCANG_INSPECTION_SIGNER_KEY(_FILE) when set (inspections over the
	// API answer that no key is configured otherwise).
	InspectionSigner note.Signer
	// Guard watches access to personal data (default rules if nil);
	// NoGuard turns it off, for the benchmark that measures its cost.
	Guard    *guard.Engine
	NoGuard  bool
	Notifier *guard.Notifier

	DB     *sqlstore.DB
	API    *httpapi.Server
	Auth   *auth.Authenticator
	ln     net.Listener
	server *http.Server
	done   chan error
	stop   chan struct{}
	loops  sync.WaitGroup
}

// sweepInterval is how often expired and inactive accounts are disabled in
// storage. Expiry is also enforced on every request, so this only keeps the
// account list and the security events truthful.
const sweepInterval = 10 * time.Minute

func (m *Main) sweepLoop(stop chan struct{}) {
	defer m.loops.Done()
	t := time.NewTicker(sweepInterval)
	defer t.Stop()
	for {
		if _, err := sweepAccounts(context.Background(), m.DB, m.Auth); err != nil {
			m.Logger.Error("account sweep", "err", err.Error())
		}
		// Virtual numbers past delivery + N days: erase the real phones.
		if _, err := m.DB.ReleaseExpiredBindings(context.Background()); err != nil {
			m.Logger.Error("virtual number sweep", "err", err.Error())
		}
		// Sealed print jobs nobody printed in time: erase the ciphertext
		// (gateways are never handed an expired job in the meantime).
		if _, err := m.DB.ExpirePrintJobs(context.Background(), m.Auth.Now()); err != nil {
			m.Logger.Error("print job sweep", "err", err.Error())
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

func (m *Main) checkpointLoop(stop chan struct{}) {
	defer m.loops.Done()
	t := time.NewTicker(checkpointInterval())
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			if _, _, err := m.Checkpoints.once(context.Background()); err != nil {
				m.Logger.Error("audit checkpoint", "err", err.Error())
			}
		}
	}
}

// sweepAccounts disables accounts past their end date or unused for the
// inactivity period and records an expiry event for each.
func sweepAccounts(ctx context.Context, db *sqlstore.DB, a *auth.Authenticator) ([]*yuncang.User, error) {
	now := a.Now()
	return db.DisableExpired(ctx, now, now.Add(-a.Policy.Inactivity))
}

// Open opens the database and starts serving.
func (m *Main) Open(ctx context.Context) error {
	if m.Logger == nil {
		m.Logger = slog.New(slog.DiscardHandler)
	}
	every, err := retentionInterval()
	if err != nil {
		return err
	}
	if _, err := auditRetentionDays(); err != nil {
		return err
	}
	if m.Master == nil {
		mk, err := masterKeys(&m.Config)
		if err != nil {
			return err
		}
		m.Master = mk
	}
	if m.AuditKeys == nil {
		k, err := loadAuditKeys(true)
		if err != nil {
			return err
		}
		m.AuditKeys = k
	}
	if m.InspectionSigner == nil {
		s, err := loadInspectionSigner(false)
		if err != nil {
			return err
		}
		m.InspectionSigner = s
	}
	db, err := openStore(ctx, &m.Config, m.Master, m.Migrate)
	if err != nil {
		return err
	}
	m.DB = db
	// A wrong master key ring would start, answer /healthz and fail every
	// request that touches personal data: refuse to start instead.
	if _, err := db.Vault().CheckKeys(ctx); err != nil {
		db.Close()
		return fmt.Errorf("refusing to start: %w", err)
	}
	keysReady := &keyCheck{vault: db.Vault()}
	m.Auth = auth.New(db, db.Vault())
	if m.Now != nil {
		m.Auth.Now = m.Now
		db.SetNow(m.Now)
	}
	m.Checkpoints = &checkpointer{db: db, keys: m.AuditKeys, pub: audit.DirPublisher{Dir: publishDir(&m.Config)}, now: m.Auth.Now}
	// A log that does not extend the last signed checkpoint has been
	// rewritten, or restored and not yet resumed: every record this server
	// appended would sit in a history no checkpoint can sign again (reveals
	// recorded where nobody can prove them). Refuse to start; a checkpoint
	// that merely could not be published is logged and retried.
	if _, _, err := m.Checkpoints.once(ctx); err != nil {
		var diverged *divergedError
		if errors.As(err, &diverged) {
			db.Close()
			return fmt.Errorf("refusing to start: %w", err)
		}
		m.Logger.Error("audit checkpoint", "err", err.Error())
	}
	if m.Guard == nil && !m.NoGuard {
		m.Guard = guard.New(guard.DefaultConfig(), db)
	}
	if m.Notifier == nil {
		n, err := alertNotifier(m.Logger, m.Auth.Now)
		if err != nil {
			db.Close()
			return err
		}
		m.Notifier = n
	}
	m.API = httpapi.New(httpapi.Config{
		Store: db, Auth: m.Auth, Logger: m.Logger, Version: version, AuditVerifierKey: m.AuditKeys.vkey, Guard: m.Guard, Notifier: m.Notifier,
		InspectionSigner: m.InspectionSigner, ReportFont: os.Getenv("YUNCANG_LABEL_FONT"),
		Checkpoint: func(ctx context.Context) ([]byte, error) {
			cp, _, err := m.Checkpoints.once(ctx)
			return cp.Note, err
		},
		Ready: func() error {
			c, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if err := db.Ping(c); err != nil {
				return err
			}
			return keysReady.check(c)
		},
	})
	m.API.ConfigureLabels(os.Getenv("YUNCANG_LABEL_FONT"), 0)
	if m.API.DataRequestDueDays, err = dataRequestDueDays(); err != nil {
		db.Close()
		return err
	}
	if err := mountConsole(m); err != nil {
		db.Close()
		return err
	}
	if m.API.TrustedProxies, err = parseTrustedProxies(os.Getenv("YUNCANG_TRUSTED_PROXIES")); err != nil {
		db.Close()
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		db.Close()
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.ln = ln
	m.server = &http.Server{
		Handler:           m.API,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // imports can be 32 MiB on slow links
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.done = make(chan error, 1)
	m.stop = make(chan struct{})
	srv := m.server // Close may clear m.server before this goroutine runs
	go func() { m.done <- srv.Serve(ln) }()
	m.loops.Add(2)
	go m.sweepLoop(m.stop)
	go m.checkpointLoop(m.stop)
	if every > 0 {
		m.loops.Add(1)
		go m.retentionLoop(m.stop, every)
	}
	m.Logger.Info("serving", "url", m.URL(), "config", m.Config.String(), "version", version)
	return nil
}

// URL is the base URL the server listens on.
func (m *Main) URL() string { return "http://" + m.ln.Addr().String() }

// Close stops serving, letting requests in flight finish, stops the
// background loops, signs a last audit checkpoint so a clean stop leaves no
// unwitnessed tail, and closes the database.
func (m *Main) Close() error {
	var err error
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err = m.server.Shutdown(ctx)
		cancel()
		m.server = nil
	}
	if m.stop != nil {
		close(m.stop)
		m.stop = nil
		m.loops.Wait()
	}
	m.Notifier.Wait()
	if m.Checkpoints != nil && m.DB != nil {
		if _, _, cerr := m.Checkpoints.once(context.Background()); cerr != nil {
			m.Logger.Error("audit checkpoint", "err", cerr.Error())
		}
	}
	if m.DB != nil {
		if e := m.DB.Close(); err == nil {
			err = e
		}
		m.DB = nil
	}
	return err
}

// Wait blocks until ctx is done or the server fails.
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-m.done:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	}
}
