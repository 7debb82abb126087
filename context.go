package yuncang

import "context"

// Actor is who is making a request: the authenticated user and the
// credential used.
type Actor struct {
	UserID       int64
	TenantID     int64
	Username     string
	Role         string
	CredentialID int64
	Kind         string // CredentialSession or CredentialAPIToken
}

type actorKey struct{}

// NewContextWithActor returns a context carrying the actor.
func NewContextWithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor of the request, or nil.
func ActorFromContext(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
