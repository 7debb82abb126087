package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/httpapi"
)

func init() { registerBench("console", 40, benchConsole) }

// consoleSite is a real server (the whole wiring, console mounted) over a
// SQLite file holding some number of one merchant's orders, with a merchant
// admin's session cookie.
type consoleSite struct {
	m      *Main
	orders int
	cookie string
	client *http.Client
	order  string // the path of an order page
}

// consoleReal is how many of a site's newest orders are real (sealed by
// intake); older ones are raw rows of real sizes (openStoredSQLite), which
// only make the table as large as it would be: the pages measured (first
// pages, cursor pages up to 30 × 50 deep, one order, a merchant order id
// among the real ones) read real rows only.
const consoleReal = 2000

func openConsoleSite(ctx context.Context, o benchOptions, name string, orders int) (*consoleSite, error) {
	master, err := benchMaster()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(o.tmp, name+".db")
	real := min(orders, consoleReal)
	db, t, err := openStoredSQLite(ctx, path, master, orders-real)
	if err != nil {
		return nil, err
	}
	g := demodata.NewGenerator(7)
	inputs := make([]yuncang.OrderInput, real)
	for i := range inputs {
		inputs[i] = g.Order(t.Code)
		inputs[i].MerchantOrderID = fmt.Sprintf("REAL-%08d", i)
	}
	err = intakeBatches(ctx, db, t, inputs, 500)
	db.Close()
	if err != nil {
		return nil, err
	}
	keys, err := ephemeralAuditKeys()
	if err != nil {
		return nil, err
	}
	// The guard would (rightly) suspend an account paging this fast: the
	// figure is the pages' own cost.
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: o.tmp, DB: "sqlite:" + path}, Master: master, AuditKeys: keys, Migrate: true, NoGuard: true,
		Logger: newLogger(os.Stderr, "error")} // a failed page says why
	if err := m.Open(ctx); err != nil {
		return nil, err
	}
	s := &consoleSite{m: m, orders: orders, client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}}
	tok, err := s.session(ctx, t, 0)
	if err != nil {
		m.Close()
		return nil, err
	}
	s.cookie = tok
	body, err := s.get(ctx, "/orders", tok)
	if err != nil {
		m.Close()
		return nil, err
	}
	id := regexp.MustCompile(`href="(/orders/[0-9]+)"`).FindStringSubmatch(body)
	if id == nil {
		m.Close()
		return nil, fmt.Errorf("console bench: no order on the first page")
	}
	s.order = id[1]
	return s, nil
}

// session makes a merchant admin of the tenant with a session (n tells
// several apart) and returns its token.
func (s *consoleSite) session(ctx context.Context, t *yuncang.Tenant, n int) (string, error) {
	u := &yuncang.User{Username: benchUsername("bench-admin-", n), Role: yuncang.RoleMerchantAdmin, TenantID: t.ID}
	if err := s.m.DB.CreateUser(ctx, u, ""); err != nil {
		return "", err
	}
	tok, th := auth.NewToken(false)
	err := s.m.DB.CreateCredential(ctx, &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialConsole, TokenHash: th, ExpiresAt: time.Now().Add(time.Hour)})
	return tok, err
}

// benchUsername names a bench account by n in letters (3 → "d", 12 → "bc"):
// a name with a long run of digits can look like a mobile number, which the
// audit log refuses in an actor's name.
func benchUsername(prefix string, n int) string {
	digits := []byte(strconv.Itoa(n))
	for i, d := range digits {
		digits[i] = 'a' + (d - '0')
	}
	return prefix + string(digits)
}

// get fetches a page with the session cookie and returns its body.
func (s *consoleSite) get(ctx context.Context, path, token string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", s.m.URL()+path, nil)
	req.Header.Set("Cookie", httpapi.SessionCookie+"="+token)
	resp, err := s.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("console bench: GET %s: status %d", path, resp.StatusCode)
	}
	return string(b), err
}

// timePage returns the median time of n sequential loads of path.
func (s *consoleSite) timePage(ctx context.Context, path string, n int) (time.Duration, error) {
	var ds []float64
	for i := 0; i < n; i++ {
		start := time.Now()
		if _, err := s.get(ctx, path, s.cookie); err != nil {
			return 0, err
		}
		ds = append(ds, float64(time.Since(start)))
	}
	return time.Duration(median(ds)), nil
}

