package plan

import (
	"fmt"

	"github.com/yuncang/yuncang"
)

func errStrategy(s Strategy) error {
	return yuncang.Invalid("strategy", "unknown strategy %q (want auto, exact, heuristic or greedy)", s)
}

// diagnose explains why line l cannot be shipped in full, checking the
// causes from the most basic (no stock at all) to the most specific (only
// the promise stands in the way), so the message names what to fix first.
func (s *solver) diagnose(l int) (reason, msg string) {
	m := s.m
	d := &s.ln[l]
	sku := m.skus[d.sku].code
	dest := provinces[s.ord.prov]
	total := 0
	for w := range s.nW {
		total += s.stock[d.sku*s.nW+w]
	}
	if total < d.qty {
		return ReasonNoStock, fmt.Sprintf("SKU %s: %d wanted, %d left in all warehouses", sku, d.qty, total)
	}
	covers, fitsUnit, routed := false, false, false
	for c := range m.carriers {
		if ci := &m.carriers[c]; ci.covers[s.ord.prov] && ci.temps[d.temp] {
			covers = true
			fitsUnit = fitsUnit || m.fits(c, d.wG, d.vC)
		}
	}
	for w := range s.nW {
		routed = routed || len(m.routesFor(w, s.ord.prov, d.temp)) > 0
	}
	switch {
	case !covers:
		return ReasonNoCarrier, fmt.Sprintf("SKU %s: no carrier delivers %s goods to %s (%s)", sku, tempNames[d.temp], dest.name, dest.code)
	case !fitsUnit:
		return ReasonUnitTooLarge, fmt.Sprintf("SKU %s: one unit (%d g, %d cm³) exceeds the parcel limits of every carrier delivering %s goods to %s", sku, d.wG, d.vC, tempNames[d.temp], dest.name)
	case !routed:
		return ReasonNoRoute, fmt.Sprintf("SKU %s: no carrier has a %s rate from any warehouse's zone to %s (%s)", sku, tempNames[d.temp], dest.name, dest.code)
	}
	// Stock on warehouses with a route that takes one unit, with and
	// without the promise.
	reach, fastest := 0, -1
	for w := range s.nW {
		a := s.stock[d.sku*s.nW+w]
		if a == 0 {
			continue
		}
		ok := false
		for _, r := range m.routesFor(w, s.ord.prov, d.temp) {
			if m.fits(r.carrier, d.wG, d.vC) {
				ok = true
				if fastest < 0 || r.days < fastest {
					fastest = r.days
				}
			}
		}
		if ok {
			reach += a
		}
	}
	if reach >= d.qty && s.ord.promise > 0 {
		return ReasonPromise, fmt.Sprintf("SKU %s: promised in %d days, but the fastest route to %s from a warehouse holding it takes %d", sku, s.ord.promise, dest.name, fastest)
	}
	return ReasonNoRoute, fmt.Sprintf("SKU %s: %d wanted, only %d held where a carrier can send it to %s", sku, d.qty, reach, dest.name)
}
