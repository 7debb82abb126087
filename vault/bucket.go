package vault

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// formatV2 marks a ciphertext sealed with a retention bucket key: format
// byte, bucket key id (uvarint), nonce, sealed bytes.
const formatV2 = 0x02

// ErrErased is returned when a ciphertext names a bucket key that retention
// has destroyed: the data is gone for good (crypto-shredded).
var ErrErased = errors.New("vault: personal data erased by retention")

// BucketTTL bounds how long a process keeps an unwrapped bucket key in
// memory, so a key erased by another process (or by `retention run`) is
// gone from every server within this time.
const BucketTTL = time.Minute

// BucketKey is a retention data key as stored: the AES-256 key for the
// personal data of one tenant's orders taken in on one day, wrapped by the
// tenant's data key. Wrapped is nil once the key is erased.
type BucketKey struct {
	ID          int64
	TenantID    int64
	Day         int // days since 1970-01-01 UTC of the orders' intake
	WrapVersion int // the tenant data-key version that wraps it
	Wrapped     []byte
	CreatedAt   time.Time
}

// BucketStore persists bucket keys. The storage adapters implement it next
// to KeyStore; a store without it gives a vault without buckets.
type BucketStore interface {
	// BucketKeyByID returns a bucket key; Wrapped is nil if it was erased.
	BucketKeyByID(ctx context.Context, id int64) (BucketKey, error)
	// EnsureBucketKey stores k unless the tenant already has a key for
	// k.Day, and returns the stored key (with its id) either way.
	EnsureBucketKey(ctx context.Context, k BucketKey) (BucketKey, error)
	// LiveBucketKeys returns every bucket key not erased.
	LiveBucketKeys(ctx context.Context) ([]BucketKey, error)
}

type bucketEntry struct {
	id     int64
	aead   cipher.AEAD // nil: erased
	loaded time.Time
}

// Day returns the bucket day of a time.
func Day(t time.Time) int { return int(t.UTC().Unix() / 86400) }

// DayStart returns the start of a bucket day.
func DayStart(day int) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }

func (v *Vault) buckets() (BucketStore, error) {
	bs, ok := v.store.(BucketStore)
	if !ok {
		return nil, errors.New("vault: the key store keeps no bucket keys")
	}
	return bs, nil
}

func bucketWrapAAD(tenantID int64, day int) []byte {
	return fmt.Appendf(nil, "yuncang/bucket/v1|%d|%d", tenantID, day)
}

