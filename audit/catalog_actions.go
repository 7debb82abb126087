package audit

// Catalogue actions: a merchant, a warehouse or an SKU created, stock set
// by hand. Kept apart from the main table, as compliance_actions.go is.
const (
	ActionTenantCreate    Action = "tenant_create"
	ActionWarehouseCreate Action = "warehouse_create"
	ActionSKUCreate       Action = "sku_create"
	ActionStockSet        Action = "stock_set"
)

func init() {
	for _, a := range []Action{ActionTenantCreate, ActionWarehouseCreate, ActionSKUCreate, ActionStockSet} {
		knownActions[a] = true
	}
}
