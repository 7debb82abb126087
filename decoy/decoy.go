// Package decoy makes canary orders that an insider cannot tell from the
// merchant's real ones: merchant order ids in the merchant's own pattern
// (learnt from its real ids), recipients as plausible as real ones, lines
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

// shape splits an id into its last run of digits (the sequence) and what
// stands before and after it.
func shape(id string) (prefix, seq, suffix string, ok bool) {
	end := strings.LastIndexFunc(id, isDigit)
	if end < 0 {
		return "", "", "", false
	}
	start := end
	for start > 0 && isDigit(rune(id[start-1])) {
		start--
	}
	return id[:start], id[start : end+1], id[end+1:], true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// OrderID returns a merchant order id in the pattern of the samples (the
// merchant's real ids, the current batch's first), or "" when none can be
// made safely now. It takes a sample, keeps everything but its last run of
// digits, and picks for that run a number the merchant skipped: between
// the smallest and largest number seen with the same prefix and width, and
// not seen. A merchant's own numbering moves forward, so a skipped number
// is never issued later and the decoy never takes a real order's id. When
// the numbers look random rather than sequential (few of the possible
// values used and no order to them), any unseen number of the width fits.
func OrderID(samples []string, r *rand.Rand) string {
	if len(samples) == 0 {
		return ""
	}
	template := samples[r.IntN(min(len(samples), 20))] // the current batch comes first
	prefix, seq, suffix, ok := shape(template)
	if !ok {
		return ""
	}
	width := len(seq)
	seen := map[uint64]bool{}
	lo, hi := uint64(1<<63), uint64(0)
	for _, s := range samples {
		p, q, x, ok := shape(s)
		if !ok || p != prefix || x != suffix || len(q) != width {
			continue
		}
		n, err := strconv.ParseUint(q, 10, 64)
		if err != nil {
			continue
		}
		seen[n] = true
		lo, hi = min(lo, n), max(hi, n)
	}
	if len(seen) == 0 || width > 18 {
		return ""
	}
	format := func(n uint64) string {
		s := strconv.FormatUint(n, 10)
		return prefix + strings.Repeat("0", width-len(s)) + s + suffix
	}
	span := hi - lo + 1
	if span > uint64(len(seen)) {
		for range 64 {
			if n := lo + r.Uint64N(span); !seen[n] {
				return format(n)
			}
		}
	}
	// Random-looking numbers fill a small part of their space: a fresh one
	// is as likely as any of them.
	space := uint64(1)
	for range width {
		space *= 10
	}
	if len(seen) >= 8 && span > uint64(len(seen))*1000 {
		for range 64 {
			if n := r.Uint64N(space); !seen[n] {
				return format(n)
			}
		}
	}
	return ""
}

// Order makes one decoy order for the tenant: an id in the merchant's
// pattern, a generated recipient, one to three of its SKUs. It returns nil
// when no safe id can be made now.
func Order(tenantID int64, samples []string, skus []*yuncang.SKU, r *rand.Rand) (*yuncang.PreparedOrder, error) {
	moid := OrderID(samples, r)
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

// Interleave places the decoys among the batch at random positions and
// returns the merged batch and, for each order of the batch, its index in
// the merged one.
func Interleave(batch, decoys []*yuncang.PreparedOrder, r *rand.Rand) ([]*yuncang.PreparedOrder, []int) {
	merged := slices.Clone(batch)
	for _, d := range decoys {
		i := r.IntN(len(merged) + 1)
		merged = slices.Insert(merged, i, d)
	}
	pos := make([]int, 0, len(batch))
	for i, p := range merged {
		if !p.Decoy {
			pos = append(pos, i)
		}
	}
	return merged, pos
}
