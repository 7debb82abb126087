// Package plan decides, for a batch of orders, which warehouse ships which
// units, how they are packed into parcels and which carrier takes each parcel
// (智能分单 and 优选派送组合). It is pure functions over plain data: no
// database, no clock, no randomness outside the instance generator, so the
// same Problem always gives the same Plan.
//
// Solve plans orders one after another against shared stock (an earlier order
// gets first pick) and, for each order, chooses the split and the carriers
// jointly to minimise freight plus the penalties for extra parcels and extra
// warehouses: exactly, by branch and bound, while the search stays within a
// node budget, and by greedy construction plus local search beyond it. Greedy
// is the baseline a warehouse would use without a planner: nearest warehouse,
// first-fit parcels, one carrier per destination province.
//
// With Options.Mode Joint (or Bounded) the batch is planned as a whole
// instead: as many orders fulfilled as the stock allows, then the least
// total cost (Bounded: no order more than a given percentage above its
// individually cheapest plan), by Lagrangian prices on scarce stock over the
// orders' candidate plans, local search, and branch and bound for small
// batches, with a proven lower bound; see joint.go.
//
// Money is integer fen throughout; weights are grams and volumes cm³.
package plan
