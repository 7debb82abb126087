package plan

// Plan is the answer to a Problem: one OrderPlan per order, in input order,
// fulfilled or not, and the totals.
type Plan struct {
	Strategy string      `json:"strategy"`
	Mode     string      `json:"mode"`
	Orders   []OrderPlan `json:"orders"`
	Summary  Summary     `json:"summary"`
}

// Summary totals a plan. Costs count planned orders only.
type Summary struct {
	Orders      int   `json:"orders"`
	Planned     int   `json:"planned"`
	Unfulfilled int   `json:"unfulfilled"`
	Parcels     int   `json:"parcels"`
	FreightFen  int64 `json:"freight_fen"`
	PenaltyFen  int64 `json:"penalty_fen"`
	TotalFen    int64 `json:"total_fen"`
	// Exact counts orders whose plan is proven optimal (the search finished
	// within its budget); the others got the heuristic's answer.
	Exact int `json:"exact"`
	// Joint describes a joint or bounded plan; absent in arrival order.
	Joint *JointSummary `json:"joint,omitempty"`
}

// Order statuses.
const (
	StatusPlanned     = "planned"
	StatusUnfulfilled = "unfulfilled"
)

// Reasons an order cannot be fulfilled.
const (
	ReasonNoStock      = "no_stock"       // not enough units left in all warehouses together
	ReasonNoCarrier    = "no_carrier"     // no carrier delivers this temperature class to the destination
	ReasonUnitTooLarge = "unit_too_large" // one unit exceeds every eligible carrier's parcel limit
	ReasonNoRoute      = "no_route"       // no carrier has a rate from a warehouse holding the goods
	ReasonPromise      = "promise"        // routes exist but none arrives within the promised days
)

// OrderPlan is the plan for one order. A planned order has parcels; an
// unfulfilled one has Reason and Message instead and consumes no stock.
type OrderPlan struct {
	ID      string `json:"id"`
	Status  string `json:"status"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// Method is "exact" when the plan is proven optimal for the stock left
	// at that point, "heuristic" when the search ran out of budget, or
	// "greedy" for the baseline.
	Method       string        `json:"method,omitempty"`
	Parcels      []Parcel      `json:"parcels,omitempty"`
	FreightFen   int64         `json:"freight_fen"`
	PenaltyFen   int64         `json:"penalty_fen"`
	CostFen      int64         `json:"cost_fen"`
	Explanation  string        `json:"explanation,omitempty"`
	Alternatives []Alternative `json:"alternatives,omitempty"`
	// Concession, in a joint or bounded plan, says what an order gave up
	// for the batch: it did not get its individually cheapest plan (or any
	// plan) because other orders needed that stock.
	Concession *Concession `json:"concession,omitempty"`
}

// Alternative is a plan the planner considered and did not choose, with its
// total cost (freight plus penalties).
type Alternative struct {
	Description string `json:"description"`
	CostFen     int64  `json:"cost_fen"`
}

// Parcel is one box: units of one temperature class from one warehouse,
// carried by one carrier.
type Parcel struct {
	Warehouse   string `json:"warehouse"`
	Carrier     string `json:"carrier"`
	Temp        string `json:"temp"`
	Lines       []Line `json:"lines"`
	WeightG     int    `json:"weight_g"`
	VolumeCM3   int    `json:"volume_cm3"`
	ChargeableG int    `json:"chargeable_g"`
	CostFen     int64  `json:"cost_fen"`
	Days        int    `json:"days"`
	Explanation string `json:"explanation,omitempty"`
}
