package plan

import (
	"cmp"
	"math"
	"slices"
)

// Joint planning. Every order has a few candidate plans, each made by the
// single-order planner against the whole stock: its individually cheapest
// plan, every single-warehouse plan, the plan arrival order gave it, and
// its cheapest plan under prices on scarce (SKU, warehouse) pairs. The
// batch then takes at most one candidate per order so that no stock is
// overdrawn: first as many orders planned as possible, then the least total
// cost.
//
// The prices are Lagrange multipliers on the stock constraints, moved by
// subgradient steps over the candidates. Pricing an order over all its plans
// (the exact single-order search, not only the candidates) gives the
// Lagrangian dual bound: no plan of the batch that fulfils as many orders
// costs less. Each round's priced plans join the candidates (column
// generation); the Lagrangian heuristic (each order its cheapest priced
// candidate, overdrawn stock repaired) and local search (switch one order;
// switch two, one freeing what the other needs; plan an unplanned order by
// moving another; re-plan an order over all its plans against what the
// others leave) turn them into a plan. Small batches enumerate every plan of
// every order and finish with branch and bound over them: exact.

// DefaultJointWork is the joint planner's budget of priced re-plans, in
// multiples of the batch size.
const DefaultJointWork = 4

const (
	// Batches of at most this many orders are solved exactly when every
	// order has at most maxEnumPlans plans.
	exactBatchOrders = 12
	maxEnumPlans     = 256
	exactNodeBudget  = 2_000_000
	// Subgradient steps on the candidate pool between two pricing rounds.
	poolSteps = 30
	// Searches allowed for pair re-plans in a batch: enough for every
	// conceded order of a few thousand.
	pairReplans = 3000
	maxRounds   = 60
)

// use is a candidate's draw on one (SKU, warehouse) pair.
type use struct {
	pair int // sku*nW + warehouse
	qty  int
}

type cand struct {
	cost int64
	use  []use
}

// jorder is one order in the joint planner.
type jorder struct {
	ok          bool // some plan exists with the whole stock
	reason, msg string
	cands       []cand // cands[0] is the individually cheapest
	best0Exact  bool   // cands[0] is proven cheapest
	enumerated  bool   // cands holds every plan of the order
	arrival     int    // candidate arrival order chose, -1 if none
	capFen      int64  // bounded mode: most it may pay
	skus        []int
}

type joint struct {
	m      *model
	s      *solver
	o      Options
	mode   Mode
	pct    float64
	nW     int
	stock  []int // initial, index sku*nW + warehouse
	orders []jorder

	choice   []int // per order: candidate index, -1 unplanned
	used     []int // per pair: units taken by the choice
	interest [][]int32
	delta    []int // scratch for move checks
	touched  []int

	failed []uint64 // per order: fingerprint when improve last found no move

	// pairBudget bounds the searches of pair re-plans, the dearest move.
	pairBudget int

	bestChoice []int
	bestUnf    int
	bestCost   int64
}

