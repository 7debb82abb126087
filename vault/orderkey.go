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
// key id (uvarint), order key handle (HandleSize bytes), nonce counter (one
// byte), then, only if the counter is 0, a random 12-byte nonce, then the
// sealed bytes. The order key is a random AES-256 key of its own, wrapped by
// the bucket key of the order's intake day and kept in a live-only table
// (never in a backup). Destroying the order key's row shreds one order (a
// deletion request); destroying the bucket key shreds the whole day
// (retention).
//
// Nonces. A counter c of 1..255 stands for the GCM nonce c followed by 11
// zero bytes, so the fields sealed at intake carry one nonce byte instead
// of twelve. That is safe because an order key is fresh (32 random bytes)
// and the OrderSealer that made it is its only holder until it is stored:
// the sealer hands out each counter once (a counter is never reused under
// its key), and it is dropped after the order's fields (and, when
// re-keying, its carrier bindings) are sealed. Every later sealing under a
// stored order key (SealLike: a rectified field, a binding's phone, a
// manifest entry) cannot know which counters were used, so it takes a
// random nonce (counter 0); a random nonce equals one of the 255 counter
// nonces with probability 255/2^96.
const formatV3 = 0x03

// HandleSize is the length of an order key's handle: 6 bytes of Unix
// milliseconds, big-endian, then 6 random bytes. Handles of one bucket
// therefore sort by creation time (index inserts go to the end), with no
// counter shared between servers. Two keys of one bucket made in the same
// millisecond collide with probability 2^-48; the handle is only a name
// (no nonce is derived from it), so a collision costs nothing but the
// primary key refusing the second key's transaction (an intake retried
// seals with new keys).
const HandleSize = 12

// orderNonceMax is the last counter an OrderSealer hands out; after it the
// sealer takes random nonces.
const orderNonceMax = 255

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
//
// An OrderSealer is for one goroutine: it numbers the nonces it uses.
type OrderSealer struct {
	tenantID int64
	key      OrderKey
	aead     cipher.AEAD
	next     int // the next nonce counter, 1..orderNonceMax
}

// NewOrderKey makes a fresh order key for one of the tenant's orders taken
// in on day, wrapped by that day's bucket key (created if needed).
func (v *Vault) NewOrderKey(ctx context.Context, tenantID int64, day int) (*OrderSealer, error) {
	e, err := v.bucketByDay(ctx, tenantID, day)
	if err != nil {
		return nil, err
	}
	// One read for the key, the handle's random part and the wrap's nonce.
	var rnd [32 + HandleSize - 6 + 12]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return nil, err
	}
	raw, nonce := rnd[:32], rnd[32+HandleSize-6:]
	var handle [HandleSize]byte
	ms := uint64(v.now().UnixMilli())
	for i := 5; i >= 0; i-- {
		handle[i] = byte(ms)
		ms >>= 8
	}
	copy(handle[6:], rnd[32:])
	aead, err := newGCM(raw[:])
	if err != nil {
		return nil, err
	}
	s := &OrderSealer{tenantID: tenantID, aead: aead, next: 1}
	s.key = OrderKey{BucketID: e.id, Handle: handle[:],
		Wrapped: e.aead.Seal(nonce[:len(nonce):len(nonce)], nonce, raw, orderWrapAAD(tenantID, e.id, handle[:]))}
	clear(rnd[:])
	return s, nil
}

// Key returns the order key to store.
func (s *OrderSealer) Key() OrderKey { return s.key }

// Seal encrypts one field of the order; aad binds it to its place.
func (s *OrderSealer) Seal(aad, plaintext []byte) ([]byte, error) {
	c := 0 // random nonce once the counters are used up
	if s.next <= orderNonceMax {
		c = s.next
		s.next++
	}
	return sealOrder(s.aead, s.tenantID, s.key.BucketID, s.key.Handle, c, aad, plaintext)
}

// sealOrder seals with nonce counter c (1..orderNonceMax, see formatV3:
// each counter at most once per key), or with a random nonce if c is 0.
func sealOrder(aead cipher.AEAD, tenantID, bucketID int64, handle []byte, c int, aad, plaintext []byte) ([]byte, error) {
	out := make([]byte, 0, 1+binary.MaxVarintLen64+HandleSize+1+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out = append(out, formatV3)
	out = binary.AppendUvarint(out, uint64(bucketID))
	out = append(out, handle...)
	out = append(out, byte(c))
	var nonce [12]byte
	if c == 0 {
		if _, err := rand.Read(nonce[:]); err != nil {
			return nil, err
		}
		out = append(out, nonce[:]...)
	} else {
		nonce[0] = byte(c)
	}
	return aead.Seal(out, nonce[:], plaintext, orderSealAAD(tenantID, bucketID, handle, aad)), nil
}

// OrderKeyOf returns the order key a ciphertext names, if it names one.
func OrderKeyOf(ciphertext []byte) (bucketID int64, handle []byte, ok bool) {
	b, h, _, err := orderHeader(ciphertext)
	return b, h, err == nil
}

// orderHeader parses a formatV3 ciphertext: bucket id, handle, and the
// nonce followed by the sealed bytes (as openWith takes them; a copy when
// the nonce was a counter).
func orderHeader(ciphertext []byte) (int64, []byte, []byte, error) {
	if len(ciphertext) < 2 || ciphertext[0] != formatV3 {
		return 0, nil, nil, ErrDecrypt
	}
	id, n := binary.Uvarint(ciphertext[1:])
	at := 1 + n + HandleSize // the nonce counter
	if n <= 0 || id == 0 || id > 1<<62 || len(ciphertext) < at+1 {
		return 0, nil, nil, ErrDecrypt
	}
	h := ciphertext[1+n : at]
	if c := ciphertext[at]; c != 0 {
		rest := make([]byte, 12, 12+len(ciphertext)-at-1)
		rest[0] = c
		return int64(id), h, append(rest, ciphertext[at+1:]...), nil
	}
	return int64(id), h, ciphertext[at+1:], nil
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
	return sealOrder(aead, tenantID, bucketID, handle, 0, aad, plaintext)
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
