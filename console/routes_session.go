package console

// The pages every signed-in person has, and the public ones around them.
func init() { addArea(0, (*Console).sessionRoutes) }

func (c *Console) sessionRoutes() {
	c.page("GET /static/{file}", c.staticFile)
	c.page("GET /lang/{lang}", c.switchLanguage)
	c.page("GET /login", c.loginShow)
	c.page("POST /login", c.loginSubmit)
	c.page("POST /logout", c.logout)
	c.page("POST /step-up", c.stepUp)
	c.page("GET /watermark.svg", c.watermark)
	c.page("GET /{$}", c.home)
	c.navigation(0, "GET /{$}", "nav.home")
}