func solveJoint(m *model, o Options, mode Mode, pct float64) (*Plan, error) {
	if o.Strategy == "" {
		o.Strategy = Auto
	}
	j := &joint{m: m, o: o, mode: mode, pct: pct, nW: len(m.whs), stock: slices.Clone(m.stock)}
	j.orders = make([]jorder, len(m.orders))
	j.used = make([]int, len(j.stock))
	j.delta = make([]int, len(j.stock))
	j.choice = make([]int, len(m.orders))

	// Arrival order first: its plans are candidates, and its solution seeds
	// the search, so the joint plan never fulfils fewer orders nor (in joint
	// mode) costs more.
	arr := newSolver(m)
	arr.budget = j.nodeBudget()
	arrivalX := make([][]use, len(m.orders))
	for i := range m.orders {
		var op OrderPlan
		arr.solveOrderQuiet(&m.orders[i], &op, o.Strategy == Heuristic)
		if op.Status == StatusPlanned {
			arrivalX[i] = arr.uses()
		}
	}

	j.s = newSolver(m)
	j.s.budget = j.nodeBudget()
	enumerate := len(m.orders) <= exactBatchOrders
	nOK := 0
	for i := range m.orders {
		jo := &j.orders[i]
		jo.arrival = -1
		j.build(i, enumerate, arrivalX[i])
		if jo.ok {
			nOK++
		}
	}
	sum := &JointSummary{MaxPremiumPct: pct}
	if nOK == 0 {
		return j.emit(sum), nil
	}

	// The arrival solution is the first incumbent.
	j.reset()
	for i := range j.orders {
		if c := j.orders[i].arrival; c >= 0 {
			j.apply(i, c)
		}
	}
	j.improve()
	j.keep()

	// Lagrangian rounds.
	lam := make([]float64, len(j.stock))
	lamInt := make([]int64, len(j.stock))
	best := j.zeroBound()
	work, spent := j.workBudget(nOK), 0
	g := make([]float64, len(j.stock))
	rounds := 0
	for round := 0; round < maxRounds; round++ {
		// The pool grew: its dual starts over from the current prices.
		ub := float64(j.bestCost)
		bestPool, theta, stall := math.Inf(-1), 1.0, 0
		for range poolSteps {
			lb := j.relaxPool(lam, g)
			if lb > bestPool+1e-6 {
				bestPool, stall = lb, 0
			} else if stall++; stall >= 5 {
				theta, stall = theta/2, 0
			}
			norm := 0.0
			for p := range g {
				if lam[p] == 0 && g[p] < 0 {
					g[p] = 0
				}
				norm += g[p] * g[p]
			}
			if norm == 0 || ub-lb <= 1e-9 || theta < 1e-4 {
				break
			}
			step := theta * (ub - lb) / norm
			for p := range lam {
				lam[p] = max(0, lam[p]+step*g[p])
			}
		}
		for p := range lam {
			lamInt[p] = int64(lam[p])
		}
		n := j.affected(lamInt)
		if n == 0 || spent+n > work {
			break
		}
		spent += n
		rounds++
		if b := j.price(lamInt); b.value(j.bestUnf) > best.value(j.bestUnf) {
			best = b
		}
		// The incumbent, with the new candidates to move to; then the
		// Lagrangian heuristic at the new prices.
		j.restore()
		j.improve()
		j.keep()
		j.repair(lam)
		j.keep()
		if gap := j.bestCost - best.value(j.bestUnf); float64(gap) <= 0.0005*float64(j.bestCost) {
			break
		}
	}
	// Back to the best plan found, polished once more with every candidate.
	j.restore()
	j.improve()
	j.keep()
	j.restore()
	j.pairBudget = pairReplans
	for range 2 {
		moved := false
		j.buildInterest()
		for i := range j.orders {
			if !j.orders[i].ok {
				continue
			}
			if j.replan(i) || j.eject(i) {
				moved = true
			}
		}
		j.improve()
		j.keep()
		if !moved {
			break
		}
	}
	j.restore()

	exact := false
	if enumerate {
		exact = j.branchAndBound()
	}
	sum.Rounds = rounds
	sum.LowerBoundFen = max(0, best.value(j.bestUnf))
	sum.BoundProven = best.proven
	if exact {
		// The search proved the plan optimal: that is the best bound.
		sum.LowerBoundFen, sum.BoundProven = j.bestCost, true
	}
	sum.Exact = exact
	return j.emit(sum), nil
}

func (j *joint) nodeBudget() int {
	switch j.o.Strategy {
	case Exact:
		return int(^uint(0) >> 1)
	case Heuristic:
		return 0
	}
	if j.o.NodeBudget > 0 {
		return j.o.NodeBudget
	}
	return DefaultNodeBudget
}

func (j *joint) workBudget(nOK int) int {
	w := j.o.JointWork
	if w <= 0 {
		w = DefaultJointWork
	}
	// Small batches get enough rounds for the prices to settle.
	return max(w*nOK, 1000*w)
}

