package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/yuncang/yuncang/auth"
	"github.com/yuncang/yuncang/guard"
)

// testSharedLimits: two connection pools on one database (two servers)
// share the guard's windows and the login lockout exactly: the night rule
// lets 3 accesses through in all, not 3 per server, even when both servers
// see the account at the same moment, and a reopened store (a restarted
// server) forgets nothing.
func testSharedLimits(t *testing.T, h Harness) {
	ctx := context.Background()
	master := NewMasterKeys(t, "k")
	a, b := h.Open(t, "limits", master), h.Open(t, "limits", master)
	cfg := guard.DefaultConfig()
	engines := []*guard.Engine{guard.New(cfg, a), guard.New(cfg, b)}
	night := time.Date(2026, 11, 30, 23, 0, 0, 0, cfg.Zone)
	act := func(i int) guard.Activity {
		return guard.Activity{At: night.Add(time.Duration(i) * time.Second), ActorID: 42, ActorTenantID: 7, TenantID: 7, Role: "customer_service",
			Kind: guard.KindReveal, Targets: []string{fmt.Sprintf("order:%d", 1000+i*37)}}
	}
	var mu sync.Mutex
	counts := map[guard.Severity]int{}
	var wg sync.WaitGroup
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := engines[i%2].Observe(ctx, act(i), guard.Baseline{PeerDaily: 10})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			counts[d.Max()]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if counts[guard.StepUp] != 3 || counts[guard.Suspend] != 3 {
		t.Fatalf("6 night reveals at once over two servers: %d allowed with step-up, %d suspended; want 3 and 3", counts[guard.StepUp], counts[guard.Suspend])
	}
	// Restart: a new pool and engine see the same night.
	c := h.Open(t, "limits", master)
	if d, err := guard.New(cfg, c).Observe(ctx, act(7), guard.Baseline{PeerDaily: 10}); err != nil || d.Max() != guard.Suspend {
		t.Fatalf("after a restart: %v %v", d.Max(), err)
	}
	// Forgetting (a supervisor's re-enable) starts the night afresh.
	if err := engines[1].Forget(ctx, 7, 42); err != nil {
		t.Fatal(err)
	}
	if d, err := engines[0].Observe(ctx, act(8), guard.Baseline{PeerDaily: 10}); err != nil || d.Max() != guard.StepUp {
		t.Fatalf("after forgetting: %v %v", d.Max(), err)
	}

	// Phone searches: a merchant's cap holds over all its accounts and servers.
	cfg.TenantPhoneSearches = 5
	engines = []*guard.Engine{guard.New(cfg, a), guard.New(cfg, b)}
	refused := 0
	for i := 0; i < 8; i++ {
		d, err := engines[i%2].Observe(ctx, guard.Activity{At: night.Add(time.Duration(i) * time.Second), ActorID: int64(100 + i), ActorTenantID: 9, TenantID: 9,
			Role: "merchant_staff", Kind: guard.KindPhoneSearch}, guard.Baseline{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Max() == guard.Refuse {
			refused++
		}
	}
	if refused != 3 {
		t.Fatalf("8 phone searches by 8 accounts of one merchant, cap 5: %d refused", refused)
	}

	// Login lockout: failures counted through either pool, kept over a reopen.
	la, lb := auth.DefaultLockout(a), auth.DefaultLockout(b)
	t0 := night
	for i := 0; i < 5; i++ {
		l := la
		if i%2 == 1 {
			l = lb
		}
		if why, err := l.Check(ctx, "op", "10.0.0.1", t0); err != nil || why != "" {
			t.Fatalf("locked (%q, %v) after %d failures", why, err, i)
		}
		if err := l.Fail(ctx, "op", "10.0.0.1", t0.Add(time.Duration(i)*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []*auth.Lockout{la, lb, auth.DefaultLockout(c)} {
		if why, err := l.Check(ctx, "op", "10.0.0.1", t0.Add(10*time.Second)); err != nil || why != auth.LockedAccount {
			t.Fatalf("after 5 failures over two pools: %q %v", why, err)
		}
	}
	if why, _ := lb.Check(ctx, "op", "10.0.0.2", t0.Add(10*time.Second)); why != "" {
		t.Fatalf("another address is locked out of the account after 5: %q", why)
	}
	if why, _ := la.Check(ctx, "op", "10.0.0.1", t0.Add(16*time.Minute)); why != "" {
		t.Fatalf("still locked after the window: %q", why)
	}
	if err := lb.Succeed(ctx, "op", "10.0.0.1"); err != nil {
		t.Fatal(err)
	}
}
