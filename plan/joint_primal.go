package plan

import (
	"cmp"
	"math"
	"slices"
)

// The primal side of the joint planner: turning candidates into a plan of
// the batch that never overdraws stock, and improving it.

func (j *joint) reset() {
	for i := range j.choice {
		j.choice[i] = -1
	}
	clear(j.used)
}

func (j *joint) apply(i, k int) {
	if c := j.choice[i]; c >= 0 {
		for _, u := range j.orders[i].cands[c].use {
			j.used[u.pair] -= u.qty
		}
	}
	j.choice[i] = k
	if k >= 0 {
		for _, u := range j.orders[i].cands[k].use {
			j.used[u.pair] += u.qty
		}
	}
}

// fits reports whether the orders can switch to the candidates ks (−1:
// unplanned) together without overdrawing any stock.
func (j *joint) fits(is, ks []int) bool {
	j.touched = j.touched[:0]
	for x, i := range is {
		if c := j.choice[i]; c >= 0 {
			for _, u := range j.orders[i].cands[c].use {
				j.delta[u.pair] -= u.qty
				j.touched = append(j.touched, u.pair)
			}
		}
		if k := ks[x]; k >= 0 {
			for _, u := range j.orders[i].cands[k].use {
				j.delta[u.pair] += u.qty
				j.touched = append(j.touched, u.pair)
			}
		}
	}
	ok := true
	for _, p := range j.touched {
		if j.delta[p] > 0 && j.used[p]+j.delta[p] > j.stock[p] {
			ok = false
		}
	}
	for _, p := range j.touched {
		j.delta[p] = 0
	}
	return ok
}

// objective is the plan's unplanned orders (of those that can be planned)
// and its cost.
func (j *joint) objective() (int, int64) {
	unf, cost := 0, int64(0)
	for i := range j.orders {
		if !j.orders[i].ok {
			continue
		}
		if c := j.choice[i]; c >= 0 {
			cost += j.orders[i].cands[c].cost
		} else {
			unf++
		}
	}
	return unf, cost
}

// keep records the current plan if it beats the best: more orders
// planned, or as many for less.
func (j *joint) keep() {
	unf, cost := j.objective()
	if j.bestChoice == nil || unf < j.bestUnf || (unf == j.bestUnf && cost < j.bestCost) {
		j.bestChoice = slices.Clone(j.choice)
		j.bestUnf, j.bestCost = unf, cost
	}
}

func (j *joint) restore() {
	j.reset()
	for i, k := range j.bestChoice {
		if k >= 0 {
			j.apply(i, k)
		}
	}
}

// buildInterest lists, per pair, the orders with a candidate drawing on it.
func (j *joint) buildInterest() {
	if j.interest == nil {
		j.interest = make([][]int32, len(j.stock))
	}
	for p := range j.interest {
		j.interest[p] = j.interest[p][:0]
	}
	for i := range j.orders {
		for _, c := range j.orders[i].cands {
			for _, u := range c.use {
				l := j.interest[u.pair]
				if len(l) == 0 || l[len(l)-1] != int32(i) {
					j.interest[u.pair] = append(l, int32(i))
				}
			}
		}
	}
}

// improve is local search until no move helps: an order switches to a
// cheaper candidate that fits; or switches while another order moves off
// the stock it needs, when together they save; an unplanned order is
// planned, if need be by moving another.
func (j *joint) improve() {
	j.buildInterest()
	if j.failed == nil {
		j.failed = make([]uint64, len(j.orders))
	}
	for pass := 0; pass < 6; pass++ {
		changed := false
		for i := range j.orders {
			if !j.orders[i].ok {
				continue
			}
			// An order that found no move before, with the stock of every
			// plan it has as it was then, finds none now either (its
			// partners may have changed, but that is rarely decisive and
			// skipping keeps the passes fast).
			fp := j.fingerprint(i)
			if j.failed[i] == fp {
				continue
			}
			if j.better(i) {
				changed = true
			} else {
				j.failed[i] = fp
			}
		}
		if !changed {
			return
		}
	}
}

// fingerprint hashes order i's choice, its candidate count and the stock
// used on every pair its candidates draw on.
func (j *joint) fingerprint(i int) uint64 {
	jo := &j.orders[i]
	h := uint64(14695981039346656037)
	mix := func(x int) {
		h ^= uint64(x)
		h *= 1099511628211
	}
	mix(j.choice[i] + 2)
	mix(len(jo.cands))
	for k := range jo.cands {
		for _, u := range jo.cands[k].use {
			mix(u.pair)
			mix(j.used[u.pair])
		}
	}
	if h == 0 {
		h = 1
	}
	return h
}

// maxPartners bounds the orders tried as the second of a double move.
const maxPartners = 40

