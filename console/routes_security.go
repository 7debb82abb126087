package console

// The security officer's (and the auditor's) pages: the audit log viewer
// with filters and inclusion proofs checked in the page.
func init() { addArea(50, (*Console).securityRoutes) }

func (c *Console) securityRoutes() {
	c.page("GET /audit", c.auditList)
	c.page("GET /audit/proof", c.auditProof)
	c.navigation(500, "GET /audit", "nav.audit")
}
