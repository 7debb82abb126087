package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/vault"
)

func init() { registerBench("authz", 20, benchAuthz) }

// benchAuthz measures the cost of authentication and authorization per
// request: an authenticated no-op (GET /api/v1/session with a session
// token: credential lookup, account state, role, scope, shift) against an
// unauthenticated no-op (GET /api/v1/ping) on the same server, over real
// loopback HTTP with keep-alive, in the same run.
func benchAuthz(ctx context.Context, o benchOptions) ([]BenchResult, error) {
	master, err := vault.ParseMasterKeys("bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	if err != nil {
		return nil, err
	}
	keys, err := ephemeralAuditKeys()
	if err != nil {
		return nil, err
	}
	m := &Main{Config: Config{Addr: "127.0.0.1:0", DataDir: o.tmp, DB: "sqlite:" + filepath.Join(o.tmp, "authz.db")}, Master: master, AuditKeys: keys, Migrate: true}
	if err := m.Open(ctx); err != nil {
		return nil, err
	}
	defer m.Close()
	u := &yuncang.User{Username: "bench-op", Role: yuncang.RoleCustomerService}
	if err := m.DB.CreateUser(ctx, u, ""); err != nil {
		return nil, err
	}
	tok, th := auth.NewToken(false)
	if err := m.DB.CreateCredential(ctx, &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialSession, TokenHash: th, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		return nil, err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	const workers = 4
	n := 4000
	run := func(path, token string) (float64, error) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		var firstErr error
		start := time.Now()
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < n/workers; i++ {
					req, _ := http.NewRequestWithContext(ctx, "GET", m.URL()+path, nil)
					if token != "" {
						req.Header.Set("Authorization", "Bearer "+token)
					}
					resp, err := client.Do(req)
					if err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusNoContent {
							err = fmt.Errorf("%s: status %d", path, resp.StatusCode)
						}
					}
					if err != nil {
						mu.Lock()
						if firstErr == nil {
							firstErr = err
						}
						mu.Unlock()
						return
					}
				}
			}()
		}
		wg.Wait()
		return float64(n) / time.Since(start).Seconds(), firstErr
	}
	if _, err := run("/api/v1/ping", ""); err != nil { // warm up connections
		return nil, err
	}
	bestPing, bestAuth := 0.0, 0.0
	for r := 0; r < o.rounds; r++ {
		p, err := run("/api/v1/ping", "")
		if err != nil {
			return nil, err
		}
		a, err := run("/api/v1/session", tok)
		if err != nil {
			return nil, err
		}
		bestPing, bestAuth = max(bestPing, p), max(bestAuth, a)
	}
	perReq := (1/bestAuth - 1/bestPing) * 1e6
	return []BenchResult{{Name: "authz_requests_per_s", Value: bestAuth, Unit: "req/s", Baseline: bestPing, Ratio: bestAuth / bestPing,
		Note: fmt.Sprintf("authenticated no-op vs unauthenticated no-op, %d requests × %d workers over loopback, best of %d; authorization adds ≈%.0f µs per request",
			n/workers, workers, o.rounds, perReq)}}, nil
}
