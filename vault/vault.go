package vault

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"sync"
	"time"
)

// formatV1 is the first byte of every ciphertext this package writes.
const formatV1 = 0x01

// ErrDecrypt is returned when a ciphertext cannot be authenticated: wrong
// tenant, wrong field, tampered bytes or a missing key.
var ErrDecrypt = errors.New("vault: ciphertext cannot be decrypted")

// Vault seals and opens personal data with per-tenant keys.
type Vault struct {
	master *MasterKeys
	store  KeyStore
	now    func() time.Time

	mu      sync.RWMutex
	tenants map[int64]*tenantKeys
	byID    map[int64]*bucketEntry    // retention bucket keys by id
	byDay   map[[2]int64]*bucketEntry // and by (tenant, day)
	orders  orderKeyCache             // unwrapped order keys
}

// tenantKeys is one tenant's unwrapped keys, cached in memory.
type tenantKeys struct {
	data        map[int]cipher.AEAD // by version
	dataActive  int
	index       *sync.Pool // of HMAC-SHA256 hashes keyed with the index key
	fingerprint *sync.Pool // of HMAC-SHA256 hashes keyed with the fingerprint key
}

func hmacPool(key []byte) *sync.Pool {
	return &sync.Pool{New: func() any { return hmac.New(sha256.New, key) }}
}

// New returns a vault that keeps its wrapped keys in store.
func New(master *MasterKeys, store KeyStore) *Vault {
	return &Vault{master: master, store: store, now: time.Now, tenants: map[int64]*tenantKeys{}}
}

// EnsureTenant creates the tenant's keys if they do not exist yet. Storage
// calls it when a tenant is created, outside any write transaction.
func (v *Vault) EnsureTenant(ctx context.Context, tenantID int64) error {
	_, err := v.keys(ctx, tenantID)
	return err
}

// keys returns the tenant's unwrapped keys, loading or creating them.
func (v *Vault) keys(ctx context.Context, tenantID int64) (*tenantKeys, error) {
	v.mu.RLock()
	tk := v.tenants[tenantID]
	v.mu.RUnlock()
	if tk != nil {
		return tk, nil
	}
	tk, err := v.load(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if tk.dataActive == 0 || tk.index == nil || tk.fingerprint == nil {
		// First use: create what is missing. Racing creators are resolved by
		// the store's uniqueness; the loser reloads the winner's keys.
		for _, p := range []string{PurposeData, PurposeIndex, PurposeFingerprint} {
			if err := v.createKey(ctx, tenantID, p, 1); err != nil {
				return nil, err
			}
		}
		if tk, err = v.load(ctx, tenantID); err != nil {
			return nil, err
		}
	}
	v.mu.Lock()
	v.tenants[tenantID] = tk
	v.mu.Unlock()
	return tk, nil
}

func (v *Vault) load(ctx context.Context, tenantID int64) (*tenantKeys, error) {
	wks, err := v.store.TenantKeys(ctx, tenantID)
	if err != nil {
		return nil, fmt.Errorf("vault: load keys: %w", err)
	}
	tk := &tenantKeys{data: map[int]cipher.AEAD{}}
	for _, wk := range wks {
		raw, err := v.unwrap(wk)
		if err != nil {
			return nil, err
		}
		switch wk.Purpose {
		case PurposeData:
			aead, err := newGCM(raw)
			if err != nil {
				return nil, err
			}
			tk.data[wk.Version] = aead
			if wk.Version > tk.dataActive {
				tk.dataActive = wk.Version
			}
		case PurposeIndex:
			tk.index = hmacPool(raw)
		case PurposeFingerprint:
			tk.fingerprint = hmacPool(raw)
		}
	}
	return tk, nil
}

func (v *Vault) createKey(ctx context.Context, tenantID int64, purpose string, version int) error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	wk := WrappedKey{TenantID: tenantID, Purpose: purpose, Version: version, CreatedAt: v.now()}
	if err := v.wrap(&wk, raw); err != nil {
		return err
	}
	if _, err := v.store.InsertKey(ctx, wk); err != nil {
		return fmt.Errorf("vault: store key: %w", err)
	}
	return nil
}

