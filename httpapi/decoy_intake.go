package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	mrand "math/rand/v2"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/decoy"
)

// decoyRate is the chance per real order in a batch that the tenant's
// pending decoys are placed in that batch (capped at 1): decoys spread over
// the merchant's next few hundred orders instead of all arriving with the
// batch right after they were scheduled.
const decoyRate = 0.02

// decoyIntake is the store as the API's order intake sees it: while the
// merchant has decoys pending, its real batches of two or more orders get
// some, at random positions, so that decoys take database ids and creation times among real
// orders and merchant order ids in the merchant's pattern. The caller gets
// back only its own orders' results; the intake's audit event lists the
// decoys too, as it lists every order created.
//
// Single-order intakes get none: a decoy created with one order would share
// its timestamp and its audit event, which no real single order does. In a
// batch every order shares both, so the decoy is one more of them.
type decoyIntake struct {
	Store
}

// DecoyIntake wraps a store so that its order intake creates the
// merchant's pending decoys among real orders. The server uses it for
// every intake route; the demo uses it to import its orders.
func DecoyIntake(s Store) Store {
	if _, ok := s.(decoyIntake); ok {
		return s
	}
	return decoyIntake{s}
}

func newRand() *mrand.Rand {
	var b [16]byte
	rand.Read(b[:])
	return mrand.New(mrand.NewPCG(binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])))
}

// CreateOrders adds decoys to the batch when the merchant has some pending.
// Making them never fails the intake: without a safe id, or on a lookup
// error, the batch goes in as it came and the decoys wait for the next one.
func (d decoyIntake) CreateOrders(ctx context.Context, tenantID int64, orders []*yuncang.PreparedOrder, allOrNothing bool, ev *yuncang.Event) ([]yuncang.IntakeResult, bool, error) {
	pending, err := d.Store.PendingDecoys(ctx, tenantID)
	if err != nil || pending == 0 || len(orders) < 2 {
		return d.Store.CreateOrders(ctx, tenantID, orders, allOrNothing, ev)
	}
	r := newRand()
	if r.Float64() >= min(1, decoyRate*float64(len(orders))) {
		return d.Store.CreateOrders(ctx, tenantID, orders, allOrNothing, ev)
	}
	decoys, err := d.makeDecoys(ctx, tenantID, orders, pending, r)
	if err != nil || len(decoys) == 0 {
		return d.Store.CreateOrders(ctx, tenantID, orders, allOrNothing, ev)
	}
	merged, pos := decoy.Interleave(orders, decoys, r)
	res, committed, err := d.Store.CreateOrders(ctx, tenantID, merged, allOrNothing, ev)
	if err != nil {
		return nil, false, err
	}
	out := make([]yuncang.IntakeResult, len(orders))
	for i, p := range pos {
		out[i] = res[p]
	}
	return out, committed, nil
}

// makeDecoys makes up to n decoys in the pattern of this batch's and the
// merchant's recent merchant order ids, numbered inside the batch's span.
func (d decoyIntake) makeDecoys(ctx context.Context, tenantID int64, batch []*yuncang.PreparedOrder, n int, r *mrand.Rand) ([]*yuncang.PreparedOrder, error) {
	recent, err := d.Store.RecentMerchantOrderIDs(ctx, tenantID, 500)
	if err != nil {
		return nil, err
	}
	skus, err := d.Store.SKUs(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(batch))
	for _, p := range batch {
		ids = append(ids, p.MerchantOrderID)
	}
	var out []*yuncang.PreparedOrder
	for range min(n, 1+len(batch)/50) {
		p, err := decoy.Order(tenantID, ids, recent, skus, r)
		if err != nil || p == nil {
			continue
		}
		// Taken now: the next decoy of this batch needs another number.
		recent = append(recent, p.MerchantOrderID)
		out = append(out, p)
	}
	return out, nil
}