// search plans the prepared order, priced or not, into s.best. It reports
// whether the result is proven cheapest.
func (s *solver) search(heuristicOnly bool) bool {
	s.heuristic()
	if heuristicOnly || s.bestCost >= infCost {
		return false
	}
	clear(s.x)
	s.dfs(0, 0, s.ln[s.lineOrder[0]].qty, 0)
	return !s.aborted && !s.inexact
}

// solveOrderQuiet is solveOrder without the explanation: arrival order as
// the joint planner's seed.
func (s *solver) solveOrderQuiet(o *orderInfo, out *OrderPlan, heuristicOnly bool) {
	if reason, _ := s.prepare(o); reason != "" {
		out.Status = StatusUnfulfilled
		return
	}
	s.search(heuristicOnly)
	if s.bestCost >= infCost {
		out.Status = StatusUnfulfilled
		return
	}
	copy(s.x, s.best)
	out.Status = StatusPlanned
	s.consume()
}

// uses lists the draws of assignment s.x on stock.
func (s *solver) uses() []use {
	L := len(s.ln)
	var out []use
	for w := range s.nW {
		for l := range L {
			if n := s.x[w*L+l]; n > 0 {
				out = append(out, use{pair: s.ln[l].sku*s.nW + w, qty: n})
			}
		}
	}
	return out
}

// load puts a candidate's draws into s.x for the prepared order.
func (s *solver) load(u []use) {
	L := len(s.ln)
	clear(s.x)
	for _, d := range u {
		sku, w := d.pair/s.nW, d.pair%s.nW
		for l := range L {
			if s.ln[l].sku == sku {
				s.x[w*L+l] = d.qty
			}
		}
	}
}

// build finds order i's first candidates: its individually cheapest plan,
// every single-warehouse plan and the plan arrival order gave it (or, for
// small batches, every plan). The single-warehouse and arrival plans seed
// the search for the cheapest, in place of the single-order heuristic.
func (j *joint) build(i int, enumerate bool, arrival []use) {
	s, jo, o := j.s, &j.orders[i], &j.m.orders[i]
	s.price = nil
	copy(s.stock, j.stock)
	for _, l := range o.lines {
		if !slices.Contains(jo.skus, l.sku) {
			jo.skus = append(jo.skus, l.sku)
		}
	}
	if reason, msg := s.prepare(o); reason != "" {
		jo.reason, jo.msg = reason, msg
		return
	}
	offset := j.m.extraParcel + j.m.extraWarehouse
	var seeds []cand
	L := len(s.ln)
	for _, w := range s.pref {
		clear(s.x)
		ok := true
		for l := range L {
			if s.avail(w, l) < s.ln[l].qty || !slices.Contains(s.ship[l], w) {
				ok = false
				break
			}
			s.x[w*L+l] = s.ln[l].qty
		}
		if ok {
			if c := s.evalFull(); c < infCost {
				seeds = append(seeds, cand{cost: c - offset, use: s.uses()})
			}
		}
	}
	if arrival != nil {
		s.load(arrival)
		if c := s.evalFull(); c < infCost {
			seeds = append(seeds, cand{cost: c - offset, use: arrival})
		}
	}
	exact := false
	if j.o.Strategy == Heuristic || len(seeds) == 0 {
		exact = s.search(j.o.Strategy == Heuristic)
	} else {
		s.bestCost = infCost
		for _, c := range seeds {
			if c.cost+offset < s.bestCost {
				s.bestCost = c.cost + offset
				s.load(c.use)
				copy(s.best, s.x)
			}
		}
		clear(s.x)
		s.dfs(0, 0, s.ln[s.lineOrder[0]].qty, 0)
		exact = !s.aborted && !s.inexact
	}
	if s.bestCost >= infCost {
		jo.reason, jo.msg = ReasonNoRoute, "no carrier takes these goods in parcels it accepts"
		return
	}
	jo.ok, jo.best0Exact = true, exact
	copy(s.x, s.best)
	best := cand{cost: s.bestCost - offset, use: s.uses()}
	jo.capFen = infCost
	if j.mode == Bounded {
		jo.capFen = best.cost + int64(math.Floor(float64(best.cost)*j.pct/100))
	}
	jo.cands = append(jo.cands, best)
	for _, c := range seeds {
		j.add(i, c)
	}
	if arrival != nil {
		jo.arrival = slices.IndexFunc(jo.cands, func(c cand) bool { return slices.Equal(c.use, arrival) })
	}
	if enumerate {
		// Every plan, each packed exactly: then the candidates are complete.
		s.inexact = false
		jo.enumerated = j.enumerate(i) && !s.inexact
	}
}

