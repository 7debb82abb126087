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
