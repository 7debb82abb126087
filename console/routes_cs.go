package console

// Customer service: phone search, the desk key of this browser, and the
// reveal dialog on the order page.
func init() { addArea(20, (*Console).csRoutes) }

func (c *Console) csRoutes() {
	c.page("GET /search", c.searchShow)
	c.page("POST /search", c.searchSubmit)
	c.page("GET /desk", c.deskShow)
	c.page("POST /orders/{id}/reveal", c.reveal)
	c.navigation(200, "GET /search", "nav.search")
	c.navigation(210, "GET /desk", "nav.desk")
}
