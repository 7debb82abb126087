package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/yuncang/yuncang"
)

// testSecurityKeys: keys are stored per account, a credential id only once,
// the sign count advances, removal is per account, and adding and removing
// are audited in the same transaction.
func testSecurityKeys(t *testing.T, h Harness) {
	w := newWorld(t, h, "securitykeys")
	ctx := context.Background()
	alice := &yuncang.User{Username: "alice-keys", Role: yuncang.RoleCustomerService}
	bob := &yuncang.User{Username: "bob-keys", Role: yuncang.RoleCustomerService}
	must(t, w.db.CreateUser(ctx, alice, "h"))
	must(t, w.db.CreateUser(ctx, bob, "h"))
	ev := func(u *yuncang.User, kind string) *yuncang.Event {
		return &yuncang.Event{UserID: u.ID, Username: u.Username, Role: u.Role, Kind: kind, Outcome: yuncang.OutcomeOK, At: w.db.Now()}
	}
	k := &yuncang.SecurityKey{UserID: alice.ID, CredentialID: []byte{1, 2, 3, 4}, PublicKey: []byte("cose-key"), SignCount: 1,
		Transports: []string{"usb", "internal"}, AAGUID: bytes.Repeat([]byte{7}, 16), Flags: 0x1d, Label: "YubiKey"}
	must(t, w.db.AddSecurityKey(ctx, k, ev(alice, yuncang.EventSecurityKeyAdd)))
	wantCode(t, w.db.AddSecurityKey(ctx, &yuncang.SecurityKey{UserID: bob.ID, CredentialID: []byte{1, 2, 3, 4}, PublicKey: []byte("x"), Label: "copy"},
		ev(bob, yuncang.EventSecurityKeyAdd)), yuncang.ECONFLICT)
	keys, err := w.db.SecurityKeys(ctx, alice.ID)
	must(t, err)
	if len(keys) != 1 {
		t.Fatalf("alice's keys = %d, want 1", len(keys))
	}
	got := keys[0]
	if got.ID != k.ID || !bytes.Equal(got.CredentialID, k.CredentialID) || !bytes.Equal(got.PublicKey, k.PublicKey) || got.SignCount != 1 ||
		len(got.Transports) != 2 || got.Transports[1] != "internal" || !bytes.Equal(got.AAGUID, k.AAGUID) || got.Flags != 0x1d ||
		got.Label != "YubiKey" || got.CreatedAt.IsZero() || !got.LastUsedAt.IsZero() {
		t.Fatalf("read back %+v", got)
	}
	if keys, err := w.db.SecurityKeys(ctx, bob.ID); err != nil || len(keys) != 0 {
		t.Fatalf("bob's keys = %d, %v (the refused duplicate must not be stored)", len(keys), err)
	}
	at := w.db.Now().Add(time.Minute).Truncate(time.Microsecond)
	must(t, w.db.UseSecurityKey(ctx, alice.ID, k.ID, 5, at))
	wantCode(t, w.db.UseSecurityKey(ctx, bob.ID, k.ID, 9, at), yuncang.ENOTFOUND)
	keys, _ = w.db.SecurityKeys(ctx, alice.ID)
	if keys[0].SignCount != 5 || !keys[0].LastUsedAt.Equal(at) {
		t.Fatalf("after use: count %d, last used %v; want 5, %v", keys[0].SignCount, keys[0].LastUsedAt, at)
	}
	// Bob cannot remove Alice's key; Alice can, once.
	wantCode(t, w.db.RemoveSecurityKey(ctx, bob.ID, k.ID, ev(bob, yuncang.EventSecurityKeyRemove)), yuncang.ENOTFOUND)
	must(t, w.db.RemoveSecurityKey(ctx, alice.ID, k.ID, ev(alice, yuncang.EventSecurityKeyRemove)))
	wantCode(t, w.db.RemoveSecurityKey(ctx, alice.ID, k.ID, ev(alice, yuncang.EventSecurityKeyRemove)), yuncang.ENOTFOUND)
	if keys, _ := w.db.SecurityKeys(ctx, alice.ID); len(keys) != 0 {
		t.Fatalf("after removal: %d keys", len(keys))
	}
	for kind, want := range map[string]int{yuncang.EventSecurityKeyAdd: 1, yuncang.EventSecurityKeyRemove: 1} {
		evs, err := w.db.Events(ctx, yuncang.EventFilter{Kind: kind})
		must(t, err)
		if len(evs) != want || evs[0].UserID != alice.ID || len(evs[0].Targets) == 0 {
			t.Errorf("%s events = %+v, want %d of alice's with the key as target", kind, evs, want)
		}
	}
}
