package plan

import (
	"encoding/json"
	"sync"
)

var (
	defaultNetworkOnce sync.Once
	defaultNetwork     []byte
)

// DefaultNetwork is the planning configuration a tenant without its own
// plans with: the zones, five carriers and penalties of Generate (made-up
// but typical contract rates), as JSON with empty catalogue sections.
func DefaultNetwork() []byte {
	defaultNetworkOnce.Do(func() {
		g := Generate(GenConfig{Orders: 1, SKUs: 1})
		b, err := json.MarshalIndent(Problem{Zones: g.Zones, Carriers: g.Carriers, Penalties: g.Penalties, Warehouses: []Warehouse{}, SKUs: []SKU{}, Stock: []Stock{}, Orders: []Order{}}, "", "  ")
		if err != nil {
			panic(err)
		}
		defaultNetwork = b
	})
	return defaultNetwork
}
