package main

import (
	"flag"
	"fmt"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// Config is the server's configuration, from flags and YUNCANG_* variables
// (flags win). Secrets may also come from *_FILE variables.
type Config struct {
	Addr      string // listen address
	DataDir   string // directory of the embedded database
	DB        string // "" (embedded SQLite in DataDir), sqlite:PATH or postgres://...
	MasterKey string // key ring "id:base64,..."; secret
	KeyFile   string // file holding the key ring
	LogLevel  string
}

// bind registers the configuration flags on fs with defaults from env.
func (c *Config) bind(fs *flag.FlagSet, withAddr bool) {
	if withAddr {
		fs.StringVar(&c.Addr, "addr", envOr("YUNCANG_ADDR", "127.0.0.1:8080"), "listen address (YUNCANG_ADDR)")
	}
	fs.StringVar(&c.DataDir, "data", envOr("YUNCANG_DATA", "data"), "data directory for the embedded SQLite database (YUNCANG_DATA)")
	fs.StringVar(&c.DB, "db", os.Getenv("YUNCANG_DB"), "database: empty for SQLite in the data directory, sqlite:PATH, or a postgres:// URL (YUNCANG_DB)")
	fs.StringVar(&c.KeyFile, "master-key-file", os.Getenv("YUNCANG_MASTER_KEY_FILE"), "file holding the master key ring (YUNCANG_MASTER_KEY_FILE); or set YUNCANG_MASTER_KEY")
	fs.StringVar(&c.LogLevel, "log-level", envOr("YUNCANG_LOG_LEVEL", "info"), "log level: debug, info, warn, error (YUNCANG_LOG_LEVEL)")
	c.MasterKey = os.Getenv("YUNCANG_MASTER_KEY")
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// engine returns which database the config names and where.
func (c *Config) engine() (kind, target string) {
	switch {
	case strings.HasPrefix(c.DB, "postgres://"), strings.HasPrefix(c.DB, "postgresql://"):
		return "postgres", c.DB
	case strings.HasPrefix(c.DB, "sqlite:"):
		return "sqlite", strings.TrimPrefix(c.DB, "sqlite:")
	case c.DB == "":
		return "sqlite", filepath.Join(c.DataDir, "yuncang.db")
	}
	return "", c.DB
}

// demoMarker is the file `yuncang demo` writes beside its database: the
// commands that need the master key recognise the demo's database by it.
const demoMarker = "DEMO-DATABASE.txt"

// isDemo reports whether the configured database is the demo's (a SQLite
// file with the demo's marker beside it).
func (c *Config) isDemo() bool {
	kind, target := c.engine()
	if kind != "sqlite" {
		return false
	}
	_, err := os.Stat(filepath.Join(filepath.Dir(target), demoMarker))
	return err == nil
}

// String prints the configuration with secrets redacted.
func (c *Config) String() string {
	kind, target := c.engine()
	if kind == "postgres" {
		if u, err := url.Parse(target); err == nil {
			if _, has := u.User.Password(); has {
				u.User = url.UserPassword(u.User.Username(), "REDACTED")
			}
			target = u.String()
		}
	}
	key := "unset"
	if c.MasterKey != "" {
		key = "set (REDACTED)"
	} else if c.KeyFile != "" {
		key = "file " + c.KeyFile
	}
	return fmt.Sprintf("addr=%s db=%s:%s master_key=%s log_level=%s", c.Addr, kind, target, key, c.LogLevel)
}

// parseTrustedProxies reads YUNCANG_TRUSTED_PROXIES: a comma-separated list
// of addresses or CIDR prefixes of the reverse proxies in front of serve.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("YUNCANG_TRUSTED_PROXIES: %q is neither an address nor a CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
