package vault

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// A ring with the right ids but the wrong key material (a typo, the staging
// key) must be caught before serving, and the message must not carry keys.
func TestCheckKeysCatchesWrongRing(t *testing.T) {
	ctx := context.Background()
	store := &memKeys{}
	right := ring(t, "k1")
	v := New(right, store)
	for tid := int64(1); tid <= 3; tid++ {
		if err := v.EnsureTenant(ctx, tid); err != nil {
			t.Fatal(err)
		}
	}
	n, err := New(right, store).CheckKeys(ctx)
	if err != nil || n != 9 {
		t.Fatalf("right ring: checked %d, %v", n, err)
	}
	wrong := ring(t, "k1")
	n, err = New(wrong, store).CheckKeys(ctx)
	if !errors.Is(err, ErrKeyRing) || n != 0 {
		t.Fatalf("wrong ring: checked %d, %v", n, err)
	}
	if !strings.Contains(err.Error(), "9 of 9") || !strings.Contains(err.Error(), `"k1"`) {
		t.Errorf("message should count the failing keys and name the master key id: %v", err)
	}
	for id, k := range wrong.keys {
		if strings.Contains(err.Error(), string(k)) || strings.Contains(err.Error(), id+":") {
			t.Errorf("message carries key material: %v", err)
		}
	}
	// A ring missing the id the keys were wrapped with.
	if _, err := New(ring(t, "k2"), store).CheckKeys(ctx); !errors.Is(err, ErrKeyRing) {
		t.Fatalf("missing id: %v", err)
	}
	// An empty store (a fresh database) is fine with any ring.
	if _, err := New(wrong, &memKeys{}).CheckKeys(ctx); err != nil {
		t.Fatal(err)
	}
	// No ring at all (an auditor's tools open the database without one).
	if _, err := New(nil, store).CheckKeys(ctx); !errors.Is(err, ErrKeyRing) {
		t.Fatalf("nil ring: %v", err)
	}
}

// TestCheckKeysNamesThePlatformKey: the platform's own keys (tenant id 0)
// are named as such when they fail, not as "tenant 0", which no operator
// finds among the merchants.
func TestCheckKeysNamesThePlatformKey(t *testing.T) {
	ctx := context.Background()
	store := &memKeys{}
	if err := New(ring(t, "k1"), store).EnsureTenant(ctx, 0); err != nil {
		t.Fatal(err)
	}
	_, err := New(ring(t, "k1"), store).CheckKeys(ctx)
	if !errors.Is(err, ErrKeyRing) || !strings.Contains(err.Error(), "the platform's own") || strings.Contains(err.Error(), "first: vault: tenant 0 ") {
		t.Fatalf("wrong ring over the platform's key: %v", err)
	}
}
