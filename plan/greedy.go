package plan

import (
	"fmt"
	"strings"
)

// Greedy plans the orders the way a warehouse does without a planner, as the
// baseline yuncang's planner is measured against:
//
//   - the nearest warehouse (by distance to the destination province's
//     capital) that can ship the whole order; failing that, the nearest
//     warehouses in turn, each taking what it has;
//   - one carrier per destination province and temperature class, chosen
//     once per batch as the cheapest for a 1 kg parcel (averaged over the
//     warehouses it has a rate from); when that carrier cannot take a
//     parcel (no route from this warehouse, too slow for the promise, too
//     small), the cheapest at 1 kg that can;
//   - units packed first-fit, in line order, into that carrier's parcel size.
//
// Orders are planned in input order against shared stock, like Solve, and
// unfulfillable orders are reported the same way.
func Greedy(p *Problem) (*Plan, error) {
	m, err := compile(p)
	if err != nil {
		return nil, err
	}
	s := newSolver(m)
	fixed := make([]int, numProvinces*numTemps)
	for i := range fixed {
		fixed[i] = -2 // not chosen yet
	}
	plan := &Plan{Strategy: string(GreedyBaseline), Orders: make([]OrderPlan, len(m.orders))}
	for i := range m.orders {
		o := &m.orders[i]
		out := &plan.Orders[i]
		out.ID = o.id
		if reason, msg := s.prepare(o); reason != "" {
			out.Status, out.Reason, out.Message = StatusUnfulfilled, reason, msg
			continue
		}
		s.greedyAssign()
		out.Method = string(GreedyBaseline)
		s.greedyEmit(out, fixed)
		s.consume()
	}
	plan.summarise()
	return plan, nil
}

// greedyAssign fills s.x: the nearest warehouse that ships every line, or
// else the nearest warehouses in turn.
func (s *solver) greedyAssign() {
	L := len(s.ln)
	clear(s.x)
	for _, w := range s.pref {
		ok := true
		for l := range L {
			if s.avail(w, l) < s.ln[l].qty || !contains(s.ship[l], w) {
				ok = false
				break
			}
		}
		if ok {
			for l := range L {
				s.x[w*L+l] = s.ln[l].qty
			}
			return
		}
	}
	for l := range L {
		rem := s.ln[l].qty
		for _, w := range s.ship[l] { // already nearest first
			k := min(rem, s.avail(w, l))
			s.x[w*L+l] = k
			if rem -= k; rem == 0 {
				break
			}
		}
	}
}

// regionCarrier is the carrier Greedy uses for a destination province and
// class, or -1: the cheapest at 1 kg, averaged over the warehouses it has a
// rate from. Chosen once and remembered in fixed.
func (s *solver) regionCarrier(fixed []int, prov, t int) int {
	k := prov*numTemps + t
	if fixed[k] != -2 {
		return fixed[k]
	}
	m := s.m
	best, bestAvg := -1, int64(0)
	for c := range m.carriers {
		var sum, n int64
		for w := range s.nW {
			routes := m.routesFor(w, prov, t)
			for i := range routes {
				if routes[i].carrier == c {
					f, _ := m.price(&routes[i], 1000, 1)
					sum, n = sum+f, n+1
				}
			}
		}
		if n > 0 && (best < 0 || sum/n < bestAvg) {
			best, bestAvg = c, sum/n
		}
	}
	fixed[k] = best
	return best
}

// greedyEmit packs each warehouse's units first-fit into parcels of the
// region's carrier and prices them.
func (s *solver) greedyEmit(out *OrderPlan, fixed []int) {
	m := s.m
	L := len(s.ln)
	out.Status = StatusPlanned
	whs := 0
	var notes []string
	for _, w := range s.pref {
		if s.unitsAt(w) == 0 {
			continue
		}
		whs++
		for t := range numTemps {
			cands := s.cands[w*numTemps+t]
			main := -1
			if rc := s.regionCarrier(fixed, s.ord.prov, t); rc >= 0 {
				for i := range cands {
					if cands[i].carrier == rc {
						main = i
					}
				}
			}
			var drafts []draft
			var lines []int
			for l := range L {
				if s.ln[l].temp != t || s.x[w*L+l] == 0 {
					continue
				}
				d := &s.ln[l]
				host := main
				if host < 0 || !m.fits(cands[host].carrier, d.wG, d.vC) {
					host = s.cheapestAt1kg(cands, d)
				}
				hc := &m.carriers[cands[host].carrier]
				lines = append(lines, l)
				left := s.x[w*L+l]
				for pi := range drafts {
					x := &drafts[pi]
					if left == 0 {
						break
					}
					if x.route != host {
						continue
					}
					k := min(left, (hc.maxW-x.wG)/d.wG, (hc.maxV-x.vC)/d.vC)
					if k > 0 {
						x.counts = append(x.counts, l, k)
						x.wG, x.vC, left = x.wG+k*d.wG, x.vC+k*d.vC, left-k
					}
				}
				per := min(hc.maxW/d.wG, hc.maxV/d.vC)
				for left > 0 {
					k := min(left, per)
					drafts = append(drafts, draft{counts: []int{l, k}, wG: k * d.wG, vC: k * d.vC, route: host})
					left -= k
				}
			}
			for _, d := range drafts {
				r := &cands[d.route]
				fen, charge := m.price(r, d.wG, d.vC)
				p := Parcel{Warehouse: m.whs[w].code, Carrier: m.carriers[r.carrier].code, Temp: tempNames[t],
					WeightG: d.wG, VolumeCM3: d.vC, ChargeableG: charge, CostFen: fen, Days: r.days}
				for i := 0; i < len(d.counts); i += 2 {
					p.Lines = append(p.Lines, Line{SKU: m.skus[s.ln[d.counts[i]].sku].code, Qty: d.counts[i+1]})
				}
				p.Explanation = s.parcelText(cands, d.route, d.wG, d.vC)
				out.Parcels = append(out.Parcels, p)
				out.FreightFen += fen
			}
			if len(drafts) > 0 && (main < 0 || drafts[0].route != main) {
				notes = append(notes, fmt.Sprintf("the region's carrier cannot take %s goods from %s", tempNames[t], m.whs[w].code))
			}
		}
	}
	out.PenaltyFen = int64(len(out.Parcels)-1)*m.extraParcel + int64(whs-1)*m.extraWarehouse
	out.CostFen = out.FreightFen + out.PenaltyFen
	expl := fmt.Sprintf("Greedy baseline: nearest warehouse(s) with stock, the region's fixed carrier, first-fit parcels; %d parcels from %d warehouses, %s", len(out.Parcels), whs, yuan(out.CostFen))
	if len(notes) > 0 {
		expl += "; " + strings.Join(notes, "; ")
	}
	out.Explanation = expl + "."
}

// cheapestAt1kg is the route, among those that take one unit of d, with the
// lowest 1 kg price.
func (s *solver) cheapestAt1kg(cands []route, d *lineData) int {
	best, bestFen := -1, int64(0)
	for i := range cands {
		if !s.m.fits(cands[i].carrier, d.wG, d.vC) {
			continue
		}
		if f, _ := s.m.price(&cands[i], 1000, 1); best < 0 || f < bestFen {
			best, bestFen = i, f
		}
	}
	return best
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
