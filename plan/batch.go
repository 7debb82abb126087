package plan

import (
	"math"

	"github.com/yuncang/yuncang"
)

// Mode is how a batch shares stock that is too scarce for every order to
// get its individually cheapest plan.
type Mode string

const (
	// Arrival plans orders in the order given, each against what the earlier
	// ones left: first paid, first served.
	Arrival Mode = "arrival"
	// Joint plans the batch as a whole: first as many orders fulfilled as
	// the stock allows, then the least total cost (freight + penalties).
	Joint Mode = "joint"
	// Bounded is Joint with a cap: no order pays more than MaxPremiumPct
	// percent above its individually cheapest plan (an order that cannot be
	// planned within its cap is not planned).
	Bounded Mode = "bounded"
)

// maxPremiumPct bounds the cap; anything larger is Joint.
const maxPremiumPct = 10_000

// ReasonPremiumCap: in a bounded plan, the order could have been planned,
// but only above its premium cap.
const ReasonPremiumCap = "premium_cap"

// batchMode resolves the mode: Options first, then the Problem's policy,
// then Arrival.
func batchMode(p *Problem, o Options) (Mode, float64, error) {
	mode, premium, field := o.Mode, o.MaxPremiumPct, "mode"
	if mode == "" && p.Batch != nil {
		mode, premium, field = Mode(p.Batch.Mode), p.Batch.MaxPremiumPct, "batch.mode"
	}
	switch mode {
	case "", Arrival:
		return Arrival, 0, nil
	case Joint:
		return Joint, 0, nil
	case Bounded:
		if math.IsNaN(premium) || premium < 0 || premium > maxPremiumPct {
			f := "max_premium_pct"
			if field == "batch.mode" {
				f = "batch.max_premium_pct"
			}
			return "", 0, yuncang.Invalid(f, "must be between 0 and %d (percent)", maxPremiumPct)
		}
		return Bounded, premium, nil
	}
	return "", 0, yuncang.Invalid(field, "unknown mode %q (want arrival, joint or bounded)", mode)
}

// JointSummary describes a joint or bounded plan: how good it is against
// a proven lower bound and how much the orders that made way gave up.
type JointSummary struct {
	MaxPremiumPct float64 `json:"max_premium_pct,omitempty"`
	// LowerBoundFen: no plan that fulfils at least as many orders as this
	// one costs less (Lagrangian dual bound over every plan of every order,
	// with prices on scarce stock). BoundProven is false when some order's
	// priced search stopped at its budget; that order then counts 0 in the
	// bound, which stays valid but weaker.
	LowerBoundFen int64 `json:"lower_bound_fen"`
	BoundProven   bool  `json:"bound_proven"`
	// Exact is true when branch and bound over the orders' plans finished:
	// no choice among those plans is better. Small batches enumerate every
	// plan of every order, so there it is the optimum.
	Exact bool `json:"exact"`
	// Candidates is the number of plans considered, over all orders.
	Candidates int `json:"candidates"`
	// Rounds of pricing the stock; Conceded counts orders that did not get
	// their individually cheapest plan, GaveUpFen what they paid above it.
	Rounds    int   `json:"rounds"`
	Conceded  int   `json:"conceded"`
	GaveUpFen int64 `json:"gave_up_fen"`
}

// Concession is what one order gave up in a joint or bounded plan.
type Concession struct {
	// BestFen is the cost of its individually cheapest plan (all the stock
	// to itself), Best describes that plan; ExtraFen what it pays above it
	// (0 when the order was not planned).
	BestFen  int64  `json:"best_fen"`
	Best     string `json:"best"`
	ExtraFen int64  `json:"extra_fen"`
	// Because lists the stock its cheapest plan needed that went to other
	// orders.
	Because []Contention `json:"because"`
}

// Contention is one SKU in one warehouse that an order's cheapest plan
// needed and other orders took.
type Contention struct {
	SKU       string `json:"sku"`
	Warehouse string `json:"warehouse"`
	// Needed units by the cheapest plan; Left for it after the others.
	Needed int `json:"needed"`
	Left   int `json:"left"`
	// Orders are the other orders holding that stock in the plan, most units
	// first (at most five), and Units what each of them takes.
	Orders []string `json:"orders"`
	Units  []int    `json:"units"`
}

// Validate checks a batch policy on its own (for a per-run choice); the
// error names batch.mode or batch.max_premium_pct.
func (b *BatchPolicy) Validate() error {
	_, _, err := batchMode(&Problem{Batch: b}, Options{})
	return err
}
