package console

// The warehouse supervisor: staff on shift, stations and devices, the
// alerts queue. Waves are worked on the floor pages (the supervisor's
// role is admitted there too).
func init() { addArea(40, (*Console).supervisorRoutes) }

func (c *Console) supervisorRoutes() {
	c.page("GET /supervisor", c.supervisorHome)
	c.page("GET /supervisor/alerts", c.supervisorAlerts)
	c.page("POST /supervisor/alerts/review", c.supervisorReview)
	c.navigation(400, "GET /supervisor", "nav.supervisor")
	c.navigation(410, "GET /supervisor/alerts", "nav.alerts")
}
