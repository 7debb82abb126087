package yuncang

import "time"

// Location kinds. Storage locations are bins; the others exist once per
// warehouse.
const (
	LocationStorage   = "storage"
	LocationReceiving = "receiving" // the dock: received goods wait here for putaway
	LocationPacking   = "packing"   // the pack station: picked goods wait here to ship
	LocationUnlocated = "unlocated" // warehouse-level adjustments (SetStock) not yet in a bin
)

// System location codes, one of each per warehouse.
const (
	LocRecv      = "RECV"
	LocPack      = "PACK"
	LocUnlocated = "UNLOCATED"
)

// Location is a place in a warehouse where stock lies: zone, aisle, bin.
// Walking order (Seq when set, else zone, aisle, then bin in an S-shaped
// route) decides the order of pick lists.
type Location struct {
	ID          int64
	WarehouseID int64
	Code        string
	Zone        string
	Aisle       string
	Bin         string
	Kind        string
	Seq         int
	CreatedAt   time.Time
}

// Validate checks a storage location before it is created. Without a code
// the location is named ZONE-AISLE-BIN.
func (l *Location) Validate() error {
	if l.Kind == "" {
		l.Kind = LocationStorage
	}
	if l.Kind != LocationStorage {
		return Invalid("kind", "only storage locations can be created")
	}
	for _, f := range []struct{ name, v string }{{"zone", l.Zone}, {"aisle", l.Aisle}, {"bin", l.Bin}} {
		if err := validCode(f.name, f.v); err != nil {
			return err
		}
		if len(f.v) > 16 {
			return Invalid(f.name, "is longer than 16 characters")
		}
	}
	if l.Code == "" {
		l.Code = l.Zone + "-" + l.Aisle + "-" + l.Bin
	}
	if err := validCode("code", l.Code); err != nil {
		return err
	}
	switch l.Code {
	case LocRecv, LocPack, LocUnlocated:
		return Invalid("code", "is reserved")
	}
	if l.Seq < 0 {
		return Invalid("seq", "must not be negative")
	}
	return nil
}

// SortWalk puts locations in walking order: storage first, zone by zone,
// then by Seq where the warehouse set one, then aisle by aisle along an
// S-shaped route (bins ascending in the first aisle of a zone, descending in
// the next, ...), so a picker never walks an aisle twice. Codes compare
// naturally: A2 before A10.
func SortWalk(ls []*Location) {
	rank := map[string]int{LocationStorage: 0, LocationUnlocated: 1, LocationReceiving: 2, LocationPacking: 3}
	aisles := map[string]map[string]int{}
	for _, l := range ls {
		if aisles[l.Zone] == nil {
			aisles[l.Zone] = map[string]int{}
		}
		aisles[l.Zone][l.Aisle] = 0
	}
	for _, m := range aisles {
		var names []string
		for a := range m {
			names = append(names, a)
		}
		sortNatural(names)
		for i, a := range names {
			m[a] = i
		}
	}
	less := func(a, b *Location) bool {
		if rank[a.Kind] != rank[b.Kind] {
			return rank[a.Kind] < rank[b.Kind]
		}
		if a.Zone != b.Zone {
			return NaturalLess(a.Zone, b.Zone)
		}
		if a.Seq != b.Seq && a.Seq > 0 && b.Seq > 0 {
			return a.Seq < b.Seq
		}
		ia, ib := aisles[a.Zone][a.Aisle], aisles[b.Zone][b.Aisle]
		if ia != ib {
			return ia < ib
		}
		if a.Bin != b.Bin {
			if ia%2 == 1 {
				return NaturalLess(b.Bin, a.Bin)
			}
			return NaturalLess(a.Bin, b.Bin)
		}
		return a.Code < b.Code
	}
	for i := 1; i < len(ls); i++ { // insertion sort: stable, and lists are short
		for j := i; j > 0 && less(ls[j], ls[j-1]); j-- {
			ls[j], ls[j-1] = ls[j-1], ls[j]
		}
	}
}

func sortNatural(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && NaturalLess(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// NaturalLess compares strings with runs of digits compared as numbers.
func NaturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := trimZeros(a[:da]), trimZeros(b[:db])
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
