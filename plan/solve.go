package plan

import (
	"cmp"
	"encoding/binary"
	"slices"

	"github.com/yuncang/yuncang"
)

// Strategy selects how Solve plans each order.
type Strategy string

const (
	// Auto searches exactly while the search stays within Options.NodeBudget
	// and keeps the heuristic's answer (improved as far as the search got)
	// beyond it.
	Auto Strategy = "auto"
	// Exact searches without a budget: optimal, and slow on large orders.
	Exact Strategy = "exact"
	// Heuristic skips the search: greedy construction plus local search.
	Heuristic Strategy = "heuristic"
	// GreedyBaseline is what Greedy does; see there.
	GreedyBaseline Strategy = "greedy"
)

// DefaultNodeBudget bounds the branch-and-bound search of one order under
// Auto. Orders of 1–5 lines of a few units finish in a few hundred nodes;
// the budget only stops pathological ones (many lines, large quantities,
// stock spread over many warehouses).
const DefaultNodeBudget = 20_000

// Options tune Solve. The zero value is Auto with the default budget.
type Options struct {
	Strategy   Strategy
	NodeBudget int
	// Mode is how the batch shares stock: Arrival (the default), Joint or
	// Bounded; empty takes the Problem's Batch policy, else Arrival.
	// MaxPremiumPct is Bounded's cap: no order pays more than this many
	// percent above its individually cheapest plan.
	Mode          Mode
	MaxPremiumPct float64
	// JointWork bounds the joint planner's priced re-plans of single
	// orders, as a multiple of the batch size; 0 means DefaultJointWork.
	JointWork int
}

// Solve plans the problem's orders. In arrival mode (the default; see
// Options.Mode for joint and bounded) it plans them in the order given, each against the
// stock the earlier ones left (greedy by order: a batch is planned as the
// orders arrived, so an early order is never worse off because of a later
// one). For each order it picks the warehouses, the parcels and the carriers
// together, minimising freight + ExtraParcelFen per parcel beyond the first
// + ExtraWarehouseFen per warehouse beyond the first. An order that cannot be
// fulfilled whole is reported with its reason and takes no stock.
func Solve(p *Problem, o Options) (*Plan, error) {
	mode, premium, err := batchMode(p, o)
	if err != nil {
		return nil, err
	}
	if o.Strategy == GreedyBaseline {
		if mode != Arrival {
			return nil, yuncang.Invalid("mode", "the greedy baseline plans in arrival order only")
		}
		return Greedy(p)
	}
	if o.Strategy == "" {
		o.Strategy = Auto
	}
	if o.Strategy != Auto && o.Strategy != Exact && o.Strategy != Heuristic {
		return nil, errStrategy(o.Strategy)
	}
	m, err := compile(p)
	if err != nil {
		return nil, err
	}
	if mode != Arrival {
		return solveJoint(m, o, mode, premium)
	}
	s := newSolver(m)
	switch o.Strategy {
	case Exact:
		s.budget = int(^uint(0) >> 1)
	case Heuristic:
		s.budget = 0
	default:
		s.budget = o.NodeBudget
		if s.budget <= 0 {
			s.budget = DefaultNodeBudget
		}
	}
	plan := &Plan{Strategy: string(o.Strategy), Mode: string(Arrival), Orders: make([]OrderPlan, len(m.orders))}
	for i := range m.orders {
		s.solveOrder(&m.orders[i], &plan.Orders[i], o.Strategy == Heuristic)
	}
	plan.summarise()
	return plan, nil
}

// lineData is an order line with its SKU's facts at hand.
type lineData struct {
	sku, qty, wG, vC, temp int
}

