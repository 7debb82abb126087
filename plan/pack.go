package plan

// Packing: given the units of one temperature class that one warehouse
// ships for an order, split them into parcels and give each parcel a carrier
// so that freight plus the per-parcel penalty is least.
//
// The cost of a parcel depends only on its total weight and volume, so units
// of the same SKU are interchangeable and a packing is a partition of a
// multiset. Three tiers, cheapest first:
//
//  1. One parcel, when some carrier takes everything and its price is no
//     more than the least any two parcels could cost (two first-weight prices
//     and two penalties). This settles almost every real order and is exact.
//  2. Dynamic programming over sub-multisets (best(S) = min over parcels T
//     in S holding S's first unit of single(T) + best(S−T)), exact, while the
//     state space is small.
//  3. First-fit decreasing into the parcel size of each carrier in turn,
//     then the cheapest carrier for each parcel; the best of these. Not exact.

// Bounds on the exact packing DP: sub-multisets, and (sub-multiset, part) pairs.
const (
	maxDPStates = 4096
	maxDPPairs  = 200_000
)

// dim is one SKU of a group: its unit weight and volume and how many units.
type dim struct {
	line   int
	wG, vC int
	n      int
}

// draft is a parcel before it is written out: units per dim, totals, route.
type draft struct {
	counts []int
	wG, vC int
	route  int // index into the group's candidate routes
}

// cheapest returns the cheapest route (index into cands) that takes a parcel
// of this weight and volume, preferring the faster, then the earlier carrier.
func (m *model) cheapest(cands []route, wG, vC int) (int, int64) {
	best, bestFen := -1, int64(infCost)
	for i := range cands {
		r := &cands[i]
		if !m.fits(r.carrier, wG, vC) {
			continue
		}
		fen, _ := m.price(r, wG, vC)
		if fen < bestFen || (fen == bestFen && best >= 0 && r.days < cands[best].days) {
			best, bestFen = i, fen
		}
	}
	return best, bestFen
}

// packer holds scratch space reused across groups and orders.
type packer struct {
	m                  *model
	single, best       []int64
	choice             []int32
	sumW, sumV         []int
	digits, sub, radix []int
}

// pack returns the least cost (freight plus one penalty per parcel) of
// shipping dims on cands, whether that cost is proven least, and, when
// parcels is true, the parcels. The cost is infCost when some unit fits no
// carrier.
func (p *packer) pack(cands []route, dims []dim, parcels bool) (int64, bool, []draft) {
	m := p.m
	pen := m.extraParcel
	totW, totV, units := 0, 0, 0
	minFirst := int64(infCost)
	for _, r := range cands {
		minFirst = min(minFirst, r.firstFen)
	}
	for _, d := range dims {
		totW += d.wG * d.n
		totV += d.vC * d.n
		units += d.n
	}
	if units == 0 {
		return 0, true, nil
	}
	if ri, fen := m.cheapest(cands, totW, totV); ri >= 0 && fen+pen <= 2*(minFirst+pen) {
		var out []draft
		if parcels {
			d := draft{counts: make([]int, len(dims)), wG: totW, vC: totV, route: ri}
			for i, x := range dims {
				d.counts[i] = x.n
			}
			out = []draft{d}
		}
		return fen + pen, true, out
	}
	states, pairs := 1, 1
	for _, d := range dims {
		states *= d.n + 1
		pairs *= (d.n + 1) * (d.n + 2) / 2
		if states > maxDPStates || pairs > maxDPPairs {
			cost, out := p.packFFD(cands, dims, parcels)
			return cost, false, out
		}
	}
	cost, out := p.packDP(cands, dims, states, parcels)
	return cost, true, out
}

