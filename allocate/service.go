package allocate

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/plan"
)

// Store is the storage allocation needs.
type Store interface {
	Warehouses(ctx context.Context) ([]*yuncang.Warehouse, error)
	SKUs(ctx context.Context, tenantID int64) ([]*yuncang.SKU, error)
	// PlanningConfig returns the stored configuration; Default and no body
	// when the tenant has none.
	PlanningConfig(ctx context.Context, tenantID int64) (*yuncang.PlanningConfig, error)
	StorePlanningConfig(ctx context.Context, tenantID int64, body []byte) error
	// AllocationCandidates returns the orders with the given ids (any
	// status), or every paid and back-ordered one; oldest first, at most
	// 500, decoys marked.
	AllocationCandidates(ctx context.Context, tenantID int64, ids []int64) ([]*yuncang.AllocationCandidate, error)
	FreeStock(ctx context.Context, tenantID int64) ([]yuncang.FreeStock, error)
	OrderState(ctx context.Context, tenantID, orderID int64) (*yuncang.OrderState, error)
	// InAllocationTx runs fn in one write transaction, committed when fn
	// returns nil.
	InAllocationTx(ctx context.Context, fn func(tx yuncang.AllocationTx) error) error
	// Now is storage's clock (tests set it), the time carriers' cut-offs
	// are compared with.
	Now() time.Time
}

// Service plans and reserves orders.
type Service struct {
	Store Store
}

// New returns the allocation service over st.
func New(st Store) *Service { return &Service{Store: st} }

// maxBatch bounds the orders of one call.
const maxBatch = 500

// maxAllocRounds bounds re-planning when other allocations take the stock
// a plan counted on. Each failed round means another order got the units,
// so rounds are bounded by the contention, not by luck.
const maxAllocRounds = 64

// beijing is UTC+8, the clock carriers' cut-offs are given in.
var beijing = time.FixedZone("CST", 8*3600)