// solver plans one order at a time; its scratch space is reused.
type solver struct {
	m     *model
	pk    packer
	stock []int // what is left, index sku*nW + warehouse
	nW    int

	ord       *orderInfo
	ln        []lineData
	lineOrder []int
	cands     [][]route // index w*numTemps+t: routes meeting the promise
	candBuf   []route
	ship      [][]int // per line: warehouses that hold it and can send a unit of it
	suffix    [][]int // per line: stock in ship[l][k:], summed
	pref      []int   // warehouses, nearest to the destination first
	dist      []float64
	memo      map[string]int64
	key       []byte
	dims      []dim

	x, best  []int // units of line l from warehouse w, index w*L+l
	gc       []int64
	used     []int
	bestCost int64
	nodes    int
	budget   int
	aborted  bool
	inexact  bool

	// price, when set, charges every unit taken from a warehouse a price
	// per (SKU, warehouse), index sku*nW + warehouse: the joint planner's
	// Lagrangian prices on scarce stock. Nil in arrival order.
	price []int64
	// jointNote, when set, replaces the sentence on how the plan was found
	// (the joint planner chose it among the order's plans).
	jointNote string
}

func newSolver(m *model) *solver {
	s := &solver{m: m, pk: packer{m: m}, nW: len(m.whs), memo: map[string]int64{}}
	s.stock = slices.Clone(m.stock)
	s.cands = make([][]route, s.nW*numTemps)
	s.gc = make([]int64, s.nW*numTemps)
	s.used = make([]int, s.nW)
	s.dist = make([]float64, s.nW)
	s.pref = make([]int, s.nW)
	return s
}

// prepare loads an order: its lines, the eligible routes per warehouse and
// class, the warehouses each line can come from. It returns a reason and
// message when the order cannot be fulfilled at all.
func (s *solver) prepare(o *orderInfo) (reason, msg string) {
	m := s.m
	s.ord = o
	s.ln = s.ln[:0]
	for _, l := range o.lines {
		k := &m.skus[l.sku]
		s.ln = append(s.ln, lineData{sku: l.sku, qty: l.qty, wG: k.weightG, vC: k.volCM3, temp: k.temp})
	}
	dest := &provinces[o.prov]
	for w := range s.nW {
		s.dist[w] = distanceKM(m.whs[w].lat, m.whs[w].lon, dest.lat, dest.lon)
		s.pref[w] = w
	}
	slices.SortStableFunc(s.pref, func(a, b int) int { return cmp.Compare(s.dist[a], s.dist[b]) })
	s.candBuf = s.candBuf[:0]
	for w := range s.nW {
		for t := range numTemps {
			start := len(s.candBuf)
			for _, r := range m.routesFor(w, o.prov, t) {
				if o.promise == 0 || r.days <= o.promise {
					s.candBuf = append(s.candBuf, r)
				}
			}
			s.cands[w*numTemps+t] = s.candBuf[start:len(s.candBuf):len(s.candBuf)]
		}
	}
	// candBuf may have moved while growing; slice it again.
	off := 0
	for i := range s.cands {
		n := len(s.cands[i])
		s.cands[i] = s.candBuf[off : off+n : off+n]
		off += n
	}
	L := len(s.ln)
	for len(s.ship) < L {
		s.ship = append(s.ship, nil)
		s.suffix = append(s.suffix, nil)
	}
	for l := range L {
		d := &s.ln[l]
		s.ship[l] = s.ship[l][:0]
		total := 0
		for _, w := range s.pref {
			a := s.stock[d.sku*s.nW+w]
			if a == 0 || !s.canSend(s.cands[w*numTemps+d.temp], d) {
				continue
			}
			s.ship[l] = append(s.ship[l], w)
			total += a
		}
		if total < d.qty {
			return s.diagnose(l)
		}
		s.suffix[l] = grow(s.suffix[l], len(s.ship[l])+1)
		s.suffix[l][len(s.ship[l])] = 0
		for k := len(s.ship[l]) - 1; k >= 0; k-- {
			s.suffix[l][k] = s.suffix[l][k+1] + s.stock[d.sku*s.nW+s.ship[l][k]]
		}
	}
	// Most constrained lines first, then the heaviest: the big decisions
	// are made near the root, where pruning pays most.
	s.lineOrder = s.lineOrder[:0]
	for l := range L {
		s.lineOrder = append(s.lineOrder, l)
	}
	slices.SortStableFunc(s.lineOrder, func(a, b int) int {
		if c := cmp.Compare(len(s.ship[a]), len(s.ship[b])); c != 0 {
			return c
		}
		return cmp.Compare(s.ln[b].qty*s.ln[b].wG, s.ln[a].qty*s.ln[a].wG)
	})
	s.x = grow(s.x, s.nW*L)
	s.best = grow(s.best, s.nW*L)
	clear(s.x)
	clear(s.used)
	clear(s.gc)
	if len(s.memo) > 4096 {
		// One huge order must not make clearing slow for every later one.
		s.memo = map[string]int64{}
	} else {
		clear(s.memo)
	}
	s.inexact, s.aborted, s.nodes = false, false, 0
	return "", ""
}

