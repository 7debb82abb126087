package httpapi

// WithPolicyOverride returns c with a hook that may change any route's
// policy as it is registered: the authorization matrix test widens one
// route with it to prove that the matrix catches the change.
func WithPolicyOverride(c Config, f func(pattern string, p Policy) Policy) Config {
	c.policyOverride = f
	return c
}

// WithExclusiveScopes returns c with decl in place of ExclusiveScopes: the
// exclusive-scope test declares a second scope with it to prove that the
// declaration alone confines a scope's tokens.
func WithExclusiveScopes(c Config, decl []ExclusiveScope) Config {
	c.exclusiveScopes = decl
	return c
}
