package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// finalize gives every unplanned order one more chance against the stock
// the others left (a plan that none of its candidates had), and moves every
// order whose individually cheapest plan still fits onto it.
func (j *joint) finalize() {
	s := j.s
	s.price = nil
	offset := j.m.extraParcel + j.m.extraWarehouse
	one, oneK := []int{0}, []int{0}
	for i := range j.orders {
		jo := &j.orders[i]
		if !jo.ok {
			continue
		}
		if k := j.choice[i]; k > 0 && jo.cands[0].cost < jo.cands[k].cost {
			one[0], oneK[0] = i, 0
			if j.fits(one, oneK) {
				j.apply(i, 0)
			}
			continue
		}
		if j.choice[i] >= 0 {
			continue
		}
		for p := range s.stock {
			s.stock[p] = j.stock[p] - j.used[p]
		}
		if r, _ := s.prepare(&j.m.orders[i]); r != "" {
			continue
		}
		s.search(j.o.Strategy == Heuristic)
		if s.bestCost >= infCost {
			continue
		}
		copy(s.x, s.best)
		if k := j.add(i, cand{cost: s.evalFull() - offset, use: s.uses()}); k >= 0 {
			j.apply(i, k)
		}
	}
	j.keep()
}

func (j *joint) emit(sum *JointSummary) *Plan {
	m, s := j.m, j.s
	if j.bestChoice != nil {
		j.restore()
		j.finalize()
		j.restore()
	} else {
		j.reset()
	}
	j.buildInterest()
	plan := &Plan{Strategy: string(j.o.Strategy), Mode: string(j.mode), Orders: make([]OrderPlan, len(m.orders))}
	s.price = nil
	for i := range m.orders {
		out, jo := &plan.Orders[i], &j.orders[i]
		out.ID = m.orders[i].id
		sum.Candidates += len(jo.cands)
		if !jo.ok {
			out.Status, out.Reason, out.Message = StatusUnfulfilled, jo.reason, jo.msg
			continue
		}
		// The stock left for this order once every other order has its plan.
		k := j.choice[i]
		for p := range s.stock {
			s.stock[p] = j.stock[p] - j.used[p]
		}
		if k >= 0 {
			for _, u := range jo.cands[k].use {
				s.stock[u.pair] += u.qty
			}
		}
		con := j.concession(i)
		reason, msg := s.prepare(&m.orders[i])
		if k < 0 {
			out.Status = StatusUnfulfilled
			out.Concession = con
			if reason == "" && j.mode != Bounded {
				// finalize plans every order that fits what is left; this
				// one's search found no plan there.
				reason, msg = ReasonNoStock, "no plan found for the stock the other orders leave"
			}
			if reason == "" {
				// A plan fits what is left, but only above the cap.
				s.search(j.o.Strategy == Heuristic)
				left := s.bestCost - m.extraParcel - m.extraWarehouse
				reason = ReasonPremiumCap
				msg = fmt.Sprintf("the cheapest plan the stock left allows costs %s, above its cap of %s (%g%% over its cheapest plan, %s)",
					yuan(left), yuan(jo.capFen), j.pct, yuan(jo.cands[0].cost))
			}
			out.Reason, out.Message = reason, msg+"; "+con.text(true)
			continue
		}
		s.load(jo.cands[k].use)
		note := "Joint plan: its individually cheapest plan"
		if jo.best0Exact {
			note += ", proven by exhaustive search"
		}
		note += "."
		if con != nil {
			note = con.text(false)
			out.Concession = con
			sum.Conceded++
			sum.GaveUpFen += con.ExtraFen
		}
		s.jointNote = note
		s.emit(out)
		s.explain(out, false)
		s.jointNote = ""
		out.Method = string(j.mode)
	}
	plan.summarise()
	plan.Summary.Joint = sum
	return plan
}

// concession says what order i gave up: nil when it has its individually
// cheapest plan (or one as cheap).
func (j *joint) concession(i int) *Concession {
	m, jo := j.m, &j.orders[i]
	best := &jo.cands[0]
	k := j.choice[i]
	if k >= 0 && jo.cands[k].cost <= best.cost {
		return nil
	}
	c := &Concession{BestFen: best.cost, Best: j.describe(best)}
	if k >= 0 {
		c.ExtraFen = jo.cands[k].cost - best.cost
	}
	for _, u := range best.use {
		own := 0
		if k >= 0 {
			for _, v := range jo.cands[k].use {
				if v.pair == u.pair {
					own = v.qty
				}
			}
		}
		left := j.stock[u.pair] - j.used[u.pair] + own
		if u.qty <= left {
			continue
		}
		ct := Contention{SKU: m.skus[u.pair/j.nW].code, Warehouse: m.whs[u.pair%j.nW].code, Needed: u.qty, Left: left}
		type taker struct{ i, n int }
		var takers []taker
		for _, b32 := range j.interest[u.pair] {
			b := int(b32)
			if b == i || j.choice[b] < 0 {
				continue
			}
			for _, v := range j.orders[b].cands[j.choice[b]].use {
				if v.pair == u.pair {
					takers = append(takers, taker{b, v.qty})
				}
			}
		}
		slices.SortStableFunc(takers, func(a, b taker) int { return cmp.Compare(b.n, a.n) })
		for _, t := range takers[:min(5, len(takers))] {
			ct.Orders = append(ct.Orders, m.orders[t.i].id)
			ct.Units = append(ct.Units, t.n)
		}
		c.Because = append(c.Because, ct)
	}
	return c
}

// describe names a plan's warehouses: "all from YW", "from YW + GZ".
func (j *joint) describe(c *cand) string {
	var whs []int
	for _, u := range c.use {
		if w := u.pair % j.nW; !slices.Contains(whs, w) {
			whs = append(whs, w)
		}
	}
	slices.Sort(whs)
	names := make([]string, len(whs))
	for x, w := range whs {
		names[x] = j.m.whs[w].code
	}
	if len(names) == 1 {
		return "all from " + names[0]
	}
	return "from " + strings.Join(names, " + ")
}

// text is the concession in words: what the order gave up and which
// orders took the stock its cheapest plan needed.
func (c *Concession) text(unplanned bool) string {
	var b strings.Builder
	if unplanned {
		fmt.Fprintf(&b, "its cheapest plan (%s, %s) needed ", c.Best, yuan(c.BestFen))
	} else {
		fmt.Fprintf(&b, "Joint plan: %s more than its individually cheapest plan (%s, %s), which needed ", yuan(c.ExtraFen), c.Best, yuan(c.BestFen))
	}
	for x, ct := range c.Because {
		if x > 0 {
			b.WriteString("; ")
		}
		left := "none is"
		if ct.Left > 0 {
			left = fmt.Sprintf("only %d", ct.Left)
		}
		fmt.Fprintf(&b, "%s of %s at %s, and %s left after ", plural(ct.Needed, "unit"), ct.SKU, ct.Warehouse, left)
		for y, id := range ct.Orders {
			if y > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s (%d)", id, ct.Units[y])
		}
		if len(ct.Orders) == 0 {
			b.WriteString("nothing (there is not enough stock)")
		}
	}
	if !unplanned {
		b.WriteString(", whose other plans cost the batch more.")
	}
	return b.String()
}