// better tries to improve order i's lot; it reports whether it did.
func (j *joint) better(i int) bool {
	jo := &j.orders[i]
	cur := j.choice[i]
	curCost := int64(infCost) // unplanned: any plan is better
	if cur >= 0 {
		curCost = jo.cands[cur].cost
	}
	var ks []int
	for k := range jo.cands {
		if k != cur && jo.cands[k].cost < curCost {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		return false
	}
	slices.SortStableFunc(ks, func(a, b int) int { return cmp.Compare(jo.cands[a].cost, jo.cands[b].cost) })
	one, oneK := []int{i}, []int{0}
	for _, k := range ks {
		oneK[0] = k
		if j.fits(one, oneK) {
			j.apply(i, k)
			return true
		}
	}
	// Double moves: i takes candidate k; an order b holding stock k needs
	// moves to one of its other candidates.
	two, twoK := []int{i, 0}, []int{0, 0}
	for _, k := range ks[:min(len(ks), 4)] {
		c := &jo.cands[k]
		block := -1
		for _, u := range c.use {
			own := 0
			if cur >= 0 {
				for _, v := range jo.cands[cur].use {
					if v.pair == u.pair {
						own = v.qty
					}
				}
			}
			if j.used[u.pair]-own+u.qty > j.stock[u.pair] {
				block = u.pair
				break
			}
		}
		if block < 0 {
			continue
		}
		gain := curCost - c.cost
		tried := 0
		for _, b32 := range j.interest[block] {
			b := int(b32)
			bc := j.choice[b]
			if b == i || bc < 0 || !drawsOn(&j.orders[b].cands[bc], block) {
				continue
			}
			if tried++; tried > maxPartners {
				break
			}
			bo := &j.orders[b]
			for kb := range bo.cands {
				if kb == bc {
					continue
				}
				extra := bo.cands[kb].cost - bo.cands[bc].cost
				if cur >= 0 && extra >= gain {
					continue
				}
				two[1], twoK[0], twoK[1] = b, k, kb
				if j.fits(two, twoK) {
					j.apply(b, kb)
					j.apply(i, k)
					return true
				}
			}
		}
	}
	return false
}

func drawsOn(c *cand, pair int) bool {
	for _, u := range c.use {
		if u.pair == pair {
			return true
		}
	}
	return false
}

// repair is the Lagrangian heuristic: every order takes its least priced
// candidate, stock or not; then, while a pair is overdrawn, the order on it
// whose move to another candidate (one that draws less of it and overdraws
// nothing) costs least moves, and if none can, the order drawing most of it
// is left unplanned (local search may plan it again).
func (j *joint) repair(lam []float64) {
	j.reset()
	j.buildInterest()
	rc := func(c *cand) float64 {
		v := float64(c.cost)
		for _, u := range c.use {
			v += lam[u.pair] * float64(u.qty)
		}
		return v
	}
	for i := range j.orders {
		jo := &j.orders[i]
		if !jo.ok {
			continue
		}
		bk, bv := -1, math.Inf(1)
		for k := range jo.cands {
			if v := rc(&jo.cands[k]); v < bv {
				bk, bv = k, v
			}
		}
		j.apply(i, bk)
	}
	one, oneK := []int{0}, []int{0}
	for p := range j.used {
		for j.used[p] > j.stock[p] {
			bi, bk, bd := -1, -1, int64(infCost)
			wi, wn := -1, 0
			for _, i32 := range j.interest[p] {
				i := int(i32)
				cur := j.choice[i]
				if cur < 0 {
					continue
				}
				jo := &j.orders[i]
				have := drawOf(&jo.cands[cur], p)
				if have == 0 {
					continue
				}
				if have > wn {
					wi, wn = i, have
				}
				for k := range jo.cands {
					if k == cur || drawOf(&jo.cands[k], p) >= have {
						continue
					}
					d := jo.cands[k].cost - jo.cands[cur].cost
					if d >= bd {
						continue
					}
					one[0], oneK[0] = i, k
					if j.fits(one, oneK) {
						bi, bk, bd = i, k, d
					}
				}
			}
			if bi >= 0 {
				j.apply(bi, bk)
			} else {
				j.apply(wi, -1)
			}
		}
	}
	j.improve()
}

func drawOf(c *cand, pair int) int {
	for _, u := range c.use {
		if u.pair == pair {
			return u.qty
		}
	}
	return 0
}

// bestLeft is order i's cheapest plan over all its plans against the stock
// the current plan leaves (its own choice counted as left).
func (j *joint) bestLeft(i int) (cand, bool) {
	s, jo := j.s, &j.orders[i]
	s.price = nil
	for p := range s.stock {
		s.stock[p] = j.stock[p] - j.used[p]
	}
	if cur := j.choice[i]; cur >= 0 {
		for _, u := range jo.cands[cur].use {
			s.stock[u.pair] += u.qty
		}
	}
	if r, _ := s.prepare(&j.m.orders[i]); r != "" {
		return cand{}, false
	}
	s.search(j.o.Strategy == Heuristic)
	if s.bestCost >= infCost {
		return cand{}, false
	}
	copy(s.x, s.best)
	return cand{cost: s.bestCost - j.m.extraParcel - j.m.extraWarehouse, use: s.uses()}, true
}

// replan plans order i again over all its plans, against the stock the
// others leave it, and takes the result if it is cheaper: the move that
// finds the split no candidate had. It reports whether it moved.
func (j *joint) replan(i int) bool {
	jo := &j.orders[i]
	cur := j.choice[i]
	if cur == 0 || (cur >= 0 && jo.cands[cur].cost <= jo.cands[0].cost) {
		return false // already individually cheapest
	}
	c, ok := j.bestLeft(i)
	if !ok || (cur >= 0 && c.cost >= jo.cands[cur].cost) {
		return false
	}
	k := j.add(i, c)
	if k < 0 {
		return false
	}
	j.apply(i, k)
	return true
}

// pairReplan takes orders i and b out and plans them again over all their
// plans against what the others leave, i first; it keeps the result if
// both are planned for less than before (or i was unplanned), else puts
// them back. It reports whether it moved.
func (j *joint) pairReplan(i, b int) bool {
	oi, ob := j.choice[i], j.choice[b]
	before := j.orders[b].cands[ob].cost
	if oi >= 0 {
		before += j.orders[i].cands[oi].cost
	}
	j.apply(i, -1)
	j.apply(b, -1)
	j.pairBudget -= 2
	if ci, ok := j.bestLeft(i); ok {
		if ki := j.add(i, ci); ki >= 0 {
			j.apply(i, ki)
			if cb, ok := j.bestLeft(b); ok {
				if kb := j.add(b, cb); kb >= 0 && (oi < 0 || ci.cost+cb.cost < before) {
					j.apply(b, kb)
					return true
				}
			}
			j.apply(i, -1)
		}
	}
	j.apply(i, oi)
	j.apply(b, ob)
	return false
}

// eject tries, for an order not on its cheapest plan (or unplanned), to
// take a cheaper candidate by moving an order that holds the stock it
// needs to that order's best plan over all its plans against what is then
// left. Up to maxEject partners per candidate, each one search.
func (j *joint) eject(i int) bool {
	s, jo := j.s, &j.orders[i]
	cur := j.choice[i]
	curCost := int64(infCost)
	if cur >= 0 {
		curCost = jo.cands[cur].cost
	}
	var ks []int
	for k := range jo.cands {
		if k != cur && jo.cands[k].cost < curCost {
			ks = append(ks, k)
		}
	}
	slices.SortStableFunc(ks, func(a, b int) int { return cmp.Compare(jo.cands[a].cost, jo.cands[b].cost) })
	two, twoK := []int{i, 0}, []int{0, -1}
	for _, k := range ks[:min(3, len(ks))] {
		c := &jo.cands[k]
		block := -1
		for _, u := range c.use {
			own := 0
			if cur >= 0 {
				own = drawOf(&jo.cands[cur], u.pair)
			}
			if j.used[u.pair]-own+u.qty > j.stock[u.pair] {
				block = u.pair
				break
			}
		}
		if block < 0 {
			continue
		}
		tried := 0
		for _, b32 := range j.interest[block] {
			b := int(b32)
			bc := j.choice[b]
			if b == i || bc < 0 || drawOf(&j.orders[b].cands[bc], block) == 0 {
				continue
			}
			if tried++; tried > maxEject {
				break
			}
			two[1], twoK[0] = b, k
			if !j.fits(two, twoK) {
				continue
			}
			// Move i, take b out, plan b against what is left.
			old := bc
			j.apply(b, -1)
			j.apply(i, k)
			for p := range s.stock {
				s.stock[p] = j.stock[p] - j.used[p]
			}
			s.price = nil
			if r, _ := s.prepare(&j.m.orders[b]); r == "" {
				s.search(j.o.Strategy == Heuristic)
				if s.bestCost < infCost {
					copy(s.x, s.best)
					nb := cand{cost: s.bestCost - j.m.extraParcel - j.m.extraWarehouse, use: s.uses()}
					bo := &j.orders[b]
					if gain := curCost - c.cost - (nb.cost - bo.cands[old].cost); gain > 0 {
						if kb := j.add(b, nb); kb >= 0 {
							j.apply(b, kb)
							return true
						}
					}
				}
			}
			j.apply(i, cur)
			j.apply(b, old)
			if j.pairBudget > 0 && j.pairReplan(i, b) {
				return true
			}
		}
	}
	return false
}

// maxEject bounds the partners eject tries per candidate.
const maxEject = 8
