package vault

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"
)

// formatV3 marks a ciphertext sealed with an order key: format byte, bucket
// key id (uvarint), order key handle (HandleSize bytes), nonce, sealed bytes.
// The order key is a random AES-256 key of its own, wrapped by the bucket
// key of the order's intake day and kept in a live-only table (never in a
// backup). Destroying the order key's row shreds one order (a deletion
// request); destroying the bucket key shreds the whole day (retention).
const formatV3 = 0x03

// HandleSize is the length of an order key's handle: 6 bytes of Unix
// milliseconds, big-endian, then 10 random bytes. Handles of one bucket
// therefore sort by creation time (index inserts go to the end) and never
// collide in practice, with no counter shared between servers.
const HandleSize = 16

// OrderKey is an order key as stored: its bucket, its handle and the key
// wrapped by the bucket key.
type OrderKey struct {
	BucketID int64
	Handle   []byte
	Wrapped  []byte
}

// OrderKeyStore finds stored order keys. The storage adapters implement it
// next to BucketStore; storage inserts the keys itself, in the transaction
// that stores the ciphertexts they seal.
type OrderKeyStore interface {
	// OrderKeyWrapped returns an order key's wrapped bytes, or nil if the
	// key does not exist (destroyed by a deletion request, or never stored).
	OrderKeyWrapped(ctx context.Context, bucketID int64, handle []byte) ([]byte, error)
	// LiveOrderKeys returns every stored order key (for the erasure check).
	LiveOrderKeys(ctx context.Context) ([]OrderKey, error)
}

// ErrShredded is returned when a ciphertext names an order key that no
// longer exists: the order's data was erased on its own (crypto-shredded).
var ErrShredded = fmt.Errorf("%w (order key destroyed)", ErrErased)

// orderKeyCacheSize bounds the unwrapped order keys a process keeps; they
// are dropped after BucketTTL like bucket keys.
const orderKeyCacheSize = 4096

type orderKeyEntry struct {
	aead   cipher.AEAD
	loaded time.Time
}

type orderKeyCache struct {
	mu sync.Mutex
	m  map[string]orderKeyEntry
}

func orderCacheKey(bucketID int64, handle []byte) string {
	return string(binary.AppendUvarint(nil, uint64(bucketID))) + string(handle)
}

func orderWrapAAD(tenantID, bucketID int64, handle []byte) []byte {
	b := fmt.Appendf(nil, "yuncang/orderkey/v1|%d|%d|", tenantID, bucketID)
	return append(b, handle...)
}

func orderSealAAD(tenantID, bucketID int64, handle, aad []byte) []byte {
	b := fmt.Appendf(nil, "yuncang/pi/v3|%d|%d|", tenantID, bucketID)
	b = append(b, handle...)
	b = append(b, '|')
	return append(b, aad...)
}

// OrderSealer seals one order's personal data with a fresh order key.
// Store Key() in the same transaction as the ciphertexts.
type OrderSealer struct {
	tenantID int64
	key      OrderKey
	aead     cipher.AEAD
}

// NewOrderKey makes a fresh order key for one of the tenant's orders taken
// in on day, wrapped by that day's bucket key (created if needed).
func (v *Vault) NewOrderKey(ctx context.Context, tenantID int64, day int) (*OrderSealer, error) {
	e, err := v.bucketByDay(ctx, tenantID, day)
	if err != nil {
		return nil, err
	}
	var raw [32]byte
	var handle [HandleSize]byte
	var nonce [12]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	ms := uint64(v.now().UnixMilli())
	for i := 5; i >= 0; i-- {
		handle[i] = byte(ms)
		ms >>= 8
	}
	if _, err := rand.Read(handle[6:]); err != nil {
		return nil, err
	}
	if _, err := rand.Read(nonce[:]); err != nil {
		return nil, err
	}
	aead, err := newGCM(raw[:])
	if err != nil {
		return nil, err
	}
	s := &OrderSealer{tenantID: tenantID, aead: aead}
	s.key = OrderKey{BucketID: e.id, Handle: handle[:],
		Wrapped: e.aead.Seal(nonce[:], nonce[:], raw[:], orderWrapAAD(tenantID, e.id, handle[:]))}
	clear(raw[:])
	return s, nil
}

// Key returns the order key to store.
func (s *OrderSealer) Key() OrderKey { return s.key }

// Seal encrypts one field of the order; aad binds it to its place.
func (s *OrderSealer) Seal(aad, plaintext []byte) ([]byte, error) {
	return sealOrder(s.aead, s.tenantID, s.key.BucketID, s.key.Handle, aad, plaintext)
}

