package vault

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
)

// memOrders adds order keys to memBuckets.
type memOrders struct {
	memBuckets
	omu    sync.Mutex
	orders []OrderKey
}

func (m *memOrders) put(k OrderKey) {
	m.omu.Lock()
	defer m.omu.Unlock()
	m.orders = append(m.orders, k)
}

func (m *memOrders) OrderKeyWrapped(_ context.Context, bucketID int64, handle []byte) ([]byte, error) {
	m.omu.Lock()
	defer m.omu.Unlock()
	for _, k := range m.orders {
		if k.BucketID == bucketID && bytes.Equal(k.Handle, handle) {
			return k.Wrapped, nil
		}
	}
	return nil, nil
}

func (m *memOrders) LiveOrderKeys(context.Context) ([]OrderKey, error) {
	m.omu.Lock()
	defer m.omu.Unlock()
	return append([]OrderKey(nil), m.orders...), nil
}

func (m *memOrders) destroy(handle []byte) {
	m.omu.Lock()
	defer m.omu.Unlock()
	for i, k := range m.orders {
		if bytes.Equal(k.Handle, handle) {
			m.orders = append(m.orders[:i], m.orders[i+1:]...)
			return
		}
	}
}

// Order keys: two orders of one day share the bucket key but not their
// own keys; destroying one order's key shreds it (and its copies) for
// every key the vault holds while the other order opens; erasing the
// bucket shreds both at once, even with their keys still cached.
func TestOrderKeys(t *testing.T) {
	ctx := context.Background()
	store := &memOrders{}
	v := New(ring(t, "k1"), store)
	seal := func(moid, phone string) ([]byte, OrderKey) {
		s, err := v.NewOrderKey(ctx, 1, 100)
		if err != nil {
			t.Fatal(err)
		}
		store.put(s.Key())
		ct, err := s.Seal([]byte("orders|"+moid+"|phone"), []byte(phone))
		if err != nil {
			t.Fatal(err)
		}
		return ct, s.Key()
	}
	ct1, k1 := seal("M1", "13812345678")
	ct2, k2 := seal("M2", "15900001111")
	if k1.BucketID != k2.BucketID || bytes.Equal(k1.Handle, k2.Handle) || len(k1.Handle) != HandleSize {
		t.Fatalf("keys: %+v %+v", k1, k2)
	}
	if b, h, ok := OrderKeyOf(ct1); !ok || b != k1.BucketID || !bytes.Equal(h, k1.Handle) {
		t.Fatalf("OrderKeyOf: %d %x %v", b, h, ok)
	}
	if pt, err := v.Open(ctx, 1, []byte("orders|M1|phone"), ct1); err != nil || string(pt) != "13812345678" {
		t.Fatalf("open: %q %v", pt, err)
	}
	for _, c := range []struct {
		tenant int64
		aad    string
	}{{2, "orders|M1|phone"}, {1, "orders|M2|phone"}} {
		if _, err := v.Open(ctx, c.tenant, []byte(c.aad), ct1); !errors.Is(err, ErrDecrypt) {
			t.Fatalf("opened for tenant %d at %s: %v", c.tenant, c.aad, err)
		}
	}
	copyCT, err := v.SealLike(ctx, 1, ct1, []byte("shipments|1|phone"), []byte("13812345678"))
	if err != nil {
		t.Fatal(err)
	}
	if _, h, _ := OrderKeyOf(copyCT); !bytes.Equal(h, k1.Handle) {
		t.Fatal("the copy is not sealed with the order's key")
	}
	if ok, err := v.AnyHeldKeyOpens(ctx, 1, []byte("orders|M1|phone"), ct1); err != nil || !ok {
		t.Fatalf("before shredding no held key opens it: %v %v", ok, err)
	}

	store.destroy(k1.Handle)
	v.ForgetOrderKey(k1.BucketID, k1.Handle)
	for _, c := range []struct {
		aad, ct []byte
	}{{[]byte("orders|M1|phone"), ct1}, {[]byte("shipments|1|phone"), copyCT}} {
		if _, err := v.Open(ctx, 1, c.aad, c.ct); !errors.Is(err, ErrShredded) || !errors.Is(err, ErrErased) {
			t.Fatalf("open after shredding: %v", err)
		}
		if ok, err := v.AnyHeldKeyOpens(ctx, 1, c.aad, c.ct); err != nil || ok {
			t.Fatalf("a held key opens shredded data: %v %v", ok, err)
		}
	}
	if pt, err := v.Open(ctx, 1, []byte("orders|M2|phone"), ct2); err != nil || string(pt) != "15900001111" {
		t.Fatalf("the same day's other order: %q %v", pt, err)
	}
	if ok, err := v.AnyHeldKeyOpens(ctx, 1, []byte("orders|M2|phone"), ct2); err != nil || !ok {
		t.Fatalf("the same day's other order, held keys: %v %v", ok, err)
	}

	store.erase(k2.BucketID) // its order key is cached: the bucket still decides
	v.ForgetBucket(k2.BucketID)
	if _, err := v.Open(ctx, 1, []byte("orders|M2|phone"), ct2); !errors.Is(err, ErrErased) {
		t.Fatalf("open after the bucket's erasure: %v", err)
	}
	if ok, err := v.AnyHeldKeyOpens(ctx, 1, []byte("orders|M2|phone"), ct2); err != nil || ok {
		t.Fatalf("a held key opens data of an erased bucket: %v %v", ok, err)
	}
}