// enumerate adds every plan of the prepared order i, unless there are more
// than maxEnumPlans; it reports whether it listed them all.
func (j *joint) enumerate(i int) bool {
	s := j.s
	L := len(s.ln)
	offset := j.m.extraParcel + j.m.extraWarehouse
	clear(s.x)
	count := 0
	var rec func(l, pos, rem int) bool
	rec = func(l, pos, rem int) bool {
		if rem == 0 {
			if l+1 == L {
				if count++; count > maxEnumPlans {
					return false
				}
				if c := s.evalFull(); c < infCost {
					j.add(i, cand{cost: c - offset, use: s.uses()})
				}
				return true
			}
			return rec(l+1, 0, s.ln[l+1].qty)
		}
		ws := s.ship[l]
		if pos == len(ws) {
			return true
		}
		w := ws[pos]
		for x := min(rem, s.avail(w, l)); x >= 0; x-- {
			s.x[w*L+l] = x
			if !rec(l, pos+1, rem-x) {
				s.x[w*L+l] = 0
				return false
			}
		}
		s.x[w*L+l] = 0
		return true
	}
	return rec(0, 0, s.ln[0].qty)
}

// add adds a candidate unless it is already there or above the order's
// cap, and returns its index (-1 when not added and not present).
func (j *joint) add(i int, c cand) int {
	jo := &j.orders[i]
	for k := range jo.cands {
		if slices.Equal(jo.cands[k].use, c.use) {
			return k
		}
	}
	if c.cost >= infCost || (len(jo.cands) > 0 && c.cost > jo.capFen) {
		return -1
	}
	jo.cands = append(jo.cands, c)
	return len(jo.cands) - 1
}

// bound is one Lagrangian dual bound: the least priced cost of each
// order over all its plans (0 when its search was not proven), and the
// prices times the stock. Any plan of the batch leaving at most u orders
// unplanned costs at least the sum of all but the u largest values less
// the prices: an unplanned order draws no stock, and the cheapest way to
// leave u orders out is to leave out the dearest. value computes that.
type bound struct {
	vals   []int64 // sorted
	lamS   int64
	proven bool
}

func (b bound) value(unplanned int) int64 {
	n := max(0, len(b.vals)-unplanned)
	total := -b.lamS
	for _, v := range b.vals[:n] {
		total += v
	}
	return total
}

// zeroBound is the bound at zero prices: every order's cheapest plan.
func (j *joint) zeroBound() bound {
	b := bound{proven: true}
	for i := range j.orders {
		jo := &j.orders[i]
		if !jo.ok {
			continue
		}
		v := int64(0)
		if jo.best0Exact {
			v = jo.cands[0].cost
		} else {
			b.proven = false
		}
		b.vals = append(b.vals, v)
	}
	slices.Sort(b.vals)
	return b
}

