package yuncang

// InventoryService stores locations, the stock ledger, ASNs, reservations,
// waves and shipping state (the warehouse operations issue fills it in).
type InventoryService interface{}
