package console

// Security keys (WebAuthn): every signed-in person manages their own, and
// uses them at sign-in and step-up.
func init() { addArea(5, (*Console).keyRoutes) }

func (c *Console) keyRoutes() {
	c.page("GET /security-keys", c.keysList)
	c.page("GET /security-keys/new", c.keysNew)
	c.page("POST /security-keys/new", c.keysBegin)
	c.page("POST /security-keys", c.keysRegister)
	c.page("POST /security-keys/{key}/remove", c.keysRemove)
	c.page("POST /login/key", c.loginKeyBegin)
	c.page("POST /step-up/key", c.stepUpKeyBegin)
	c.navigation(900, "GET /security-keys", "nav.keys")
}
