package fulfil

import (
	"context"
	"sort"

	"github.com/yuncang/yuncang"
)

// WaveStore is the storage building a wave needs.
type WaveStore interface {
	// InWaveTx runs fn in one write transaction, committed when fn returns nil.
	InWaveTx(ctx context.Context, fn func(tx yuncang.WaveTx) error) error
	Wave(ctx context.Context, tenantID, warehouseID, id int64) (*yuncang.Wave, error)
}

// Cutoffs gives each of a merchant's carriers its cut-off (HH:MM, "" if
// none): the allocate service's planning configuration.
type Cutoffs interface {
	Cutoffs(ctx context.Context, tenantID int64) (map[string]string, error)
}

// Waves releases allocated parcels into waves.
type Waves struct {
	Store   WaveStore
	Cutoffs Cutoffs
}

// Create releases allocated parcels of one warehouse into a wave, for one
// carrier (default: the earliest cut-off among waiting parcels) and
// optionally one zone, and assigns each unit a location to pick it from:
// earliest expiry first for lot-tracked SKUs, bins before the unlocated
// bucket before the dock, fullest first. A parcel that cannot be picked
// entirely from stock in reach waits for a later wave.
func (ws *Waves) Create(ctx context.Context, tenantID, warehouseID int64, in yuncang.WaveInput) (*yuncang.Wave, error) {
	if in.MaxParcels == 0 {
		in.MaxParcels = 200
	}
	if in.MaxParcels < 1 || in.MaxParcels > 1000 {
		return nil, yuncang.Invalid("max_parcels", "must be between 1 and 1000")
	}
	cut, err := ws.Cutoffs.Cutoffs(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var waveID int64
	err = ws.Store.InWaveTx(ctx, func(tx yuncang.WaveTx) error {
		parcels, err := tx.AllocatedParcels(ctx, tenantID, warehouseID)
		if err != nil {
			return err
		}
		carrier := in.Carrier
		if carrier == "" {
			carrier = firstTruck(parcels, cut)
		}
		var cands []*yuncang.Parcel
		for _, p := range parcels {
			if p.Carrier == carrier {
				cands = append(cands, p)
			}
		}
		if len(cands) == 0 {
			// Nothing is missing: the warehouse's state allows no wave now.
			return yuncang.Errorf(yuncang.ECONFLICT, "no allocated parcels are waiting for this carrier and zone")
		}
		stock, err := tx.PickableStock(ctx, tenantID, warehouseID)
		if err != nil {
			return err
		}
		waved, assigns := assignPicks(cands, pickOrder(stock, in.Zone), in.MaxParcels)
		if len(waved) == 0 {
			return yuncang.Errorf(yuncang.ECONFLICT, "no waiting parcel can be picked entirely from stock in reach of this wave")
		}
		if waveID, err = tx.AddWave(ctx, &yuncang.Wave{TenantID: tenantID, WarehouseID: warehouseID, Carrier: carrier, Zone: in.Zone,
			Cutoff: cut[carrier], Status: yuncang.WaveOpen}); err != nil {
			return err
		}
		for _, a := range assigns {
			ok, err := tx.TakeLocationStock(ctx, waveID, a.parcel.ID, a.src, a.qty)
			if err != nil {
				return err
			}
			if !ok {
				return &yuncang.Error{Code: yuncang.ECONFLICT, Field: "wave", Message: "stock moved while the wave was built; try again"}
			}
		}
		for _, p := range waved {
			if err := tx.WaveParcel(ctx, waveID, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ws.Store.Wave(ctx, tenantID, warehouseID, waveID)
}

// firstTruck is the carrier whose truck leaves first among the waiting
// parcels' (a carrier without a cut-off goes last; ties by code).
func firstTruck(parcels []*yuncang.Parcel, cut map[string]string) string {
	best, carrier := "", ""
	for _, p := range parcels {
		c := cut[p.Carrier]
		if c == "" {
			c = "99:99"
		}
		if k := c + "|" + p.Carrier; best == "" || k < best {
			best, carrier = k, p.Carrier
		}
	}
	return carrier
}

// kindRank orders the kinds of location a unit is picked from.
var kindRank = map[string]int{yuncang.LocationStorage: 0, yuncang.LocationUnlocated: 1, yuncang.LocationReceiving: 2}

// pickOrder groups the stock in reach (a zone's bins only, when a zone is
// asked for) by SKU code, each in the order units are taken: earliest
// expiry first for lot-tracked SKUs (no expiry last), then bins before the
// unlocated bucket before the dock, then fullest first, then by code.
func pickOrder(stock []*yuncang.PickableStock, zone string) map[string][]*yuncang.PickableStock {
	bySKU := map[string][]*yuncang.PickableStock{}
	for _, s := range stock {
		if zone != "" && (s.Location.Kind != yuncang.LocationStorage || s.Location.Zone != zone) {
			continue
		}
		bySKU[s.SKUCode] = append(bySKU[s.SKUCode], s)
	}
	for _, list := range bySKU {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i], list[j]
			if a.LotTracked && a.Expiry != b.Expiry {
				if a.Expiry == "" || b.Expiry == "" {
					return b.Expiry == ""
				}
				return a.Expiry < b.Expiry
			}
			if ka, kb := kindRank[a.Location.Kind], kindRank[b.Location.Kind]; ka != kb {
				return ka < kb
			}
			if a.Free != b.Free {
				return a.Free > b.Free
			}
			return a.Location.Code < b.Location.Code
		})
	}
	return bySKU
}

// pickAssign is units of one source set aside for one parcel.
type pickAssign struct {
	parcel *yuncang.Parcel
	src    *yuncang.PickableStock
	qty    int
}

// assignPicks takes parcels in order, up to max, each only if every unit
// of it can be taken from the stock (whose Free it spends).
func assignPicks(cands []*yuncang.Parcel, bySKU map[string][]*yuncang.PickableStock, max int) ([]*yuncang.Parcel, []pickAssign) {
	var assigns []pickAssign
	var waved []*yuncang.Parcel
	for _, p := range cands {
		if len(waved) == max {
			break
		}
		var mine []pickAssign
		ok := true
		for _, l := range p.Lines {
			need := l.Quantity
			for _, src := range bySKU[l.SKUCode] {
				if need == 0 {
					break
				}
				if take := min(need, src.Free); take > 0 {
					src.Free -= take
					need -= take
					mine = append(mine, pickAssign{p, src, take})
				}
			}
			if need > 0 {
				ok = false
				break
			}
		}
		if !ok {
			// Not enough located stock in reach (zone, or miscounted bins):
			// give back what this parcel took and leave it for a later wave.
			for _, a := range mine {
				a.src.Free += a.qty
			}
			continue
		}
		assigns = append(assigns, mine...)
		waved = append(waved, p)
	}
	return waved, assigns
}