// relaxPool solves the Lagrangian relaxation over the candidates only
// (cheap, not a bound): each order its least priced candidate, except the
// dearest bestUnf orders, which stay out. g gets the stock overdraw of that
// choice.
func (j *joint) relaxPool(lam []float64, g []float64) float64 {
	for p := range g {
		g[p] = -float64(j.stock[p])
	}
	total := 0.0
	for p, l := range lam {
		total -= l * float64(j.stock[p])
	}
	type pick struct {
		v float64
		k int
		i int
	}
	picks := make([]pick, 0, len(j.orders))
	for i := range j.orders {
		jo := &j.orders[i]
		if !jo.ok {
			continue
		}
		best, bk := math.Inf(1), -1
		for k := range jo.cands {
			c := &jo.cands[k]
			v := float64(c.cost)
			for _, u := range c.use {
				v += lam[u.pair] * float64(u.qty)
			}
			if v < best {
				best, bk = v, k
			}
		}
		picks = append(picks, pick{best, bk, i})
	}
	if u := j.bestUnf; u > 0 && u < len(picks) {
		// Move the u dearest to the end: a partial selection, since u is
		// usually small against the batch.
		if u <= 64 {
			for x := range u {
				hi := x
				for y := x + 1; y < len(picks); y++ {
					if picks[y].v > picks[hi].v {
						hi = y
					}
				}
				picks[x], picks[hi] = picks[hi], picks[x]
			}
			picks = picks[u:]
		} else {
			slices.SortFunc(picks, func(a, b pick) int { return cmp.Compare(a.v, b.v) })
			picks = picks[:len(picks)-u]
		}
	} else if u >= len(picks) {
		picks = picks[:0]
	}
	for _, p := range picks {
		total += p.v
		for _, u := range j.orders[p.i].cands[p.k].use {
			g[u.pair] += float64(u.qty)
		}
	}
	return total
}

// affected counts the orders with a priced SKU: only they need pricing.
func (j *joint) affected(lam []int64) int {
	n := 0
	for i := range j.orders {
		if j.orders[i].ok && j.priced(i, lam) {
			n++
		}
	}
	return n
}

func (j *joint) priced(i int, lam []int64) bool {
	for _, k := range j.orders[i].skus {
		for w := range j.nW {
			if lam[k*j.nW+w] > 0 {
				return true
			}
		}
	}
	return false
}

// price plans every affected order at prices lam over all its plans, adds
// the plans found as candidates, and returns the bound. An order whose
// search was not proven counts 0, which keeps the bound valid.
func (j *joint) price(lam []int64) bound {
	s := j.s
	copy(s.stock, j.stock)
	offset := j.m.extraParcel + j.m.extraWarehouse
	b := bound{proven: true}
	for p, l := range lam {
		b.lamS += l * int64(j.stock[p])
	}
	for i := range j.orders {
		jo := &j.orders[i]
		if !jo.ok {
			continue
		}
		if !j.priced(i, lam) {
			v := int64(0)
			if jo.best0Exact {
				v = jo.cands[0].cost
			} else {
				b.proven = false
			}
			b.vals = append(b.vals, v)
			continue
		}
		s.price = lam
		s.prepare(&j.m.orders[i])
		exact := j.searchFromPool(i)
		v := int64(0)
		if exact {
			v = s.bestCost - offset
		} else {
			b.proven = false
		}
		b.vals = append(b.vals, v)
		copy(s.x, s.best)
		u := s.uses()
		s.price = nil
		if c := s.evalFull(); c < infCost {
			j.add(i, cand{cost: c - offset, use: u})
		}
	}
	s.price = nil
	slices.Sort(b.vals)
	return b
}

// searchFromPool is the priced search of the prepared order i, seeded with
// its least priced candidate instead of the single-order heuristic: the
// candidates are good plans already, and the branch and bound only needs a
// bound to cut with.
func (j *joint) searchFromPool(i int) bool {
	s := j.s
	s.bestCost = infCost
	for _, c := range j.orders[i].cands {
		s.load(c.use)
		if v := s.evalFull(); v < s.bestCost {
			s.bestCost = v
			copy(s.best, s.x)
		}
	}
	if j.o.Strategy == Heuristic || s.bestCost >= infCost {
		return false
	}
	clear(s.x)
	s.dfs(0, 0, s.ln[s.lineOrder[0]].qty, 0)
	return !s.aborted && !s.inexact
}