// canSend reports whether some route takes a parcel of one unit of d.
func (s *solver) canSend(cands []route, d *lineData) bool {
	for i := range cands {
		if s.m.fits(cands[i].carrier, d.wG, d.vC) {
			return true
		}
	}
	return false
}

func (s *solver) avail(w, l int) int { return s.stock[s.ln[l].sku*s.nW+w] }

// unitPrice is the price on one unit of line l taken from warehouse w.
func (s *solver) unitPrice(w, l int) int64 { return s.price[s.ln[l].sku*s.nW+w] }

// groupCost is the least cost of the units of class t currently assigned to
// warehouse w: freight plus one penalty per parcel. Memoised per order.
func (s *solver) groupCost(w, t int) int64 {
	L := len(s.ln)
	k := binary.AppendUvarint(s.key[:0], uint64(w*numTemps+t))
	nonEmpty := false
	for l := range L {
		if s.ln[l].temp == t {
			n := s.x[w*L+l]
			k = binary.AppendUvarint(k, uint64(n))
			nonEmpty = nonEmpty || n > 0
		}
	}
	s.key = k
	if !nonEmpty {
		return 0
	}
	if c, ok := s.memo[string(k)]; ok {
		return c
	}
	s.dims = s.dims[:0]
	for l := range L {
		if d := &s.ln[l]; d.temp == t && s.x[w*L+l] > 0 {
			s.dims = append(s.dims, dim{line: l, wG: d.wG, vC: d.vC, n: s.x[w*L+l]})
		}
	}
	c, exact, _ := s.pk.pack(s.cands[w*numTemps+t], s.dims, false)
	if !exact {
		s.inexact = true
	}
	s.memo[string(k)] = c
	return c
}

// evalFull is the search's cost of assignment s.x: group costs plus one
// warehouse penalty per warehouse used. The reported order cost is this
// less one parcel and one warehouse penalty.
func (s *solver) evalFull() int64 {
	L := len(s.ln)
	total := int64(0)
	for w := range s.nW {
		n := 0
		for l := range L {
			n += s.x[w*L+l]
		}
		if n == 0 {
			continue
		}
		total += s.m.extraWarehouse
		if s.price != nil {
			for l := range L {
				total += int64(s.x[w*L+l]) * s.unitPrice(w, l)
			}
		}
		for t := range numTemps {
			c := s.groupCost(w, t)
			if c >= infCost {
				return infCost
			}
			total += c
		}
	}
	return total
}

func (s *solver) solveOrder(o *orderInfo, out *OrderPlan, heuristicOnly bool) {
	out.ID = o.id
	if reason, msg := s.prepare(o); reason != "" {
		out.Status, out.Reason, out.Message = StatusUnfulfilled, reason, msg
		return
	}
	s.heuristic()
	exact := false
	if !heuristicOnly {
		clear(s.x)
		s.dfs(0, 0, s.ln[s.lineOrder[0]].qty, 0)
		exact = !s.aborted && !s.inexact
	}
	out.Method = "heuristic"
	if exact {
		out.Method = "exact"
	}
	copy(s.x, s.best)
	s.emit(out)
	s.explain(out, exact)
	s.consume()
}