// bucketByDay returns the tenant's bucket key for a day, creating it.
func (v *Vault) bucketByDay(ctx context.Context, tenantID int64, day int) (*bucketEntry, error) {
	k := [2]int64{tenantID, int64(day)}
	v.mu.RLock()
	e := v.byDay[k]
	v.mu.RUnlock()
	if e != nil && v.now().Sub(e.loaded) < BucketTTL {
		if e.aead == nil {
			return nil, ErrErased
		}
		return e, nil
	}
	bs, err := v.buckets()
	if err != nil {
		return nil, err
	}
	tk, err := v.keys(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	ver := tk.dataActive
	nonce := make([]byte, tk.data[ver].NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	bk := BucketKey{TenantID: tenantID, Day: day, WrapVersion: ver, CreatedAt: v.now(),
		Wrapped: tk.data[ver].Seal(nonce, nonce, raw, bucketWrapAAD(tenantID, day))}
	clear(raw)
	stored, err := bs.EnsureBucketKey(ctx, bk)
	if err != nil {
		return nil, fmt.Errorf("vault: store bucket key: %w", err)
	}
	return v.cacheBucket(ctx, stored)
}

// bucketByID returns a bucket key by id, from memory while it is fresh.
func (v *Vault) bucketByID(ctx context.Context, id int64) (*bucketEntry, error) {
	v.mu.RLock()
	e := v.byID[id]
	v.mu.RUnlock()
	if e == nil || v.now().Sub(e.loaded) >= BucketTTL {
		bs, err := v.buckets()
		if err != nil {
			return nil, err
		}
		bk, err := bs.BucketKeyByID(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("vault: load bucket key: %w", err)
		}
		if e, err = v.cacheBucket(ctx, bk); err != nil {
			return nil, err
		}
	}
	if e.aead == nil {
		return nil, ErrErased
	}
	return e, nil
}

func (v *Vault) cacheBucket(ctx context.Context, bk BucketKey) (*bucketEntry, error) {
	e := &bucketEntry{id: bk.ID, loaded: v.now()}
	if bk.Wrapped != nil {
		tk, err := v.keys(ctx, bk.TenantID)
		if err != nil {
			return nil, err
		}
		wrapper, ok := tk.data[bk.WrapVersion]
		if !ok {
			return nil, fmt.Errorf("vault: bucket key %d names tenant data key v%d, which is missing", bk.ID, bk.WrapVersion)
		}
		ns := wrapper.NonceSize()
		if len(bk.Wrapped) < ns {
			return nil, errors.New("vault: wrapped bucket key is truncated")
		}
		raw, err := wrapper.Open(nil, bk.Wrapped[:ns], bk.Wrapped[ns:], bucketWrapAAD(bk.TenantID, bk.Day))
		if err != nil {
			return nil, fmt.Errorf("vault: bucket key %d does not unwrap", bk.ID)
		}
		e.aead, err = newGCM(raw)
		clear(raw)
		if err != nil {
			return nil, err
		}
	}
	v.mu.Lock()
	if v.byID == nil {
		v.byID, v.byDay = map[int64]*bucketEntry{}, map[[2]int64]*bucketEntry{}
	}
	v.byID[bk.ID] = e
	v.byDay[[2]int64{bk.TenantID, int64(bk.Day)}] = e
	v.mu.Unlock()
	if e.aead == nil {
		return nil, ErrErased
	}
	return e, nil
}

// ForgetBucket drops a bucket key from memory (after erasing it).
func (v *Vault) ForgetBucket(id int64) {
	v.mu.Lock()
	for k, e := range v.byDay {
		if e.id == id {
			delete(v.byDay, k)
		}
	}
	delete(v.byID, id)
	v.mu.Unlock()
}

// SealBucket encrypts personal data with the tenant's bucket key of the
// given day and returns the ciphertext and the key's id.
func (v *Vault) SealBucket(ctx context.Context, tenantID int64, day int, aad, plaintext []byte) ([]byte, int64, error) {
	e, err := v.bucketByDay(ctx, tenantID, day)
	if err != nil {
		return nil, 0, err
	}
	ct, err := sealWith(e, tenantID, aad, plaintext)
	return ct, e.id, err
}

func sealWith(e *bucketEntry, tenantID int64, aad, plaintext []byte) ([]byte, error) {
	out := make([]byte, 0, 1+binary.MaxVarintLen64+e.aead.NonceSize()+len(plaintext)+e.aead.Overhead())
	out = append(out, formatV2)
	out = binary.AppendUvarint(out, uint64(e.id))
	nonceAt := len(out)
	out = out[:nonceAt+e.aead.NonceSize()]
	if _, err := rand.Read(out[nonceAt:]); err != nil {
		return nil, err
	}
	return e.aead.Seal(out, out[nonceAt:], plaintext, bucketSealAAD(tenantID, e.id, aad)), nil
}

func bucketSealAAD(tenantID, id int64, aad []byte) []byte {
	b := fmt.Appendf(nil, "yuncang/pi/v2|%d|%d|", tenantID, id)
	return append(b, aad...)
}

// SealLike encrypts plaintext with the key that sealed like: a copy of an
// order's personal data (a carrier binding's phone) then dies with the
// order's bucket. A ciphertext of the tenant key gives a tenant-key one.
func (v *Vault) SealLike(ctx context.Context, tenantID int64, like, aad, plaintext []byte) ([]byte, error) {
	if len(like) > 0 && like[0] == formatV3 {
		return v.sealLikeOrder(ctx, tenantID, like, aad, plaintext)
	}
	id, ok := BucketOf(like)
	if !ok {
		return v.Seal(ctx, tenantID, aad, plaintext)
	}
	e, err := v.bucketByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return sealWith(e, tenantID, aad, plaintext)
}

// BucketOf returns the bucket key id a ciphertext names, if it has one.
func BucketOf(ciphertext []byte) (int64, bool) {
	id, _, err := bucketHeader(ciphertext)
	return id, err == nil
}

func bucketHeader(ciphertext []byte) (int64, []byte, error) {
	if len(ciphertext) < 2 || ciphertext[0] != formatV2 {
		return 0, nil, ErrDecrypt
	}
	id, n := binary.Uvarint(ciphertext[1:])
	if n <= 0 || id == 0 || id > 1<<62 {
		return 0, nil, ErrDecrypt
	}
	return int64(id), ciphertext[1+n:], nil
}

func (v *Vault) openBucket(ctx context.Context, tenantID int64, aad, ciphertext []byte) ([]byte, error) {
	id, rest, err := bucketHeader(ciphertext)
	if err != nil {
		return nil, err
	}
	e, err := v.bucketByID(ctx, id)
	if errors.Is(err, ErrErased) {
		return nil, err
	} else if err != nil {
		return nil, err
	}
	return openWith(e.aead, rest, bucketSealAAD(tenantID, id, aad))
}

func openWith(aead cipher.AEAD, rest, aad []byte) ([]byte, error) {
	ns := aead.NonceSize()
	if len(rest) < ns+aead.Overhead() {
		return nil, ErrDecrypt
	}
	pt, err := aead.Open(nil, rest[:ns], rest[ns:], aad)
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}

// held is a key the system holds, for AnyHeldKeyOpens: its AEAD and,
// for a bucket or order key, the id (and handle) that name it.
type held struct {
	aead   cipher.AEAD
	id     int64
	tenant int64
	handle []byte
}

// AnyHeldKeyOpens is the erasure check: it tries every key the system still
// holds (each tenant's keys of every purpose and version, every bucket key
// not erased, every order key still stored whose bucket key is held, all
// unwrapped from storage with the master ring) on a ciphertext, under the
// AAD of every format, and reports whether one opens it. It reads storage
// afresh and caches nothing.
func (v *Vault) AnyHeldKeyOpens(ctx context.Context, tenantID int64, aad, ciphertext []byte) (bool, error) {
	wks, err := v.store.AllKeys(ctx)
	if err != nil {
		return false, err
	}
	var keys []held
	tenantData := map[[2]int64]cipher.AEAD{}
	for _, wk := range wks {
		raw, err := v.unwrap(wk)
		if err != nil {
			return false, err
		}
		a, err := newGCM(raw)
		if err != nil {
			return false, err
		}
		keys = append(keys, held{aead: a})
		if wk.Purpose == PurposeData {
			tenantData[[2]int64{wk.TenantID, int64(wk.Version)}] = a
		}
	}
	buckets := map[int64]held{}
	if bs, ok := v.store.(BucketStore); ok {
		bks, err := bs.LiveBucketKeys(ctx)
		if err != nil {
			return false, err
		}
		for _, bk := range bks {
			w := tenantData[[2]int64{bk.TenantID, int64(bk.WrapVersion)}]
			if w == nil || len(bk.Wrapped) < w.NonceSize() {
				continue
			}
			raw, err := w.Open(nil, bk.Wrapped[:w.NonceSize()], bk.Wrapped[w.NonceSize():], bucketWrapAAD(bk.TenantID, bk.Day))
			if err != nil {
				continue
			}
			a, _ := newGCM(raw)
			h := held{aead: a, id: bk.ID, tenant: bk.TenantID}
			keys = append(keys, h)
			buckets[bk.ID] = h
		}
	}
	oks, err := v.heldOrderKeys(ctx, buckets)
	if err != nil {
		return false, err
	}
	keys = append(keys, oks...)
	var rest []byte
	var named int64
	var namedHandle []byte
	if id, h, r, err := orderHeader(ciphertext); err == nil {
		rest, named, namedHandle = r, id, h
	} else if id, r, err := bucketHeader(ciphertext); err == nil {
		rest, named = r, id
	} else if _, r, err := KeyVersion(ciphertext); err == nil {
		rest = r
	} else {
		return false, nil
	}
	for _, k := range keys {
		aads := [][]byte{sealAAD(tenantID, aad), bucketSealAAD(tenantID, named, aad), bucketSealAAD(tenantID, k.id, aad)}
		if namedHandle != nil {
			aads = append(aads, orderSealAAD(tenantID, named, namedHandle, aad))
		}
		if k.handle != nil {
			aads = append(aads, orderSealAAD(tenantID, k.id, k.handle, aad))
		}
		for _, a := range aads {
			if _, err := openWith(k.aead, rest, a); err == nil {
				return true, nil
			}
		}
	}
	return false, nil
}
