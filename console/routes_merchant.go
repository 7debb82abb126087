package console

// Merchant admin and staff: orders, import, SKUs and stock, planning,
// analytics. Customer service reads orders through the same pages.
func init() { addArea(10, (*Console).merchantRoutes) }

func (c *Console) merchantRoutes() {
	c.page("GET /orders", c.ordersList)
	c.page("GET /orders/{id}", c.orderShow)
	c.page("GET /orders/import", c.importShow)
	c.page("POST /orders/import", c.importStart)
	c.page("GET /orders/import/template.csv", c.importTemplate)
	c.page("GET /orders/import/{import}", c.importJobShow)
	c.page("GET /orders/import/{import}/status", c.importJobStatus)
	c.page("GET /skus", c.skusList)
	c.page("GET /planning", c.planningShow)
	c.page("GET /analytics", c.analyticsShow)
	c.navigation(100, "GET /orders", "nav.orders")
	c.navigation(110, "GET /orders/import", "nav.import")
	c.navigation(120, "GET /skus", "nav.skus")
	c.navigation(130, "GET /planning", "nav.planning")
	c.navigation(140, "GET /analytics", "nav.analytics")
}
