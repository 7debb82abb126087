package console

// The security officer's (and the auditor's) pages: the audit log viewer
// with filters and inclusion proofs checked in the page.
func init() { addArea(50, (*Console).securityRoutes) }

func (c *Console) securityRoutes() {
	c.page("GET /audit", c.auditList)
	c.page("GET /audit/proof", c.auditProof)
	c.page("GET /audit/export", c.auditExport)
	c.page("GET /security/alerts", c.supervisorAlerts)
	c.page("POST /security/alerts/review", c.supervisorReview)
	c.page("GET /security/access", c.accessReview)
	c.page("POST /security/offboard", c.offboard)
	c.page("GET /security/approvals", c.approvalsList)
	c.page("POST /security/approvals", c.approvalDecide)
	c.page("GET /security/guard", c.guardSettings)
	c.navigation(500, "GET /audit", "nav.audit")
	c.navigation(510, "GET /security/alerts", "nav.alerts")
	c.navigation(520, "GET /security/access", "nav.access")
	c.navigation(530, "GET /security/approvals", "nav.approvals")
	c.navigation(540, "GET /security/guard", "nav.guard")
}
