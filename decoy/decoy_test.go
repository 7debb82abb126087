package decoy

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/yuncang/yuncang"
)

// merchantIDs numbers n orders format(k) from start, each step times
// 1, 2 or 3 (the merchant's other channels take numbers too), and returns
// them in order.
func merchantIDs(r *rand.Rand, format string, start, step, n int) []string {
	var ids []string
	for range n {
		start += step * (1 + r.IntN(3)/2 + r.IntN(5)/4)
		ids = append(ids, fmt.Sprintf(format, start))
	}
	return ids
}

// TestOrderIDFollowsTheMerchant: a decoy id has the merchant's shape, takes
// only numbers the merchant skipped inside the batch's span (so a later
// real order never collides with it, and sorted by creation the numbers
// still rise), and is never one the merchant used.
func TestOrderIDFollowsTheMerchant(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	all := merchantIDs(r, "YWG-20261128-%06d", 100, 1, 300)
	recent, batch := all[:250], all[250:]
	used := map[string]bool{}
	for _, id := range all {
		used[id] = true
	}
	lo, _ := strconv.Atoi(batch[0][13:])
	hi, _ := strconv.Atoi(batch[len(batch)-1][13:])
	shape := regexp.MustCompile(`^YWG-20261128-\d{6}$`)
	for range 200 {
		id := OrderID(batch, recent, r)
		if !shape.MatchString(id) || used[id] {
			t.Fatalf("decoy id %q", id)
		}
		n, _ := strconv.Atoi(id[len(id)-6:])
		if n <= lo || n >= hi {
			t.Fatalf("decoy id %q lies outside the batch's span %d–%d", id, lo, hi)
		}
	}
	// A dense sequence leaves no safe number: no decoy now.
	dense := []string{"A-0001", "A-0002", "A-0003", "A-0004"}
	if id := OrderID(dense, nil, r); id != "" {
		t.Fatalf("dense sequence gave %q", id)
	}
	// Random-looking numbers: a fresh one of the same width.
	var random []string
	for range 50 {
		random = append(random, fmt.Sprintf("TB%012d", r.Uint64N(1e12)))
	}
	if id := OrderID(random, nil, r); !regexp.MustCompile(`^TB\d{12}$`).MatchString(id) {
		t.Fatalf("random pattern gave %q", id)
	}
}

// TestOrderIDKeepsTheStep: a merchant whose numbers go up by 2 (so all
// odd, or all even — as the demo's two merchants sharing one counter), by
// 10, or that never uses one class mod 3, gets decoys of its classes only:
// a decoy filling a skipped number of the other parity would be the one
// odd number among even ones. On the old code (any skipped number) most
// decoys broke the step.
func TestOrderIDKeepsTheStep(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	cases := []struct {
		name      string
		ids       []string
		mod, want int
	}{
		{"by 2, odd", merchantIDs(r, "YWG-20261128-%06d", 1, 2, 260), 2, 1},
		{"by 2, even", merchantIDs(r, "HZF-20261128-%06d", 0, 2, 260), 2, 0},
		{"by 10", merchantIDs(r, "SO%08d", 1003, 10, 260), 10, 3},
	}
	// Shared counter, one merchant takes every other number: dense in its
	// own step, so only the gaps of width 4 are safe.
	var alt []string
	for n := 2; n < 1000; n += 2 {
		if r.IntN(8) != 0 { // some orders of this merchant were cancelled before import
			alt = append(alt, fmt.Sprintf("HZ-%05d", n))
		}
	}
	cases = append(cases, struct {
		name      string
		ids       []string
		mod, want int
	}{"shared counter", alt, 2, 0})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recent, batch := c.ids[:len(c.ids)-60], c.ids[len(c.ids)-60:]
			used := map[string]bool{}
			for _, id := range c.ids {
				used[id] = true
			}
			made := 0
			for range 300 {
				id := OrderID(batch, recent, r)
				if id == "" {
					continue
				}
				made++
				s, ok := parse(id)
				if !ok || used[id] || int(s.n)%c.mod != c.want {
					t.Fatalf("decoy %q breaks the merchant's step (%d mod %d)", id, c.want, c.mod)
				}
			}
			if made == 0 {
				t.Fatal("no decoy id made though the merchant skips numbers of its step")
			}
		})
	}
	// Never the class the merchant's numbers avoid: n → n+1+n%3 never
	// lands on 2 mod 3, and every number it skips is 2 mod 3, so no safe
	// number exists.
	var mod3 []string
	for n := 100; n < 400; n += 1 + n%3 {
		mod3 = append(mod3, fmt.Sprintf("M-%04d", n))
	}
	if id := OrderID(mod3[200:], mod3[:200], r); id != "" {
		t.Fatalf("a sequence that skips only one class mod 3 gave %q", id)
	}
}

