package plan

import (
	"cmp"
	"slices"
)

// branchAndBound searches every combination of the orders' candidates
// (each order one candidate or none) for the plan with the fewest
// unplanned orders, then the least cost, starting from the best known. It
// reports whether the plan is proven optimal: the search finished within
// its budget and every order's candidates are all its plans.
func (j *joint) branchAndBound() bool {
	var ord []int
	complete := true
	// Candidates are re-sorted (all but the first, the individually
	// cheapest): remember the incumbent by content.
	saved := make([][]use, len(j.bestChoice))
	for i, k := range j.bestChoice {
		if k >= 0 {
			saved[i] = j.orders[i].cands[k].use
		}
	}
	for i := range j.orders {
		if jo := &j.orders[i]; jo.ok {
			ord = append(ord, i)
			complete = complete && jo.enumerated
			slices.SortStableFunc(jo.cands[1:], func(a, b cand) int { return cmp.Compare(a.cost, b.cost) })
		}
	}
	for i, u := range saved {
		if u != nil {
			j.bestChoice[i] = slices.IndexFunc(j.orders[i].cands, func(c cand) bool { return slices.Equal(c.use, u) })
		}
	}
	// Fewest candidates first: the tightest choices near the root.
	slices.SortStableFunc(ord, func(a, b int) int { return cmp.Compare(len(j.orders[a].cands), len(j.orders[b].cands)) })
	// rest[x] is a lower bound on the cost of orders ord[x:]: each its
	// cheapest plan.
	rest := make([]int64, len(ord)+1)
	for x := len(ord) - 1; x >= 0; x-- {
		c := j.orders[ord[x]].cands[0].cost
		for _, k := range j.orders[ord[x]].cands {
			c = min(c, k.cost)
		}
		rest[x] = rest[x+1] + c
	}
	const unplanned = int64(1) << 40 // outweighs any cost of a small batch
	best := int64(j.bestUnf)*unplanned + j.bestCost
	bestSeen := slices.Clone(j.bestChoice)
	j.reset()
	nodes, aborted := 0, false
	one, oneK := []int{0}, []int{0}
	var dfs func(x int, val int64)
	dfs = func(x int, val int64) {
		if aborted {
			return
		}
		if nodes++; nodes > exactNodeBudget {
			aborted = true
			return
		}
		if x == len(ord) {
			if val < best {
				best = val
				copy(bestSeen, j.choice)
			}
			return
		}
		if val+rest[x] >= best {
			return
		}
		i := ord[x]
		jo := &j.orders[i]
		for k := range jo.cands {
			if val+jo.cands[k].cost+rest[x+1] >= best {
				continue
			}
			one[0], oneK[0] = i, k
			if !j.fits(one, oneK) {
				continue
			}
			j.apply(i, k)
			dfs(x+1, val+jo.cands[k].cost)
			j.apply(i, -1)
			if aborted {
				return
			}
		}
		dfs(x+1, val+unplanned)
	}
	dfs(0, 0)
	j.bestChoice = nil
	j.reset()
	for i, k := range bestSeen {
		if k >= 0 {
			j.apply(i, k)
		}
	}
	j.keep()
	return !aborted && complete
}
