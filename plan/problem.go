package plan

// Problem is everything one planning run needs: the network (zones,
// warehouses, carriers), the goods (SKUs and stock) and a batch of orders.
// It is what `yuncang plan` reads as JSON; docs/plan.md describes each field.
type Problem struct {
	// Now is the Beijing time of day ("HH:MM") the batch is planned at. A
	// carrier whose cut-off has passed collects tomorrow, which adds a day to
	// its delivery estimate. Empty means before every cut-off.
	Now        string      `json:"now,omitempty"`
	Zones      []Zone      `json:"zones,omitempty"`
	Warehouses []Warehouse `json:"warehouses"`
	SKUs       []SKU       `json:"skus"`
	Stock      []Stock     `json:"stock"`
	Carriers   []Carrier   `json:"carriers"`
	Penalties  Penalties   `json:"penalties"`
	Orders     []Order     `json:"orders"`
	// Batch says how the orders share scarce stock; absent means arrival
	// order. A command-line or per-call mode overrides it.
	Batch *BatchPolicy `json:"batch,omitempty"`
}

// BatchPolicy chooses how a batch shares stock. Mode is "arrival" (first
// paid, first served: each order against what the earlier ones left),
// "joint" (fulfil as many orders as the stock allows, then least total
// cost) or "bounded" (joint, but no order pays more than MaxPremiumPct
// percent above its individually cheapest plan).
type BatchPolicy struct {
	Mode          string  `json:"mode"`
	MaxPremiumPct float64 `json:"max_premium_pct,omitempty"`
}

// Zone groups provinces that carriers price alike. Without zones each
// province belongs to its geographic region: north, northeast, east,
// central, south, southwest, northwest. With zones, every province that a
// warehouse or an order names must be in exactly one.
type Zone struct {
	Code      string   `json:"code"`
	Provinces []string `json:"provinces"`
}

// Warehouse is a site that ships orders. Lat and Lon are optional; when both
// are zero the capital of its province stands in for distances.
type Warehouse struct {
	Code     string  `json:"code"`
	Name     string  `json:"name,omitempty"`
	Province string  `json:"province"`
	City     string  `json:"city,omitempty"`
	Lat      float64 `json:"lat,omitempty"`
	Lon      float64 `json:"lon,omitempty"`
}

// SKU is a product as the planner sees it: one unit's weight, volume and
// temperature class (ambient, chilled or frozen; default ambient).
type SKU struct {
	Code      string `json:"code"`
	WeightG   int    `json:"weight_g"`
	VolumeCM3 int    `json:"volume_cm3"`
	Temp      string `json:"temp,omitempty"`
}

// Stock is the quantity of an SKU available in a warehouse before the batch.
type Stock struct {
	Warehouse string `json:"warehouse"`
	SKU       string `json:"sku"`
	Qty       int    `json:"qty"`
}

// Carrier is an express company's offer: where it delivers, what it can
// carry and what it charges.
type Carrier struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
	// Covers lists the destination provinces it delivers to; empty means
	// all. Excludes removes provinces from that (e.g. 54 西藏, 65 新疆).
	Covers   []string `json:"covers,omitempty"`
	Excludes []string `json:"excludes,omitempty"`
	// Temps are the temperature classes it carries; empty means ambient only.
	Temps []string `json:"temps,omitempty"`
	// MaxWeightG and MaxVolumeCM3 limit one parcel's actual weight and the
	// sum of its units' volumes; zero means no limit.
	MaxWeightG   int `json:"max_weight_g,omitempty"`
	MaxVolumeCM3 int `json:"max_volume_cm3,omitempty"`
	// VolumeDivisor turns volume into volumetric weight: cm³ ÷ divisor = kg.
	// Default 6000. The chargeable weight is the larger of the two.
	VolumeDivisor int `json:"volume_divisor,omitempty"`
	// FirstWeightG is the weight the first-weight price covers (default
	// 1000); every started StepG beyond it (default 1000) costs the
	// additional price.
	FirstWeightG int `json:"first_weight_g,omitempty"`
	StepG        int `json:"step_g,omitempty"`
	// Cutoff ("HH:MM") is the last collection of the day; see Problem.Now.
	Cutoff string `json:"cutoff,omitempty"`
	Rates  []Rate `json:"rates"`
}

// Rate prices parcels from one origin zone to one destination zone. From and
// To may be "*" for any zone; the most specific match wins (exact pair, then
// From with "*", then "*" with To, then "*" with "*"). A pair with no match
// is a route the carrier does not serve.
type Rate struct {
	From          string `json:"from"`
	To            string `json:"to"`
	FirstFen      int64  `json:"first_fen"`
	AdditionalFen int64  `json:"additional_fen"`
	Days          int    `json:"days"`
}

// Penalties are the costs, in fen, that the planner adds to freight for each
// parcel beyond the first and each warehouse beyond the first of an order:
// handling, packing material, and a customer who receives things separately.
type Penalties struct {
	ExtraParcelFen    int64 `json:"extra_parcel_fen"`
	ExtraWarehouseFen int64 `json:"extra_warehouse_fen"`
}

// Order is one order to plan. PromiseDays is the promised delivery time in
// days (0 means none). Lines naming the same SKU are merged.
type Order struct {
	ID          string `json:"id"`
	Province    string `json:"province"`
	City        string `json:"city,omitempty"`
	PromiseDays int    `json:"promise_days,omitempty"`
	Lines       []Line `json:"lines"`
}

// Line is a quantity of one SKU.
type Line struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}
