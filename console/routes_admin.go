package console

// The platform administrator: merchants, warehouses, carriers and number
// ranges, devices.
func init() { addArea(60, (*Console).adminRoutes) }

func (c *Console) adminRoutes() {
	c.page("GET /admin", c.adminHome)
	c.page("POST /admin/merchants", c.adminCreateMerchant)
	c.page("POST /admin/warehouses", c.adminCreateWarehouse)
	c.navigation(600, "GET /admin", "nav.admin")
}
