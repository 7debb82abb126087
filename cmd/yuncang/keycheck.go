package main

import (
	"context"
	"sync"
	"time"

	"github.com/yuncang/yuncang/vault"
)

// keyCheck is the readiness half of the master key check: another node may
// create tenants after this one started, so a ring that unwrapped every key at
// start can stop doing so. /healthz is public, so the result is reused for a
// few seconds rather than unwrapping every key on every probe.
type keyCheck struct {
	vault *vault.Vault
	mu    sync.Mutex
	at    time.Time
	err   error
}

const keyCheckTTL = 15 * time.Second

func (k *keyCheck) check(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.at.IsZero() && time.Since(k.at) < keyCheckTTL {
		return k.err
	}
	_, k.err = k.vault.CheckKeys(ctx)
	k.at = time.Now()
	return k.err
}