// dfs is the branch and bound. It places the units of line lineOrder[li],
// rem of them still to place, on warehouses ship[l][pos:], with total the
// cost of what is placed so far. Group costs only grow as units are added,
// so total is a lower bound for every completion and a branch whose total
// reaches the best known cost is cut.
func (s *solver) dfs(li, pos, rem int, total int64) {
	if s.aborted {
		return
	}
	if s.nodes++; s.nodes > s.budget {
		s.aborted = true
		return
	}
	if rem == 0 {
		if li++; li == len(s.ln) {
			if total < s.bestCost {
				s.bestCost = total
				copy(s.best, s.x)
			}
			return
		}
		pos, rem = 0, s.ln[s.lineOrder[li]].qty
	}
	l := s.lineOrder[li]
	ws := s.ship[l]
	if pos == len(ws) || rem > s.suffix[l][pos] {
		return
	}
	L := len(s.ln)
	w, t := ws[pos], s.ln[l].temp
	g := w*numTemps + t
	old := s.gc[g]
	for x := min(rem, s.avail(w, l)); x >= 1; x-- {
		s.x[w*L+l] = x
		s.used[w] += x
		nc := s.groupCost(w, t)
		nt := total - old + nc
		if s.price != nil {
			nt += int64(x) * s.unitPrice(w, l)
		}
		if s.used[w] == x {
			nt += s.m.extraWarehouse
		}
		if nc < infCost && nt < s.bestCost {
			s.gc[g] = nc
			s.dfs(li, pos+1, rem-x, nt)
			s.gc[g] = old
		}
		s.x[w*L+l] = 0
		s.used[w] -= x
		if s.aborted {
			return
		}
	}
	s.dfs(li, pos+1, rem, total)
}

// heuristic finds a good assignment fast, into s.best and s.bestCost: every
// warehouse that can ship the whole order alone; a greedy fill seeded by
// each warehouse in turn; then local search on the best of those.
func (s *solver) heuristic() {
	L := len(s.ln)
	s.bestCost = infCost
	keep := func() {
		if c := s.evalFull(); c < s.bestCost {
			s.bestCost = c
			copy(s.best, s.x)
		}
	}
	for _, w := range s.pref {
		clear(s.x)
		ok := true
		for l := range L {
			if s.avail(w, l) < s.ln[l].qty || !slices.Contains(s.ship[l], w) {
				ok = false
				break
			}
			s.x[w*L+l] = s.ln[l].qty
		}
		if ok {
			keep()
		}
	}
	// A single warehouse that holds everything is usually the answer; the
	// seeded fills matter when none does, or when a split might be cheaper.
	for _, w0 := range s.pref {
		clear(s.x)
		for _, l := range s.lineOrder {
			rem := s.ln[l].qty
			if slices.Contains(s.ship[l], w0) {
				k := min(rem, s.avail(w0, l))
				s.x[w0*L+l] = k
				rem -= k
			}
			for rem > 0 {
				bw, bk, bd := -1, 0, int64(0)
				for _, w := range s.ship[l] {
					k := min(rem, s.avail(w, l)-s.x[w*L+l])
					if k <= 0 {
						continue
					}
					t := s.ln[l].temp
					before := s.groupCost(w, t)
					s.x[w*L+l] += k
					after := s.groupCost(w, t)
					s.x[w*L+l] -= k
					d := after - before
					if s.unitsAt(w) == 0 {
						d += s.m.extraWarehouse
					}
					if s.price != nil {
						d += int64(k) * s.unitPrice(w, l)
					}
					d /= int64(k) // per unit, so a big chunk is not penalised for its size
					if bw < 0 || d < bd {
						bw, bk, bd = w, k, d
					}
				}
				s.x[bw*L+l] += bk
				rem -= bk
			}
		}
		keep()
	}
	copy(s.x, s.best)
	cur := s.bestCost
	for iter := 0; iter < 20; iter++ {
		improved := false
		// Move one line's units from one warehouse to another.
		for l := range L {
			for _, w := range s.ship[l] {
				for _, w2 := range s.ship[l] {
					n := s.x[w*L+l]
					k := min(n, s.avail(w2, l)-s.x[w2*L+l])
					if w2 == w || n == 0 || k <= 0 {
						continue
					}
					s.x[w*L+l] -= k
					s.x[w2*L+l] += k
					if c := s.evalFull(); c < cur {
						cur, improved = c, true
						continue
					}
					s.x[w*L+l] += k
					s.x[w2*L+l] -= k
				}
			}
		}
		// Empty a warehouse into another one: saves a warehouse penalty
		// that no single-line move can.
		for w := range s.nW {
			if s.unitsAt(w) == 0 {
				continue
			}
			for w2 := range s.nW {
				if w2 == w {
					continue
				}
				saved := slices.Clone(s.x)
				for l := range L {
					n := s.x[w*L+l]
					if n == 0 || !slices.Contains(s.ship[l], w2) {
						continue
					}
					k := min(n, s.avail(w2, l)-s.x[w2*L+l])
					s.x[w*L+l] -= k
					s.x[w2*L+l] += k
				}
				if c := s.evalFull(); c < cur {
					cur, improved = c, true
				} else {
					copy(s.x, saved)
				}
			}
		}
		if !improved {
			break
		}
	}
	if cur < s.bestCost {
		s.bestCost = cur
		copy(s.best, s.x)
	}
}

