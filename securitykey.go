package yuncang

import (
	"context"
	"time"
)

// SecurityKey is a WebAuthn credential (a passkey or hardware security
// key) registered to an account: a second factor whose use needs a press
// on the key, which a remote-control program on the PC cannot make.
type SecurityKey struct {
	ID           int64
	UserID       int64
	CredentialID []byte // the authenticator's credential id
	PublicKey    []byte // COSE-encoded
	SignCount    uint32
	Transports   []string
	AAGUID       []byte
	Flags        byte // the credential record's flags (backup eligibility and state)
	Label        string
	CreatedAt    time.Time
	LastUsedAt   time.Time
}

// SecurityKeyService stores security keys. Adding and removing record
// their audit event in the same transaction.
type SecurityKeyService interface {
	AddSecurityKey(ctx context.Context, k *SecurityKey, ev *Event) error
	SecurityKeys(ctx context.Context, userID int64) ([]*SecurityKey, error)
	// UseSecurityKey records a successful assertion's sign count.
	UseSecurityKey(ctx context.Context, userID, id int64, signCount uint32, at time.Time) error
	// RemoveSecurityKey removes one of the user's keys (ENOTFOUND if the
	// user has no such key).
	RemoveSecurityKey(ctx context.Context, userID, id int64, ev *Event) error
}