// BenchmarkSealOrder compares what intake does per order: five fields
// sealed with the day's bucket key (before migration 0019) or with a fresh
// order key wrapped by it (since).
func BenchmarkSealOrder(b *testing.B) {
	ctx := context.Background()
	v := New(ring(b, "k1"), &memOrders{})
	fields := [][]byte{[]byte("欧阳娜娜"), []byte("13812345678"), []byte("浙江省金华市义乌市稠城街道工人北路1088号3单元502室"), []byte("请放门卫"), []byte("请放门卫")}
	aad := []byte("orders|M-000001|name")
	b.Run("bucket", func(b *testing.B) {
		for range b.N {
			for _, f := range fields {
				if _, _, err := v.SealBucket(ctx, 1, 100, aad, f); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("order", func(b *testing.B) {
		for range b.N {
			s, err := v.NewOrderKey(ctx, 1, 100)
			if err != nil {
				b.Fatal(err)
			}
			for _, f := range fields {
				if _, err := s.Seal(aad, f); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// Order-key nonces: the sealer numbers its fields' nonces (one byte each,
// never twice under its key: 300 seals give 255 distinct counters, then
// random nonces), SealLike under a stored order key takes a random nonce,
// every one opens, and a changed counter byte or handle does not.
func TestOrderKeyNonces(t *testing.T) {
	ctx := context.Background()
	store := &memOrders{}
	v := New(ring(t, "k1"), store)
	s, err := v.NewOrderKey(ctx, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	store.put(s.Key())
	aad := []byte("orders|M1|name")
	at := 1 + 1 + HandleSize // format, bucket id (one byte here), handle
	seen := map[byte]bool{}
	var cts [][]byte
	for i := range 300 {
		ct, err := s.Seal(aad, []byte("欧阳娜娜"))
		if err != nil {
			t.Fatal(err)
		}
		c := ct[at]
		if i < orderNonceMax {
			if c == 0 || seen[c] || len(ct) != at+1+len("欧阳娜娜")+16 {
				t.Fatalf("seal %d: counter %d (seen %v), %d bytes", i, c, seen[c], len(ct))
			}
			seen[c] = true
		} else if c != 0 || len(ct) != at+1+12+len("欧阳娜娜")+16 {
			t.Fatalf("seal %d after the counters: counter %d, %d bytes", i, c, len(ct))
		}
		cts = append(cts, ct)
	}
	like, err := v.SealLike(ctx, 1, cts[0], aad, []byte("欧阳娜娜"))
	if err != nil {
		t.Fatal(err)
	}
	if like[at] != 0 {
		t.Fatalf("SealLike used counter %d under a stored key", like[at])
	}
	for i, ct := range append(cts, like) {
		if pt, err := v.Open(ctx, 1, aad, ct); err != nil || string(pt) != "欧阳娜娜" {
			t.Fatalf("open %d: %q %v", i, pt, err)
		}
		if ok, err := v.AnyHeldKeyOpens(ctx, 1, aad, ct); err != nil || !ok {
			t.Fatalf("held keys, %d: %v %v", i, ok, err)
		}
	}
	for _, pos := range []int{at, at - 1} { // the counter, the handle's last byte
		bad := bytes.Clone(cts[0])
		bad[pos] ^= 1
		if _, err := v.Open(ctx, 1, aad, bad); err == nil {
			t.Fatalf("opened with byte %d changed", pos)
		}
	}
}
