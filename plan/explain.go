package plan

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// yuan formats fen as "¥12.30".
func yuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s¥%d.%02d", sign, fen/100, fen%100)
}

// kg formats grams as kilograms with two decimals.
func kg(g int) string {
	return strconv.FormatFloat(float64(g)/1000, 'f', 2, 64) + " kg"
}

// parcelText says why this carrier: its price worked out, its delivery
// estimate against the promise, and what the next cheapest carriers that
// take the same parcel would charge.
func (s *solver) parcelText(cands []route, ri int, wG, vC int) string {
	m := s.m
	r := &cands[ri]
	c := &m.carriers[r.carrier]
	fen, charge := m.price(r, wG, vC)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s actual, %s chargeable", c.code, kg(wG), kg(charge))
	if charge > wG {
		fmt.Fprintf(&b, " (volumetric, %d cm³ ÷ %d)", vC, c.divisor)
	}
	if charge > c.firstG {
		steps := (charge - c.firstG + c.stepG - 1) / c.stepG
		fmt.Fprintf(&b, "; %s first %s + %d × %s = %s", yuan(r.firstFen), kg(c.firstG), steps, yuan(r.addFen), yuan(fen))
	} else {
		fmt.Fprintf(&b, "; %s first-weight price", yuan(fen))
	}
	fmt.Fprintf(&b, "; %s", plural(r.days, "day"))
	if r.lateByCut {
		b.WriteString(" (after today's cut-off)")
	}
	if s.ord.promise > 0 {
		fmt.Fprintf(&b, ", promise %d", s.ord.promise)
	}
	type alt struct {
		code string
		fen  int64
	}
	var alts []alt
	for i := range cands {
		if i != ri && m.fits(cands[i].carrier, wG, vC) {
			f, _ := m.price(&cands[i], wG, vC)
			alts = append(alts, alt{m.carriers[cands[i].carrier].code, f})
		}
	}
	slices.SortStableFunc(alts, func(a, b alt) int { return int(a.fen - b.fen) })
	if len(alts) == 0 {
		b.WriteString("; the only eligible carrier")
	} else {
		b.WriteString("; next: ")
		for i, a := range alts[:min(2, len(alts))] {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s %s", a.code, yuan(a.fen))
		}
	}
	return b.String()
}