func (s *solver) unitsAt(w int) int {
	L := len(s.ln)
	n := 0
	for l := range L {
		n += s.x[w*L+l]
	}
	return n
}

// consume takes the planned units out of stock.
func (s *solver) consume() {
	L := len(s.ln)
	for w := range s.nW {
		for l := range L {
			s.stock[s.ln[l].sku*s.nW+w] -= s.x[w*L+l]
		}
	}
}

// emit writes the parcels of assignment s.x into out, warehouses in input
// order, then classes, then parcels as packed.
func (s *solver) emit(out *OrderPlan) {
	m := s.m
	L := len(s.ln)
	out.Status = StatusPlanned
	out.Parcels = out.Parcels[:0]
	whs := 0
	for w := range s.nW {
		if s.unitsAt(w) == 0 {
			continue
		}
		whs++
		for t := range numTemps {
			s.dims = s.dims[:0]
			for l := range L {
				if d := &s.ln[l]; d.temp == t && s.x[w*L+l] > 0 {
					s.dims = append(s.dims, dim{line: l, wG: d.wG, vC: d.vC, n: s.x[w*L+l]})
				}
			}
			if len(s.dims) == 0 {
				continue
			}
			cands := s.cands[w*numTemps+t]
			_, _, drafts := s.pk.pack(cands, s.dims, true)
			for _, d := range drafts {
				r := &cands[d.route]
				fen, charge := m.price(r, d.wG, d.vC)
				p := Parcel{Warehouse: m.whs[w].code, Carrier: m.carriers[r.carrier].code, Temp: tempNames[t],
					WeightG: d.wG, VolumeCM3: d.vC, ChargeableG: charge, CostFen: fen, Days: r.days}
				for i, n := range d.counts {
					if n > 0 {
						p.Lines = append(p.Lines, Line{SKU: m.skus[s.ln[s.dims[i].line].sku].code, Qty: n})
					}
				}
				p.Explanation = s.parcelText(cands, d.route, d.wG, d.vC)
				out.Parcels = append(out.Parcels, p)
				out.FreightFen += fen
			}
		}
	}
	out.PenaltyFen = int64(len(out.Parcels)-1)*m.extraParcel + int64(whs-1)*m.extraWarehouse
	out.CostFen = out.FreightFen + out.PenaltyFen
}

func (p *Plan) summarise() {
	sum := Summary{Orders: len(p.Orders)}
	for i := range p.Orders {
		o := &p.Orders[i]
		if o.Status != StatusPlanned {
			sum.Unfulfilled++
			continue
		}
		sum.Planned++
		sum.Parcels += len(o.Parcels)
		sum.FreightFen += o.FreightFen
		sum.PenaltyFen += o.PenaltyFen
		if o.Method == "exact" {
			sum.Exact++
		}
	}
	sum.TotalFen = sum.FreightFen + sum.PenaltyFen
	p.Summary = sum
}