// Config returns the tenant's planning configuration, or the default.
func (s *Service) Config(ctx context.Context, tenantID int64) (*yuncang.PlanningConfig, error) {
	c, err := s.Store.PlanningConfig(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	if c.Default || len(c.Body) == 0 {
		c.Body, c.Default = plan.DefaultNetwork(), true
	}
	return c, nil
}

// SetConfig validates and stores a tenant's planning configuration.
func (s *Service) SetConfig(ctx context.Context, tenantID int64, body []byte) error {
	if len(body) > maxConfigBytes {
		return yuncang.Invalid("body", "is larger than 1 MiB")
	}
	whs, err := s.Store.Warehouses(ctx)
	if err != nil {
		return err
	}
	if _, err := decodeConfig(body, whs); err != nil {
		return err
	}
	return s.Store.StorePlanningConfig(ctx, tenantID, body)
}

// Cutoffs returns each configured carrier's cut-off (HH:MM, "" if none).
func (s *Service) Cutoffs(ctx context.Context, tenantID int64) (map[string]string, error) {
	base, _, err := s.network(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range base.Carriers {
		out[c.Code] = c.Cutoff
	}
	return out, nil
}

// network decodes the tenant's configuration against the warehouses.
func (s *Service) network(ctx context.Context, tenantID int64) (*plan.Problem, []*yuncang.Warehouse, error) {
	cfg, err := s.Config(ctx, tenantID)
	if err != nil {
		return nil, nil, err
	}
	whs, err := s.Store.Warehouses(ctx)
	if err != nil {
		return nil, nil, err
	}
	base, err := decodeConfig(cfg.Body, whs)
	if err != nil {
		// A stored configuration no longer fits the warehouses (one was added
		// in a province outside its zones): say so rather than plan wrongly.
		return nil, nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: "planning_config", Message: "the planning configuration does not fit the current warehouses: " + yuncang.ErrorMessage(err)}
	}
	return base, whs, nil
}

// Allocate plans and reserves, sharing scarce stock as the merchant's
// planning configuration says ("batch": arrival order unless it chooses
// joint or bounded). ids empty means every paid and back-ordered order.
func (s *Service) Allocate(ctx context.Context, tenantID int64, ids []int64) ([]*yuncang.OrderState, error) {
	return s.AllocateBatch(ctx, tenantID, ids, nil)
}

// AllocateBatch is Allocate with the batch policy of this one run (a wave
// of orders) instead of the merchant's: nil keeps the merchant's. The
// decision is plan.Solve's; storage only reads the orders and the free
// stock and reserves what the plan takes, one order per transaction.
func (s *Service) AllocateBatch(ctx context.Context, tenantID int64, ids []int64, policy *plan.BatchPolicy) ([]*yuncang.OrderState, error) {
	var opts plan.Options
	if policy != nil {
		if err := policy.Validate(); err != nil {
			return nil, err
		}
		opts.Mode, opts.MaxPremiumPct = plan.Mode(policy.Mode), policy.MaxPremiumPct
	}
	if len(ids) > maxBatch {
		return nil, yuncang.Invalid("order_ids", "at most 500 orders per call")
	}
	base, whs, err := s.network(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	pending, err := s.candidates(ctx, tenantID, ids)
	if err != nil {
		return nil, err
	}
	skus, err := s.Store.SKUs(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	ix := newIndex(whs, skus)
	done := map[int64]bool{}
	for round := 0; len(pending) > 0 && round < maxAllocRounds; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if pending, err = s.round(ctx, tenantID, base, whs, skus, ix, pending, opts, done); err != nil {
			return nil, err
		}
	}
	return s.report(ctx, tenantID, requested(ids, done), done)
}

// round plans the pending orders once and commits the plans in order; it
// returns the orders to plan again because an earlier one found its stock
// gone (their plans counted on it).
func (s *Service) round(ctx context.Context, tenantID int64, base *plan.Problem, whs []*yuncang.Warehouse, skus []*yuncang.SKU, ix index,
	pending []*yuncang.AllocationCandidate, opts plan.Options, done map[int64]bool) ([]*yuncang.AllocationCandidate, error) {
	// Decoys answer as real orders with no stock do, planned alone.
	real := pending[:0:0]
	for _, o := range pending {
		if !o.Decoy {
			real = append(real, o)
			continue
		}
		op, err := decoyPlan(base, s.Store.Now(), whs, skus, o, opts)
		if err != nil {
			return nil, err
		}
		if err := s.commit(ctx, tenantID, o, op, ix); err != nil {
			return nil, err
		}
		done[o.ID] = true
	}
	pending = real
	free, err := s.Store.FreeStock(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	p, plannable := problem(base, s.Store.Now(), whs, skus, free, pending)
	result, err := plan.Solve(p, opts)
	if err != nil {
		return nil, yuncang.Internal(err, "plan orders")
	}
	var retry []*yuncang.AllocationCandidate
	stale := false
	pi := 0
	for _, o := range pending {
		var op *plan.OrderPlan
		if plannable[o.ID] {
			op = &result.Orders[pi]
			pi++
		} else {
			op = unplaceable()
		}
		if stale {
			// Later orders were planned against stock an earlier one failed
			// to take: plan them again.
			retry = append(retry, o)
			continue
		}
		err := s.commit(ctx, tenantID, o, op, ix)
		switch {
		case errors.Is(err, errStale):
			stale = true
			retry = append(retry, o)
		case err != nil:
			return nil, err
		default:
			done[o.ID] = true
		}
	}
	return retry, nil
}

// candidates loads the orders to allocate and checks the ids asked for:
// each must be the tenant's and waiting for stock.
func (s *Service) candidates(ctx context.Context, tenantID int64, ids []int64) ([]*yuncang.AllocationCandidate, error) {
	list, err := s.Store.AllocationCandidates(ctx, tenantID, ids)
	if err != nil || len(ids) == 0 {
		return list, err
	}
	found := map[int64]*yuncang.AllocationCandidate{}
	for _, o := range list {
		found[o.ID] = o
	}
	for i, id := range ids {
		o := found[id]
		if o == nil {
			return nil, yuncang.Invalid(fmt.Sprintf("order_ids[%d]", i), "no such order")
		}
		if o.Status != yuncang.OrderPaid && o.Status != yuncang.OrderBackorder {
			return nil, &yuncang.Error{Code: yuncang.ECONFLICT, Field: fmt.Sprintf("order_ids[%d]", i),
				Message: fmt.Sprintf("order %d is %s: only paid or back-ordered orders are allocated", id, o.Status)}
		}
	}
	return list, nil
}

// requested lists the ids to report: those asked for, or those done.
func requested(ids []int64, done map[int64]bool) []int64 {
	if len(ids) > 0 {
		return ids
	}
	out := make([]int64, 0, len(done))
	for id := range done {
		out = append(out, id)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// report returns each order's state; one that contention kept from
// being planned says so.
func (s *Service) report(ctx context.Context, tenantID int64, ids []int64, done map[int64]bool) ([]*yuncang.OrderState, error) {
	out := make([]*yuncang.OrderState, 0, len(ids))
	for _, id := range ids {
		st, err := s.Store.OrderState(ctx, tenantID, id)
		if err != nil {
			return nil, err
		}
		if !done[id] && st.Plan == nil {
			st.Plan = &yuncang.OrderPlan{Reason: "contention", Message: "other allocations kept taking this stock; try again"}
		}
		out = append(out, st)
	}
	return out, nil
}