// explain says why these warehouses, and lists the single-warehouse plans
// not taken with their costs. It restores s.x before returning.
func (s *solver) explain(out *OrderPlan, exact bool) {
	m := s.m
	L := len(s.ln)
	chosen := slices.Clone(s.x)
	var used []int
	for _, w := range s.pref {
		if s.unitsAt(w) > 0 {
			used = append(used, w)
		}
	}
	offset := m.extraWarehouse + m.extraParcel
	type alt struct {
		w    int
		cost int64
	}
	var singles []alt
	nearestAll := -1
	for _, w := range s.pref {
		ok := true
		for l := range L {
			if s.avail(w, l) < s.ln[l].qty || !slices.Contains(s.ship[l], w) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if nearestAll < 0 {
			nearestAll = w
		}
		if len(used) == 1 && used[0] == w {
			continue
		}
		clear(s.x)
		for l := range L {
			s.x[w*L+l] = s.ln[l].qty
		}
		if c := s.evalFull(); c < infCost {
			singles = append(singles, alt{w, c - offset})
		}
	}
	copy(s.x, chosen)
	slices.SortStableFunc(singles, func(a, b alt) int { return int(a.cost - b.cost) })

	var b strings.Builder
	dest := provinces[s.ord.prov]
	fmt.Fprintf(&b, "%s from ", plural(len(out.Parcels), "parcel"))
	for i, w := range used {
		if i > 0 {
			b.WriteString(" + ")
		}
		fmt.Fprintf(&b, "%s (%s, %.0f km to %s)", m.whs[w].code, provinces[m.whs[w].prov].name, s.dist[w], dest.name)
	}
	b.WriteString(": ")
	switch {
	case len(used) == 1 && nearestAll == used[0] && len(singles) == 0:
		b.WriteString("the only warehouse that can ship every line")
	case len(used) == 1 && nearestAll == used[0]:
		b.WriteString("the nearest warehouse that can ship every line, and the cheapest")
	case len(used) == 1 && nearestAll >= 0:
		near := nearestAll
		var nearCost int64
		for _, a := range singles {
			if a.w == near {
				nearCost = a.cost
			}
		}
		fmt.Fprintf(&b, "ships every line for %s less than the nearest warehouse that can, %s (%.0f km)", yuan(nearCost-out.CostFen), m.whs[near].code, s.dist[near])
	case len(used) == 1:
		b.WriteString("ships every line")
	case len(singles) == 0:
		b.WriteString("no single warehouse can ship every line")
	default:
		fmt.Fprintf(&b, "splitting saves %s against the best single warehouse, %s", yuan(singles[0].cost-out.CostFen), m.whs[singles[0].w].code)
	}
	if why := s.whyParcels(out, used); why != "" {
		b.WriteString("; " + why)
	}
	fmt.Fprintf(&b, ". Freight %s + penalties %s", yuan(out.FreightFen), yuan(out.PenaltyFen))
	var pen []string
	if n := len(out.Parcels) - 1; n > 0 && m.extraParcel > 0 {
		pen = append(pen, fmt.Sprintf("%s × %s", plural(n, "extra parcel"), yuan(m.extraParcel)))
	}
	if n := len(used) - 1; n > 0 && m.extraWarehouse > 0 {
		pen = append(pen, fmt.Sprintf("%s × %s", plural(n, "extra warehouse"), yuan(m.extraWarehouse)))
	}
	if len(pen) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(pen, ", "))
	}
	fmt.Fprintf(&b, " = %s.", yuan(out.CostFen))
	if s.jointNote != "" {
		b.WriteString(" " + s.jointNote)
	} else if exact {
		fmt.Fprintf(&b, " Proven cheapest by exhaustive search (%d nodes).", s.nodes)
	} else if s.aborted {
		fmt.Fprintf(&b, " Heuristic plan: the exhaustive search stopped at its budget of %d nodes.", s.budget)
	} else if s.budget == 0 {
		b.WriteString(" Heuristic plan (no exhaustive search requested).")
	} else {
		b.WriteString(" Heuristic plan: some parcels were packed by first-fit, not proven optimal.")
	}
	out.Explanation = b.String()
	out.Alternatives = out.Alternatives[:0]
	for _, a := range singles[:min(3, len(singles))] {
		out.Alternatives = append(out.Alternatives, Alternative{
			Description: fmt.Sprintf("all from %s (%.0f km): %s, %s more", m.whs[a.w].code, s.dist[a.w], yuan(a.cost), yuan(a.cost-out.CostFen)),
			CostFen:     a.cost,
		})
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// whyParcels says why a warehouse sends more than one parcel: temperature
// classes never share a box, a class's goods exceed every eligible carrier's
// parcel limit, or separate parcels simply cost less.
func (s *solver) whyParcels(out *OrderPlan, used []int) string {
	m := s.m
	var notes []string
	for _, w := range used {
		code := m.whs[w].code
		temps, parcels := 0, 0
		for t := range numTemps {
			n, wG, vC := 0, 0, 0
			for i := range out.Parcels {
				if p := &out.Parcels[i]; p.Warehouse == code && p.Temp == tempNames[t] {
					n, wG, vC = n+1, wG+p.WeightG, vC+p.VolumeCM3
				}
			}
			if n == 0 {
				continue
			}
			temps, parcels = temps+1, parcels+n
			if n > 1 {
				if ri, _ := m.cheapest(s.cands[w*numTemps+t], wG, vC); ri < 0 {
					notes = append(notes, fmt.Sprintf("%s's %s goods (%s, %d cm³) exceed every eligible carrier's parcel limit", code, tempNames[t], kg(wG), vC))
				} else {
					notes = append(notes, fmt.Sprintf("%s's %s goods cost less as %d parcels than as one", code, tempNames[t], n))
				}
			}
		}
		if temps > 1 {
			notes = append(notes, fmt.Sprintf("%s ships %d temperature classes, which never share a parcel", code, temps))
		}
	}
	return strings.Join(notes, "; ")
}
