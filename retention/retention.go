// Package retention erases recipients' personal data when a merchant's
// retention period is over, by destroying the keys it was sealed with
// (crypto-shredding; docs/compliance/retention.md). A run decides per key
// from counters, so erasing is O(expired keys), then sweeps the erased
// orders' blind-index entries and masked views in small batches.
package retention

import (
	"context"
	"fmt"
	"time"

	"github.com/yuncang/yuncang"
)

// Store is what a run needs from storage.
type Store interface {
	Now() time.Time
	RetentionPolicy(ctx context.Context, tenantID int64) (yuncang.RetentionPolicy, error)
	RetentionBuckets(ctx context.Context) ([]*yuncang.RetentionBucket, error)
	BucketOrderRange(ctx context.Context, b *yuncang.RetentionBucket) error
	EraseBucket(ctx context.Context, b *yuncang.RetentionBucket, ev *yuncang.Event) (bool, error)
	SweepErased(ctx context.Context, batch int, rest float64) (int, error)
	RekeyLegacy(ctx context.Context, dryRun bool, batch int, rest float64, ev yuncang.Event) (yuncang.RekeyReport, error)
	EraseLegacy(ctx context.Context, policy func(tenantID int64) (yuncang.RetentionPolicy, error), exitTenant int64, dryRun bool, batch int, ev yuncang.Event) (int, error)
}

// Options of a run.
type Options struct {
	DryRun bool
	// ExitTenant, if not 0, is a merchant leaving: every one of its keys and
	// legacy orders is erased now, whatever its age.
	ExitTenant int64
	// Batch is the number of orders per sweep transaction (default 100).
	Batch int
	// Rest is how long the sweep pauses after each batch, in multiples of
	// the batch's duration (default 9: it uses at most a tenth of the
	// writer's time, so intake keeps its rate; nothing waits for the sweep,
	// the erased data was unreadable once its key went).
	Rest float64
	// Actor names who started the run in its audit records.
	Actor string
}

// Erasure is one key erased (or, in a dry run, that would be).
type Erasure struct {
	Bucket yuncang.RetentionBucket
	Reason string
}

// Report says what a run erased.
type Report struct {
	LiveKeys     int // bucket keys alive before the run
	Erased       []Erasure
	Orders       int                 // orders in the erased buckets
	LegacyOrders int                 // legacy orders overwritten
	Rekeyed      yuncang.RekeyReport // legacy orders moved into their day's bucket first
	Swept        int                 // orders whose index entries and masked views were cleared
	// Time spent deciding and destroying keys (O(keys)), on legacy orders,
	// and sweeping erased orders' index entries and masks (O(erased orders)).
	KeysTook, LegacyTook, SweepTook time.Duration
}

// Decide says whether a bucket key may be destroyed now, and why. It is
// pure: the counters in b and the merchant's policy decide.
func Decide(b *yuncang.RetentionBucket, p yuncang.RetentionPolicy, now time.Time) (bool, string) {
	dayEnd := time.Unix(int64(b.Day+1)*86400, 0)
	if !now.Before(dayEnd.AddDate(0, 0, p.MaxAgeDays)) {
		return true, fmt.Sprintf("maximum age %d days after intake", p.MaxAgeDays)
	}
	if !b.Counted || b.Settled < b.Orders {
		return false, ""
	}
	if !b.LastDelivered.IsZero() && now.Before(b.LastDelivered.AddDate(0, 0, p.AfterDeliveryDays)) {
		return false, ""
	}
	if !b.LastCancelled.IsZero() && now.Before(b.LastCancelled.AddDate(0, 0, p.AfterCancelDays)) {
		return false, ""
	}
	return true, fmt.Sprintf("every order settled: %d days after delivery, %d after cancellation", p.AfterDeliveryDays, p.AfterCancelDays)
}

// Run erases what is due. Each erasure is its own transaction with its
// own audit record, so a run stopped half-way leaves nothing half-done.
func Run(ctx context.Context, s Store, o Options) (*Report, error) {
	if o.Batch <= 0 {
		o.Batch = 100
	}
	if o.Rest <= 0 {
		o.Rest = 9
	}
	if o.Actor == "" {
		o.Actor = "retention"
	}
	now := s.Now()
	start := time.Now()
	// Legacy orders (sealed with the tenant key) move into the bucket of
	// their intake day first, so the keys decide for them too. A merchant
	// leaving loses everything anyway: nothing to move.
	var rekeyed yuncang.RekeyReport
	if o.ExitTenant == 0 {
		var err error
		rekeyed, err = s.RekeyLegacy(ctx, o.DryRun, o.Batch, o.Rest, yuncang.Event{At: now, Username: o.Actor, Kind: yuncang.EventRekey,
			Outcome: yuncang.OutcomeOK, Detail: "legacy orders into their intake day's key"})
		if err != nil {
			return nil, err
		}
	}
	bs, err := s.RetentionBuckets(ctx)
	if err != nil {
		return nil, err
	}
	rep := &Report{LiveKeys: len(bs), Rekeyed: rekeyed}
	policies := map[int64]yuncang.RetentionPolicy{}
	policy := func(tid int64) (yuncang.RetentionPolicy, error) {
		if p, ok := policies[tid]; ok {
			return p, nil
		}
		p, err := s.RetentionPolicy(ctx, tid)
		policies[tid] = p
		return p, err
	}
	event := func(tid int64, reason string) yuncang.Event {
		return yuncang.Event{At: now, TenantID: tid, Username: o.Actor, Kind: yuncang.EventErasure, Outcome: yuncang.OutcomeOK, Detail: reason}
	}
	for _, b := range bs {
		if o.ExitTenant != 0 && b.TenantID != o.ExitTenant {
			continue
		}
		p, err := policy(b.TenantID)
		if err != nil {
			return rep, err
		}
		due, reason := Decide(b, p, now)
		if o.ExitTenant != 0 {
			due, reason = true, "merchant exit"
		}
		if !due {
			continue
		}
		if o.DryRun {
			if err := s.BucketOrderRange(ctx, b); err != nil {
				return rep, err
			}
		} else {
			ev := event(b.TenantID, reason)
			ok, err := s.EraseBucket(ctx, b, &ev)
			if err != nil {
				return rep, err
			}
			if !ok {
				continue // another run erased it
			}
		}
		rep.Erased = append(rep.Erased, Erasure{Bucket: *b, Reason: reason})
		rep.Orders += b.Orders
	}
	rep.KeysTook = time.Since(start)
	start = time.Now()
	reason := "legacy rule: per merchant, days after delivery, cancellation and intake as its policy says"
	if o.ExitTenant != 0 {
		reason = "merchant exit"
	}
	rep.LegacyOrders, err = s.EraseLegacy(ctx, policy, o.ExitTenant, o.DryRun, o.Batch, event(0, reason))
	if err != nil {
		return rep, err
	}
	rep.LegacyTook = time.Since(start)
	if !o.DryRun {
		start = time.Now()
		rep.Swept, err = s.SweepErased(ctx, o.Batch, o.Rest)
		rep.SweepTook = time.Since(start)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}
