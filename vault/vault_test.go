package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"sync"
	"testing"
)

// memKeys is an in-memory KeyStore; the storage adapters' own
// implementation is exercised by the storetest suite on real databases.
type memKeys struct {
	mu   sync.Mutex
	keys []WrappedKey
}

func (m *memKeys) TenantKeys(_ context.Context, tid int64) ([]WrappedKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []WrappedKey
	for _, k := range m.keys {
		if k.TenantID == tid {
			out = append(out, k)
		}
	}
	return out, nil
}

func (m *memKeys) InsertKey(_ context.Context, k WrappedKey) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, x := range m.keys {
		if x.TenantID == k.TenantID && x.Purpose == k.Purpose && x.Version == k.Version {
			return false, nil
		}
	}
	m.keys = append(m.keys, k)
	return true, nil
}

func (m *memKeys) AllKeys(context.Context) ([]WrappedKey, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]WrappedKey(nil), m.keys...), nil
}

func (m *memKeys) RewrapKey(_ context.Context, k WrappedKey, old string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, x := range m.keys {
		if x.TenantID == k.TenantID && x.Purpose == k.Purpose && x.Version == k.Version && x.MasterKeyID == old {
			m.keys[i] = k
			return true, nil
		}
	}
	return false, nil
}

func ring(t testing.TB, id string) *MasterKeys {
	k := make([]byte, 32)
	rand.Read(k)
	m, err := ParseMasterKeys(id + ":" + base64.StdEncoding.EncodeToString(k))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSealOpenBinding(t *testing.T) {
	ctx := context.Background()
	v := New(ring(t, "m1"), &memKeys{})
	pt := []byte("欧阳娜娜")
	ct, err := v.Seal(ctx, 1, []byte("orders|A|name"), pt)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(ct, pt) {
		t.Fatal("ciphertext contains plaintext")
	}
	if ver, _, err := KeyVersion(ct); err != nil || ver != 1 {
		t.Fatalf("key version = %d, %v", ver, err)
	}
	got, err := v.Open(ctx, 1, []byte("orders|A|name"), ct)
	if err != nil || !bytes.Equal(got, pt) {
		t.Fatalf("open = %q, %v", got, err)
	}
	ct2, _ := v.Seal(ctx, 1, []byte("orders|A|name"), pt)
	if bytes.Equal(ct, ct2) {
		t.Fatal("two seals are equal: nonce reuse")
	}
	// Moved to another field, record or tenant, or tampered: refused.
	tampered := append([]byte(nil), ct...)
	tampered[len(tampered)-1] ^= 1
	for name, try := range map[string]func() ([]byte, error){
		"other field":  func() ([]byte, error) { return v.Open(ctx, 1, []byte("orders|A|phone"), ct) },
		"other record": func() ([]byte, error) { return v.Open(ctx, 1, []byte("orders|B|name"), ct) },
		"other tenant": func() ([]byte, error) { return v.Open(ctx, 2, []byte("orders|A|name"), ct) },
		"tampered":     func() ([]byte, error) { return v.Open(ctx, 1, []byte("orders|A|name"), tampered) },
		"truncated":    func() ([]byte, error) { return v.Open(ctx, 1, []byte("orders|A|name"), ct[:10]) },
		"empty":        func() ([]byte, error) { return v.Open(ctx, 1, nil, nil) },
	} {
		if _, err := try(); !errors.Is(err, ErrDecrypt) {
			t.Errorf("%s: err = %v, want ErrDecrypt", name, err)
		}
	}
}

func TestBlindIndexAndFingerprint(t *testing.T) {
	ctx := context.Background()
	v := New(ring(t, "m1"), &memKeys{})
	a, _ := v.BlindIndex(ctx, 1, "phone", "13812345678")
	b, _ := v.BlindIndex(ctx, 1, "phone", "13812345678")
	c, _ := v.BlindIndex(ctx, 2, "phone", "13812345678")
	d, _ := v.BlindIndex(ctx, 1, "phone", "13812345679")
	if !bytes.Equal(a, b) || bytes.Equal(a, c) || bytes.Equal(a, d) || len(a) != 16 {
		t.Fatal("blind index must be deterministic per tenant and differ across tenants and values")
	}
	f1, _ := v.Fingerprint(ctx, 1, []byte("x"))
	f2, _ := v.Fingerprint(ctx, 1, []byte("y"))
	if bytes.Equal(f1, f2) || len(f1) != 32 {
		t.Fatal("fingerprints collide")
	}
	// A second vault over the same store (another server) agrees.
	store := &memKeys{}
	m := ring(t, "m1")
	v1, v2 := New(m, store), New(m, store)
	i1, _ := v1.BlindIndex(ctx, 9, "phone", "1")
	i2, _ := v2.BlindIndex(ctx, 9, "phone", "1")
	if !bytes.Equal(i1, i2) {
		t.Fatal("two processes derived different index keys")
	}
}

func TestRotation(t *testing.T) {
	ctx := context.Background()
	store := &memKeys{}
	m1 := ring(t, "m1")
	v := New(m1, store)
	old, _ := v.Seal(ctx, 1, nil, []byte("v1 data"))
	if n, err := v.RotateDataKey(ctx, 1); err != nil || n != 2 {
		t.Fatalf("rotate data key = %d, %v", n, err)
	}
	fresh, _ := v.Seal(ctx, 1, nil, []byte("v2 data"))
	if ver, _, _ := KeyVersion(fresh); ver != 2 {
		t.Fatalf("new seal uses version %d", ver)
	}
	// Another process that cached v1 can still open v2 ciphertexts.
	other := New(m1, store)
	if _, err := other.Open(ctx, 1, nil, old); err != nil {
		t.Fatal(err)
	}

	m2 := ring(t, "m2")
	v2 := New(m2.With(m1), store)
	if n, err := v2.RewrapAll(ctx); err != nil || n != 4 { // data v1, v2, index, fingerprint
		t.Fatalf("rewrap = %d, %v", n, err)
	}
	only2 := New(m2, store)
	for _, ct := range [][]byte{old, fresh} {
		if _, err := only2.Open(ctx, 1, nil, ct); err != nil {
			t.Fatalf("after rewrap: %v", err)
		}
	}
	if _, err := New(m1, store).Open(ctx, 1, nil, old); err == nil {
		t.Fatal("the retired master key still unwraps")
	}
}

func TestParseMasterKeys(t *testing.T) {
	k := base64.StdEncoding.EncodeToString(make([]byte, 32))
	m, err := ParseMasterKeys("new:" + k + ", old:" + k)
	if err != nil || m.ActiveID() != "new" || len(m.IDs()) != 2 {
		t.Fatalf("ring = %v, %v", m, err)
	}
	for _, bad := range []string{"", "nokey", "a:notbase64!!", "a:" + base64.StdEncoding.EncodeToString(make([]byte, 16)), "a:" + k + ",a:" + k} {
		if _, err := ParseMasterKeys(bad); err == nil {
			t.Errorf("accepted %q", bad)
		} else if bytes.Contains([]byte(err.Error()), []byte(k)) {
			t.Errorf("error echoes key material")
		}
	}
}
