package yuncang

import (
	"context"
	"time"
)

// Actor is who is making a request: the authenticated user and the
// credential used.
type Actor struct {
	UserID       int64
	TenantID     int64
	Username     string
	Role         string
	CredentialID int64
	Kind         string   // CredentialSession, CredentialConsole or CredentialAPIToken
	Scopes       []string // API tokens only
	Warehouses   []int64  // warehouse scope of warehouse-scoped roles
	Shift        Shift
	SteppedUpAt  time.Time // last fresh second factor on this session
	ExpiresAt    time.Time // when the credential ends regardless of use
	Device       *Device   // the enrolled device the request came from, if any
	Source       string    // client address
}

// InWarehouse reports whether the actor may act in the warehouse.
func (a *Actor) InWarehouse(id int64) bool {
	if !IsWarehouseScoped(a.Role) {
		return true
	}
	for _, w := range a.Warehouses {
		if w == id {
			return true
		}
	}
	return false
}

// HasScope reports whether the actor's credential allows scope. Sessions
// carry all of their role's permissions; API tokens only their scopes.
func (a *Actor) HasScope(scope string) bool {
	if a.Kind != CredentialAPIToken {
		return true
	}
	for _, s := range a.Scopes {
		if s == scope {
			return true
		}
	}
	return false
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