func (p *packer) packDP(cands []route, dims []dim, states int, parcels bool) (int64, []draft) {
	m := p.m
	pen := m.extraParcel
	D := len(dims)
	p.single = grow(p.single, states)
	p.best = grow(p.best, states)
	p.choice = grow(p.choice, states)
	p.sumW = grow(p.sumW, states)
	p.sumV = grow(p.sumV, states)
	p.radix = grow(p.radix, D)
	p.digits = grow(p.digits, D)
	p.sub = grow(p.sub, D)
	r := 1
	for j, d := range dims {
		p.radix[j] = r
		r *= d.n + 1
	}
	// decode fills p.digits with the sub-multiset idx and returns its
	// lowest non-zero dim.
	decode := func(idx int) int {
		low := -1
		for j := D - 1; j >= 0; j-- {
			p.digits[j] = idx / p.radix[j]
			idx -= p.digits[j] * p.radix[j]
			if p.digits[j] > 0 {
				low = j
			}
		}
		return low
	}
	p.single[0], p.best[0], p.sumW[0], p.sumV[0] = 0, 0, 0, 0
	for idx := 1; idx < states; idx++ {
		j := decode(idx)
		p.sumW[idx] = p.sumW[idx-p.radix[j]] + dims[j].wG
		p.sumV[idx] = p.sumV[idx-p.radix[j]] + dims[j].vC
		if _, fen := m.cheapest(cands, p.sumW[idx], p.sumV[idx]); fen < infCost {
			p.single[idx] = fen + pen
		} else {
			p.single[idx] = infCost
		}
	}
	for idx := 1; idx < states; idx++ {
		j0 := decode(idx)
		best, choice := int64(infCost), int32(-1)
		for j := range D {
			p.sub[j] = 0
		}
		p.sub[j0] = 1
		t := p.radix[j0]
		for {
			if c := p.single[t]; c < infCost {
				if rest := p.best[idx-t]; rest < infCost && c+rest < best {
					best, choice = c+rest, int32(t)
				}
			}
			j := 0
			for ; j < D; j++ {
				if p.sub[j] < p.digits[j] {
					p.sub[j]++
					t += p.radix[j]
					break
				}
				lo := 0
				if j == j0 {
					lo = 1
				}
				t -= (p.sub[j] - lo) * p.radix[j]
				p.sub[j] = lo
			}
			if j == D {
				break
			}
		}
		p.best[idx], p.choice[idx] = best, choice
	}
	cost := p.best[states-1]
	if !parcels || cost >= infCost {
		return cost, nil
	}
	var out []draft
	for idx := states - 1; idx > 0; {
		t := int(p.choice[idx])
		decode(t)
		d := draft{counts: make([]int, D), wG: p.sumW[t], vC: p.sumV[t]}
		copy(d.counts, p.digits[:D])
		d.route, _ = m.cheapest(cands, d.wG, d.vC)
		out = append(out, d)
		idx -= t
	}
	return cost, out
}

// packFFD packs by first-fit decreasing once per carrier's parcel size and
// keeps the cheapest result. Units too big for that carrier go, also first
// fit, into parcels of the largest carrier that takes them.
func (p *packer) packFFD(cands []route, dims []dim, parcels bool) (int64, []draft) {
	m := p.m
	order := make([]int, len(dims))
	for i := range order {
		order[i] = i
	}
	// Heaviest units first; ties by volume, then by input order.
	for i := 1; i < len(order); i++ {
		for j := i; j > 0; j-- {
			a, b := dims[order[j-1]], dims[order[j]]
			if a.wG > b.wG || (a.wG == b.wG && a.vC >= b.vC) {
				break
			}
			order[j-1], order[j] = order[j], order[j-1]
		}
	}
	bestCost := int64(infCost)
	var bestOut []draft
	for main := range cands {
		var out []draft
		ok := true
		for _, j := range order {
			d := dims[j]
			host := main
			if !m.fits(cands[host].carrier, d.wG, d.vC) {
				host = -1
				for i := range cands {
					c := &m.carriers[cands[i].carrier]
					if m.fits(cands[i].carrier, d.wG, d.vC) && (host < 0 || c.maxW > m.carriers[cands[host].carrier].maxW) {
						host = i
					}
				}
				if host < 0 {
					ok = false
					break
				}
			}
			hc := &m.carriers[cands[host].carrier]
			left := d.n
			for pi := range out {
				if left == 0 {
					break
				}
				x := &out[pi]
				if x.route != host {
					continue
				}
				k := min(left, (hc.maxW-x.wG)/d.wG, (hc.maxV-x.vC)/d.vC)
				if k > 0 {
					x.counts[j] += k
					x.wG += k * d.wG
					x.vC += k * d.vC
					left -= k
				}
			}
			per := min(left, hc.maxW/d.wG, hc.maxV/d.vC)
			for left > 0 {
				k := min(left, per)
				x := draft{counts: make([]int, len(dims)), wG: k * d.wG, vC: k * d.vC, route: host}
				x.counts[j] = k
				out = append(out, x)
				left -= k
			}
		}
		if !ok {
			continue
		}
		cost := int64(0)
		for i := range out {
			ri, fen := m.cheapest(cands, out[i].wG, out[i].vC)
			out[i].route = ri
			cost += fen + m.extraParcel
		}
		if cost < bestCost {
			bestCost, bestOut = cost, out
		}
	}
	if !parcels {
		return bestCost, nil
	}
	return bestCost, bestOut
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
