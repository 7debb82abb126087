package vault

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// memBuckets adds bucket keys to memKeys.
type memBuckets struct {
	memKeys
	bmu     sync.Mutex
	buckets []BucketKey
}

func (m *memBuckets) BucketKeyByID(_ context.Context, id int64) (BucketKey, error) {
	m.bmu.Lock()
	defer m.bmu.Unlock()
	for _, b := range m.buckets {
		if b.ID == id {
			return b, nil
		}
	}
	return BucketKey{}, errors.New("no such bucket key")
}

func (m *memBuckets) EnsureBucketKey(_ context.Context, k BucketKey) (BucketKey, error) {
	m.bmu.Lock()
	defer m.bmu.Unlock()
	for _, b := range m.buckets {
		if b.TenantID == k.TenantID && b.Day == k.Day {
			return b, nil
		}
	}
	k.ID = int64(len(m.buckets) + 1)
	m.buckets = append(m.buckets, k)
	return k, nil
}

func (m *memBuckets) LiveBucketKeys(context.Context) ([]BucketKey, error) {
	m.bmu.Lock()
	defer m.bmu.Unlock()
	var out []BucketKey
	for _, b := range m.buckets {
		if b.Wrapped != nil {
			out = append(out, b)
		}
	}
	return out, nil
}

func (m *memBuckets) erase(id int64) {
	m.bmu.Lock()
	defer m.bmu.Unlock()
	m.buckets[id-1].Wrapped = nil
}

// Bucket keys: one per tenant and day; a ciphertext opens only for its
// tenant and place; a copy sealed like it dies with it; once its key is
// erased (and forgotten) nothing the vault holds opens it, while another
// day's data still opens.
func TestBucketKeys(t *testing.T) {
	ctx := context.Background()
	store := &memBuckets{}
	v := New(ring(t, "k1"), store)
	aad := []byte("orders|M1|phone")
	ct, id, err := v.SealBucket(ctx, 1, 100, aad, []byte("13812345678"))
	if err != nil {
		t.Fatal(err)
	}
	ct2, id2, err := v.SealBucket(ctx, 1, 100, aad, []byte("x"))
	if err != nil || id2 != id {
		t.Fatalf("same day, another key: %d %d %v", id, id2, err)
	}
	_ = ct2
	other, otherID, err := v.SealBucket(ctx, 1, 101, []byte("orders|M2|phone"), []byte("15900001111"))
	if err != nil || otherID == id {
		t.Fatalf("next day: %d %v", otherID, err)
	}
	if b, ok := BucketOf(ct); !ok || b != id {
		t.Fatalf("BucketOf: %d %v", b, ok)
	}
	if pt, err := v.Open(ctx, 1, aad, ct); err != nil || string(pt) != "13812345678" {
		t.Fatalf("open: %q %v", pt, err)
	}
	if _, err := v.Open(ctx, 2, aad, ct); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("another tenant opened it: %v", err)
	}
	if _, err := v.Open(ctx, 1, []byte("orders|M9|phone"), ct); !errors.Is(err, ErrDecrypt) {
		t.Fatalf("moved to another order it opened: %v", err)
	}
	copyCT, err := v.SealLike(ctx, 1, ct, []byte("shipments|1|phone"), []byte("13812345678"))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := BucketOf(copyCT); b != id {
		t.Fatalf("the copy is sealed with key %d, not the order's %d", b, id)
	}
	if ok, err := v.AnyHeldKeyOpens(ctx, 1, aad, ct); err != nil || !ok {
		t.Fatalf("before erasure no held key opens it: %v %v", ok, err)
	}

	store.erase(id)
	v.ForgetBucket(id)
	for _, c := range []struct {
		aad, ct []byte
	}{{aad, ct}, {[]byte("shipments|1|phone"), copyCT}} {
		if _, err := v.Open(ctx, 1, c.aad, c.ct); !errors.Is(err, ErrErased) {
			t.Fatalf("open after erasure: %v", err)
		}
		if ok, err := v.AnyHeldKeyOpens(ctx, 1, c.aad, c.ct); err != nil || ok {
			t.Fatalf("a held key opens erased data: %v %v", ok, err)
		}
	}
	if _, _, err := v.SealBucket(ctx, 1, 100, aad, []byte("late")); !errors.Is(err, ErrErased) {
		t.Fatalf("sealed into an erased day: %v", err)
	}
	if pt, err := New(ring(t, "k1"), store).Open(ctx, 1, []byte("orders|M2|phone"), other); err == nil {
		t.Fatalf("another vault with another ring opened %q", pt)
	}
	if pt, err := v.Open(ctx, 1, []byte("orders|M2|phone"), other); err != nil || string(pt) != "15900001111" {
		t.Fatalf("the next day's data: %q %v", pt, err)
	}
}