// RotateDataKey adds a new data-key version for the tenant; new ciphertexts
// use it, old ones keep opening with the version they name.
func (v *Vault) RotateDataKey(ctx context.Context, tenantID int64) (int, error) {
	tk, err := v.keys(ctx, tenantID)
	if err != nil {
		return 0, err
	}
	next := tk.dataActive + 1
	if err := v.createKey(ctx, tenantID, PurposeData, next); err != nil {
		return 0, err
	}
	v.Forget(tenantID)
	return next, nil
}

// Forget drops a tenant's cached keys so they are reloaded from storage.
func (v *Vault) Forget(tenantID int64) {
	v.mu.Lock()
	delete(v.tenants, tenantID)
	v.mu.Unlock()
}

// RewrapAll rewraps every tenant key that is not wrapped by the active master
// key. It is safe to run while servers are serving: data keys do not change,
// only their wrapping, and each key is replaced atomically.
func (v *Vault) RewrapAll(ctx context.Context) (rewrapped int, err error) {
	wks, err := v.store.AllKeys(ctx)
	if err != nil {
		return 0, fmt.Errorf("vault: list keys: %w", err)
	}
	for _, wk := range wks {
		if wk.MasterKeyID == v.master.active {
			continue
		}
		raw, err := v.unwrap(wk)
		if err != nil {
			return rewrapped, err
		}
		old := wk.MasterKeyID
		if err := v.wrap(&wk, raw); err != nil {
			return rewrapped, err
		}
		ok, err := v.store.RewrapKey(ctx, wk, old)
		if err != nil {
			return rewrapped, fmt.Errorf("vault: rewrap: %w", err)
		}
		if ok {
			rewrapped++
		}
	}
	return rewrapped, nil
}

// wrapAAD binds a wrapped key to its tenant, purpose and version so that a
// wrapped key copied to another row does not unwrap.
func wrapAAD(wk *WrappedKey) []byte {
	return fmt.Appendf(nil, "yuncang/wrap/v1|%d|%s|%d", wk.TenantID, wk.Purpose, wk.Version)
}

