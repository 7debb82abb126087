// Package decoy makes canary orders that an insider cannot tell from the
// merchant's real ones: merchant order ids in the merchant's own pattern
// (learnt from its real ids: prefix, date part, width, and the step or
// residues its numbers keep), recipients as plausible as real ones, lines
// of the merchant's own SKUs. Where and when they are stored — among real
// orders, in the intake's own transaction — is decided by the caller
// (httpapi's decoy intake) and storage (sqlstore.CreateOrders).
package decoy

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/demodata"
	"github.com/yuncang/yuncang/intake"
)

// seqID is a merchant order id split around its last run of digits (the
// sequence): what stands before it (prefix, date part), its width and
// value, and what follows it.
type seqID struct {
	prefix, suffix string
	width          int
	n              uint64
}

// parse splits id into its shape and sequence number.
func parse(id string) (seqID, bool) {
	end := strings.LastIndexFunc(id, isDigit)
	if end < 0 {
		return seqID{}, false
	}
	start := end
	for start > 0 && isDigit(rune(id[start-1])) {
		start--
	}
	if end+1-start > 18 {
		return seqID{}, false
	}
	n, err := strconv.ParseUint(id[start:end+1], 10, 64)
	if err != nil {
		return seqID{}, false
	}
	return seqID{prefix: id[:start], suffix: id[end+1:], width: end + 1 - start, n: n}, true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func (s seqID) sameShape(o seqID) bool {
	return s.prefix == o.prefix && s.suffix == o.suffix && s.width == o.width
}

func (s seqID) format(n uint64) string {
	d := strconv.FormatUint(n, 10)
	return s.prefix + strings.Repeat("0", s.width-len(d)) + d + s.suffix
}

// residues is what a merchant's numbers say about their step: for each
// modulus m, the classes n mod m its numbers (almost) never fall in. A
// merchant counting up by 2 never uses one parity, by 10 only one class
// mod 10; a decoy in such a class would be the one odd number among even
// ones. Moduli are tried up to half the sample count, and a class is
// forbidden only when it holds under a quarter of its fair share, so
// random-looking numbers forbid (almost) nothing.
type residues struct {
	forbidden map[uint64]map[uint64]bool // modulus → class → forbidden
}

func learnResidues(nums []uint64) residues {
	out := residues{forbidden: map[uint64]map[uint64]bool{}}
	maxM := min(uint64(len(nums)/2), 100)
	for m := uint64(2); m <= maxM; m++ {
		count := make([]int, m)
		for _, n := range nums {
			count[n%m]++
		}
		fair := float64(len(nums)) / float64(m)
		for c, k := range count {
			if float64(k) < fair/4 {
				if out.forbidden[m] == nil {
					out.forbidden[m] = map[uint64]bool{}
				}
				out.forbidden[m][uint64(c)] = true
			}
		}
	}
	return out
}

func (r residues) allows(n uint64) bool {
	for m, classes := range r.forbidden {
		if classes[n%m] {
			return false
		}
	}
	return true
}

// OrderID returns a merchant order id in the pattern of the merchant's
// ids — batch, the real orders it is about to be placed among, and recent,
// the merchant's recent ones — or "" when none can be made safely now.
//
// It takes a batch id as template and keeps everything but its last run of
// digits (prefix, date part, width, suffix). For that run it picks a
// number the merchant skipped inside the batch's own span, so that sorted
// by creation the decoy's number sits between its neighbours', and of a
// class the merchant's numbers use (learnResidues: the step, the parity).
// A merchant's own numbering moves forward, so a skipped number is never
// issued later and the decoy never takes a real order's id. A batch with
// no such gap gets no decoy; the next one may.
func OrderID(batch, recent []string, r *rand.Rand) string {
	if len(batch) == 0 {
		return ""
	}
	t, ok := parse(batch[r.IntN(len(batch))])
	if !ok {
		return ""
	}
	seen := map[uint64]bool{}
	var nums []uint64
	lo, hi := uint64(1<<63), uint64(0)
	add := func(id string, inBatch bool) {
		s, ok := parse(id)
		if !ok || !s.sameShape(t) || seen[s.n] {
			return
		}
		seen[s.n] = true
		nums = append(nums, s.n)
		if inBatch {
			lo, hi = min(lo, s.n), max(hi, s.n)
		}
	}
	for _, id := range batch {
		add(id, true)
	}
	for _, id := range recent {
		add(id, false)
	}
	if hi <= lo+1 {
		return ""
	}
	res := learnResidues(nums)
	fits := func(n uint64) bool { return !seen[n] && res.allows(n) }
	span := hi - lo - 1 // the numbers strictly between
	if span <= 1<<16 {
		var cands []uint64
		for n := lo + 1; n < hi; n++ {
			if fits(n) {
				cands = append(cands, n)
			}
		}
		if len(cands) == 0 {
			return ""
		}
		return t.format(cands[r.IntN(len(cands))])
	}
	for range 256 {
		if n := lo + 1 + r.Uint64N(span); fits(n) {
			return t.format(n)
		}
	}
	return ""
}

// Order makes one decoy order for the tenant: an id in the merchant's
// pattern (OrderID over batch and recent), a generated recipient, one to
// three of its SKUs. It returns nil when no safe id can be made now.
func Order(tenantID int64, batch, recent []string, skus []*yuncang.SKU, r *rand.Rand) (*yuncang.PreparedOrder, error) {
	moid := OrderID(batch, recent, r)
	if moid == "" || len(skus) == 0 {
		return nil, nil
	}
	g := demodata.NewGenerator(r.Uint64())
	var lines []yuncang.OrderLine
	for _, i := range r.Perm(len(skus))[:1+r.IntN(min(3, len(skus)))] {
		lines = append(lines, yuncang.OrderLine{SKUCode: skus[i].Code, Quantity: 1 + r.IntN(3)})
	}
	p, err := intake.Prepare(tenantID, yuncang.OrderInput{MerchantOrderID: moid, Lines: lines,
		Recipient: yuncang.Recipient{Name: g.Name(), Phone: g.Phone(), Address: g.Address()}, Remarks: g.Remarks()})
	if err != nil {
		return nil, err
	}
	p.Decoy = true
	return p, nil
}

// Interleave places the decoys among the batch and returns the merged
// batch and, for each order of the batch, its index in the merged one.
// A decoy goes inside the batch (never first or last), where its number
// fits between its neighbours' when the batch is in number order, so that
// sorted by creation the merchant's numbers still rise; at a random inner
// position otherwise.
func Interleave(batch, decoys []*yuncang.PreparedOrder, r *rand.Rand) ([]*yuncang.PreparedOrder, []int) {
	merged := slices.Clone(batch)
	for _, d := range decoys {
		merged = slices.Insert(merged, position(merged, d, r), d)
	}
	pos := make([]int, 0, len(batch))
	for i, p := range merged {
		if !p.Decoy {
			pos = append(pos, i)
		}
	}
	return merged, pos
}

// position is where decoy d goes in merged: a random inner position among
// those whose neighbours' numbers bracket d's, or any inner one.
func position(merged []*yuncang.PreparedOrder, d *yuncang.PreparedOrder, r *rand.Rand) int {
	if len(merged) < 2 {
		return r.IntN(len(merged) + 1)
	}
	ds, ok := parse(d.MerchantOrderID)
	var fit []int
	for i := 1; ok && i < len(merged); i++ {
		a, okA := parse(merged[i-1].MerchantOrderID)
		b, okB := parse(merged[i].MerchantOrderID)
		if okA && okB && a.sameShape(ds) && b.sameShape(ds) && a.n < ds.n && ds.n < b.n {
			fit = append(fit, i)
		}
	}
	if len(fit) > 0 {
		return fit[r.IntN(len(fit))]
	}
	return 1 + r.IntN(len(merged)-1)
}
