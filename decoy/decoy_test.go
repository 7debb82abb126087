package decoy

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"strconv"
	"testing"

	"github.com/yuncang/yuncang"
)

// TestOrderIDFollowsTheMerchant: a decoy id has the merchant's shape, takes
// only numbers the merchant skipped inside its own range (so a later real
// order never collides with it), and is never one the merchant used.
func TestOrderIDFollowsTheMerchant(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var samples []string
	used := map[string]bool{}
	for n := 100; n < 400; n += 1 + n%3 { // a sequence with gaps
		id := fmt.Sprintf("YWG-20261128-%06d", n)
		samples = append(samples, id)
		used[id] = true
	}
	shape := regexp.MustCompile(`^YWG-20261128-\d{6}$`)
	for range 200 {
		id := OrderID(samples, r)
		if !shape.MatchString(id) || used[id] {
			t.Fatalf("decoy id %q", id)
		}
		n, _ := strconv.Atoi(id[len(id)-6:])
		if n < 100 || n >= 400 {
			t.Fatalf("decoy id %q lies outside the merchant's range", id)
		}
	}
	// A dense sequence leaves no safe number: no decoy now.
	dense := []string{"A-0001", "A-0002", "A-0003", "A-0004"}
	if id := OrderID(dense, r); id != "" {
		t.Fatalf("dense sequence gave %q", id)
	}
	// Random-looking numbers: a fresh one of the same width.
	var random []string
	for range 50 {
		random = append(random, fmt.Sprintf("TB%012d", r.Uint64N(1e12)))
	}
	if id := OrderID(random, r); !regexp.MustCompile(`^TB\d{12}$`).MatchString(id) {
		t.Fatalf("random pattern gave %q", id)
	}
}

// TestOrderUsesTheMerchantsSKUs: lines come from the merchant's catalogue
// and the order is marked a decoy; the recipient passes intake validation.
func TestOrderUsesTheMerchantsSKUs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	skus := []*yuncang.SKU{{Code: "TOY-1"}, {Code: "TOY-2"}, {Code: "TOY-3"}}
	for range 50 {
		p, err := Order(7, []string{"S-10", "S-14", "S-19"}, skus, r)
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
		merged, pos := Interleave(batch, []*yuncang.PreparedOrder{{Decoy: true}}, r)
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