func sealOrder(aead cipher.AEAD, tenantID, bucketID int64, handle, aad, plaintext []byte) ([]byte, error) {
	out := make([]byte, 0, 1+binary.MaxVarintLen64+HandleSize+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out = append(out, formatV3)
	out = binary.AppendUvarint(out, uint64(bucketID))
	out = append(out, handle...)
	nonceAt := len(out)
	out = out[:nonceAt+aead.NonceSize()]
	if _, err := rand.Read(out[nonceAt:]); err != nil {
		return nil, err
	}
	return aead.Seal(out, out[nonceAt:], plaintext, orderSealAAD(tenantID, bucketID, handle, aad)), nil
}

// OrderKeyOf returns the order key a ciphertext names, if it names one.
func OrderKeyOf(ciphertext []byte) (bucketID int64, handle []byte, ok bool) {
	b, h, _, err := orderHeader(ciphertext)
	return b, h, err == nil
}

func orderHeader(ciphertext []byte) (int64, []byte, []byte, error) {
	if len(ciphertext) < 2 || ciphertext[0] != formatV3 {
		return 0, nil, nil, ErrDecrypt
	}
	id, n := binary.Uvarint(ciphertext[1:])
	if n <= 0 || id == 0 || id > 1<<62 || len(ciphertext) < 1+n+HandleSize {
		return 0, nil, nil, ErrDecrypt
	}
	h := ciphertext[1+n : 1+n+HandleSize]
	return int64(id), h, ciphertext[1+n+HandleSize:], nil
}

// orderKey returns an order key unwrapped, from memory while it is fresh.
func (v *Vault) orderKey(ctx context.Context, tenantID, bucketID int64, handle []byte) (cipher.AEAD, error) {
	// The bucket first, even for a cached order key: a bucket erased (and
	// forgotten) here must take its order keys with it at once.
	b, err := v.bucketByID(ctx, bucketID)
	if err != nil {
		return nil, err
	}
	ck := orderCacheKey(bucketID, handle)
	v.orders.mu.Lock()
	e, ok := v.orders.m[ck]
	v.orders.mu.Unlock()
	if ok && v.now().Sub(e.loaded) < BucketTTL {
		return e.aead, nil
	}
	os, ok := v.store.(OrderKeyStore)
	if !ok {
		return nil, errors.New("vault: the key store keeps no order keys")
	}
	wrapped, err := os.OrderKeyWrapped(ctx, bucketID, handle)
	if err != nil {
		return nil, fmt.Errorf("vault: load order key: %w", err)
	}
	if wrapped == nil {
		return nil, ErrShredded
	}
	ns := b.aead.NonceSize()
	if len(wrapped) < ns {
		return nil, errors.New("vault: wrapped order key is truncated")
	}
	raw, err := b.aead.Open(nil, wrapped[:ns], wrapped[ns:], orderWrapAAD(tenantID, bucketID, handle))
	if err != nil {
		return nil, ErrDecrypt
	}
	aead, err := newGCM(raw)
	clear(raw)
	if err != nil {
		return nil, err
	}
	v.orders.mu.Lock()
	if v.orders.m == nil || len(v.orders.m) >= orderKeyCacheSize {
		v.orders.m = map[string]orderKeyEntry{}
	}
	v.orders.m[ck] = orderKeyEntry{aead: aead, loaded: v.now()}
	v.orders.mu.Unlock()
	return aead, nil
}

// ForgetOrderKey drops an order key from memory (after destroying it).
func (v *Vault) ForgetOrderKey(bucketID int64, handle []byte) {
	v.orders.mu.Lock()
	delete(v.orders.m, orderCacheKey(bucketID, handle))
	v.orders.mu.Unlock()
}

func (v *Vault) openOrder(ctx context.Context, tenantID int64, aad, ciphertext []byte) ([]byte, error) {
	bucketID, handle, rest, err := orderHeader(ciphertext)
	if err != nil {
		return nil, err
	}
	aead, err := v.orderKey(ctx, tenantID, bucketID, handle)
	if err != nil {
		return nil, err
	}
	return openWith(aead, rest, orderSealAAD(tenantID, bucketID, handle, aad))
}

func (v *Vault) sealLikeOrder(ctx context.Context, tenantID int64, like, aad, plaintext []byte) ([]byte, error) {
	bucketID, handle, _, err := orderHeader(like)
	if err != nil {
		return nil, err
	}
	aead, err := v.orderKey(ctx, tenantID, bucketID, handle)
	if err != nil {
		return nil, err
	}
	return sealOrder(aead, tenantID, bucketID, handle, aad, plaintext)
}

// heldOrderKeys unwraps every stored order key whose bucket key is held
// (bucket keys by id), for AnyHeldKeyOpens.
func (v *Vault) heldOrderKeys(ctx context.Context, buckets map[int64]held) ([]held, error) {
	os, ok := v.store.(OrderKeyStore)
	if !ok {
		return nil, nil
	}
	oks, err := os.LiveOrderKeys(ctx)
	if err != nil {
		return nil, err
	}
	var out []held
	for _, k := range oks {
		b, ok := buckets[k.BucketID]
		if !ok || len(k.Wrapped) < b.aead.NonceSize() {
			continue
		}
		ns := b.aead.NonceSize()
		raw, err := b.aead.Open(nil, k.Wrapped[:ns], k.Wrapped[ns:], orderWrapAAD(b.tenant, k.BucketID, k.Handle))
		if err != nil {
			continue
		}
		a, err := newGCM(raw)
		if err != nil {
			return nil, err
		}
		out = append(out, held{aead: a, id: k.BucketID, tenant: b.tenant, handle: k.Handle})
	}
	return out, nil
}