// TestOrderUsesTheMerchantsSKUs: lines come from the merchant's catalogue
// and the order is marked a decoy; the recipient passes intake validation.
func TestOrderUsesTheMerchantsSKUs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	skus := []*yuncang.SKU{{Code: "TOY-1"}, {Code: "TOY-2"}, {Code: "TOY-3"}}
	for range 50 {
		p, err := Order(7, []string{"S-10", "S-14", "S-19"}, nil, skus, r)
		if err != nil || p == nil {
			t.Fatalf("Order: %v %v", p, err)
		}
		if !p.Decoy || p.TenantID != 7 || len(p.Lines) == 0 || len(p.Lines) > 3 || p.Masked.Phone == "" {
			t.Fatalf("decoy %+v", p)
		}
		for _, l := range p.Lines {
			if l.SKUCode[:4] != "TOY-" || l.Quantity < 1 {
				t.Fatalf("line %+v", l)
			}
		}
	}
}

// TestInterleave: decoys land among the batch, the batch keeps its order.
func TestInterleave(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var batch []*yuncang.PreparedOrder
	for i := range 10 {
		batch = append(batch, &yuncang.PreparedOrder{MerchantOrderID: strconv.Itoa(i)})
	}
	inside := 0
	for range 100 {
		merged, pos := Interleave(batch, []*yuncang.PreparedOrder{{Decoy: true, MerchantOrderID: "x"}}, r)
		if len(merged) != 11 || len(pos) != 10 {
			t.Fatal("lengths")
		}
		for i, p := range pos {
			if merged[p] != batch[i] {
				t.Fatal("batch order broken")
			}
		}
		if !merged[0].Decoy && !merged[10].Decoy {
			inside++
		}
	}
	if inside < 50 {
		t.Fatalf("decoy inside the batch only %d of 100 times", inside)
	}
}

// TestInterleaveKeepsTheNumbersRising: in a batch in number order the
// decoy goes between the two orders whose numbers bracket its own, so that
// by database id (and creation) the merchant's numbers keep rising.
func TestInterleaveKeepsTheNumbersRising(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var batch []*yuncang.PreparedOrder
	for _, n := range []int{11, 13, 17, 19, 23, 29, 31} {
		batch = append(batch, &yuncang.PreparedOrder{MerchantOrderID: fmt.Sprintf("S-%03d", n)})
	}
	for range 50 {
		merged, _ := Interleave(batch, []*yuncang.PreparedOrder{{Decoy: true, MerchantOrderID: "S-021"}}, r)
		i := slices.IndexFunc(merged, func(p *yuncang.PreparedOrder) bool { return p.Decoy })
		if i <= 0 || i == len(merged)-1 {
			t.Fatalf("decoy at the edge of the batch (%d of %d)", i, len(merged))
		}
		if merged[i-1].MerchantOrderID != "S-019" || merged[i+1].MerchantOrderID != "S-023" {
			t.Fatalf("decoy S-021 placed between %s and %s", merged[i-1].MerchantOrderID, merged[i+1].MerchantOrderID)
		}
	}
}