func (v *Vault) wrap(wk *WrappedKey, raw []byte) error {
	if v.master == nil {
		return errors.New("vault: no master key ring configured")
	}
	aead, err := newGCM(v.master.keys[v.master.active])
	if err != nil {
		return err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	wk.MasterKeyID = v.master.active
	wk.Wrapped = aead.Seal(nonce, nonce, raw, wrapAAD(wk))
	return nil
}

// keyOwner names whose key a wrapped key is in an error: a merchant's
// (tenant N) or, for tenant id 0, the platform's own (the scope of platform
// secrets such as carrier webhook secrets and the label token key), which
// an operator would not find among the merchants.
func keyOwner(tenantID int64) string {
	if tenantID == 0 {
		return "the platform's own (tenant 0: carrier webhook secrets, label token key)"
	}
	return fmt.Sprintf("tenant %d", tenantID)
}

func (v *Vault) unwrap(wk WrappedKey) ([]byte, error) {
	if v.master == nil {
		return nil, errors.New("vault: no master key ring configured")
	}
	mk, ok := v.master.keys[wk.MasterKeyID]
	if !ok {
		return nil, fmt.Errorf("vault: master key %q is not configured", wk.MasterKeyID)
	}
	aead, err := newGCM(mk)
	if err != nil {
		return nil, err
	}
	ns := aead.NonceSize()
	if len(wk.Wrapped) < ns {
		return nil, errors.New("vault: wrapped key is truncated")
	}
	raw, err := aead.Open(nil, wk.Wrapped[:ns], wk.Wrapped[ns:], wrapAAD(&wk))
	if err != nil {
		return nil, fmt.Errorf("vault: %s %s key v%d does not unwrap with master key %q", keyOwner(wk.TenantID), wk.Purpose, wk.Version, wk.MasterKeyID)
	}
	return raw, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plaintext for a tenant. aad binds the ciphertext to its place
// (e.g. table, field and record key) so it cannot be moved elsewhere. The
// result is: format byte, data-key version (uvarint), nonce, sealed bytes.
func (v *Vault) Seal(ctx context.Context, tenantID int64, aad, plaintext []byte) ([]byte, error) {
	tk, err := v.keys(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	aead := tk.data[tk.dataActive]
	out := make([]byte, 0, 1+binary.MaxVarintLen32+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out = append(out, formatV1)
	out = binary.AppendUvarint(out, uint64(tk.dataActive))
	nonceAt := len(out)
	out = out[:nonceAt+aead.NonceSize()]
	if _, err := rand.Read(out[nonceAt:]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[nonceAt:], plaintext, sealAAD(tenantID, aad)), nil
}

// Open decrypts a ciphertext written by Seal for the same tenant and aad.
func (v *Vault) Open(ctx context.Context, tenantID int64, aad, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) > 0 && ciphertext[0] == formatV2 {
		return v.openBucket(ctx, tenantID, aad, ciphertext)
	}
	if len(ciphertext) > 0 && ciphertext[0] == formatV3 {
		return v.openOrder(ctx, tenantID, aad, ciphertext)
	}
	version, rest, err := KeyVersion(ciphertext)
	if err != nil {
		return nil, err
	}
	tk, err := v.keys(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	aead, ok := tk.data[version]
	if !ok {
		// A version written by another process after we cached: reload once.
		v.Forget(tenantID)
		if tk, err = v.keys(ctx, tenantID); err != nil {
			return nil, err
		}
		if aead, ok = tk.data[version]; !ok {
			return nil, ErrDecrypt
		}
	}
	ns := aead.NonceSize()
	if len(rest) < ns+aead.Overhead() {
		return nil, ErrDecrypt
	}
	pt, err := aead.Open(nil, rest[:ns], rest[ns:], sealAAD(tenantID, aad))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// KeyVersion returns the data-key version a ciphertext names and the bytes
// after the header.
func KeyVersion(ciphertext []byte) (int, []byte, error) {
	if len(ciphertext) < 2 || ciphertext[0] != formatV1 {
		return 0, nil, ErrDecrypt
	}
	ver, n := binary.Uvarint(ciphertext[1:])
	if n <= 0 || ver == 0 || ver > 1<<31 {
		return 0, nil, ErrDecrypt
	}
	return int(ver), ciphertext[1+n:], nil
}

func sealAAD(tenantID int64, aad []byte) []byte {
	b := fmt.Appendf(nil, "yuncang/pi/v1|%d|", tenantID)
	return append(b, aad...)
}

// BlindIndex returns a keyed hash of a normalised value (e.g. canonical phone
// digits) for exact-match search. Without the tenant's index key it cannot be
// reversed by hashing every phone number.
func (v *Vault) BlindIndex(ctx context.Context, tenantID int64, kind, normalised string) ([]byte, error) {
	tk, err := v.keys(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return keyedHash(tk.index, kind, []byte(normalised))[:16], nil
}

// Fingerprint returns a keyed hash of content, used to compare resubmitted
// orders without storing a reversible digest of personal data.
func (v *Vault) Fingerprint(ctx context.Context, tenantID int64, content []byte) ([]byte, error) {
	tk, err := v.keys(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	return keyedHash(tk.fingerprint, "content", content), nil
}

func keyedHash(pool *sync.Pool, kind string, data []byte) []byte {
	h := pool.Get().(hash.Hash)
	h.Reset()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(data)
	sum := h.Sum(nil)
	pool.Put(h)
	return sum
}
