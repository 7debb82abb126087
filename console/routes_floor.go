package console

// The warehouse floor: handheld scanners (keyboard wedge: a scan types the
// code and Enter into the one focused input) and pack stations. Every scan
// is one request; the rules are the API's floor rules.
func init() { addArea(30, (*Console).floorRoutes) }

func (c *Console) floorRoutes() {
	c.page("GET /floor", c.floorChoose)
	c.page("GET /floor/{warehouse}", c.floorHome)
	c.page("POST /floor/{warehouse}/waves", c.floorReleaseWave)
	c.page("GET /floor/{warehouse}/receive", c.floorReceiveShow)
	c.page("POST /floor/{warehouse}/receive/scan", c.floorReceiveScan)
	c.page("GET /floor/{warehouse}/putaway", c.floorPutawayShow)
	c.page("POST /floor/{warehouse}/putaway/scan", c.floorPutawayScan)
	c.page("GET /floor/{warehouse}/pick", c.floorPickShow)
	c.page("POST /floor/{warehouse}/pick/scan", c.floorPickScan)
	c.page("GET /floor/{warehouse}/pack", c.floorPackShow)
	c.page("POST /floor/{warehouse}/pack/scan", c.floorPackScan)
	c.page("POST /floor/{warehouse}/pack/weigh", c.floorPackWeigh)
	c.page("POST /floor/{warehouse}/pack/print", c.floorPackPrint)
	c.navigation(300, "GET /floor", "nav.floor")
}