// benchConsole measures console pages (real HTTP over loopback, the whole
// server) with --stored orders against 1,000, pages loaded alternately,
// and the order list's p95 under 20 concurrent users on the large store.
func benchConsole(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	small, err := openConsoleSite(ctx, o, "console-small", 1000)
	if err != nil {
		return nil, err
	}
	defer small.m.Close()
	large, err := openConsoleSite(ctx, o, "console-large", o.stored)
	if err != nil {
		return nil, err
	}
	defer large.m.Close()
	pages := []struct{ name, path string }{
		{"orders_list", "/orders"},
		{"orders_list_status", "/orders?status=created"},
		{"orders_list_moid", "/orders?moid=REAL-00000500"},
		{"order_show", ""},
		{"skus", "/skus"},
		{"home", "/"},
	}
	var out []BenchResult
	const loads = 40
	for _, p := range pages {
		var ts, tl []float64
		for r := 0; r < o.rounds; r++ {
			for i, site := range []*consoleSite{small, large} {
				if r%2 == 1 {
					site = []*consoleSite{large, small}[i]
				}
				path := p.path
				if path == "" {
					path = site.order
				}
				d, err := site.timePage(ctx, path, loads)
				if err != nil {
					return nil, err
				}
				if site == small {
					ts = append(ts, float64(d))
				} else {
					tl = append(tl, float64(d))
				}
			}
		}
		sm, lg := median(ts), median(tl)
		out = append(out, BenchResult{Name: "console_" + p.name + "_stored_vs_1000", Value: lg / 1e3, Unit: "µs/page", Baseline: sm / 1e3, Ratio: lg / sm, Target: "<= 1.5",
			Note: fmt.Sprintf("median of %d sequential loads per round, median of %d rounds; %d stored orders (--stored; the newest %d sealed by intake, the rest raw rows of real size) vs 1000; SQLite, whole server over loopback, guard off", loads, o.rounds, o.stored, min(o.stored, consoleReal))})
	}
	p95, p50, n, err := consoleConcurrent(ctx, large, 20, 30)
	if err != nil {
		return nil, err
	}
	single, _, _, err := consoleConcurrent(ctx, large, 1, 30)
	if err != nil {
		return nil, err
	}
	out = append(out, BenchResult{Name: "console_orders_list_p95_20_users", Value: p95 / 1e3, Unit: "µs", Baseline: single / 1e3, Ratio: p95 / single,
		Note: fmt.Sprintf("20 users each paging the order list 30 times (first page, then next pages by cursor) at once, %d loads, p50 %.0f µs; baseline: p95 of one user alone; %d stored orders", n, p50/1e3, o.stored)})
	return out, nil
}

var nextCursor = regexp.MustCompile(`id="next-page" href="([^"]+)"`)

// consoleConcurrent runs users merchant admins of the large site at once,
// each loading the order list pages times (following the next-page link),
// and returns the p95 and p50 load time in nanoseconds.
func consoleConcurrent(ctx context.Context, s *consoleSite, users, pages int) (p95, p50 float64, n int, err error) {
	t, err := s.m.DB.TenantByCode(ctx, "yiwu-goods")
	if err != nil {
		return 0, 0, 0, err
	}
	tokens := make([]string, users)
	for i := range tokens {
		if tokens[i], err = s.session(ctx, t, int(time.Now().UnixNano()%1e9)*100+i); err != nil {
			return 0, 0, 0, err
		}
	}
	var mu sync.Mutex
	var ds []float64
	var first error
	var wg sync.WaitGroup
	for _, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := "/orders"
			for i := 0; i < pages; i++ {
				start := time.Now()
				body, err := s.get(ctx, path, tok)
				d := float64(time.Since(start))
				mu.Lock()
				ds = append(ds, d)
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
				if err != nil {
					return
				}
				if m := nextCursor.FindStringSubmatch(body); m != nil {
					path = htmlUnescape(m[1])
				} else {
					path = "/orders"
				}
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return 0, 0, 0, first
	}
	sort.Float64s(ds)
	return ds[len(ds)*95/100], ds[len(ds)/2], len(ds), nil
}

func htmlUnescape(s string) string {
	return regexp.MustCompile(`&amp;`).ReplaceAllString(s, "&")
}
