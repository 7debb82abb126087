package vault

import (
	"context"
	"time"
)

// Key purposes.
const (
	PurposeData        = "data"        // AES-256-GCM for personal data
	PurposeIndex       = "index"       // HMAC-SHA256 for blind indexes
	PurposeFingerprint = "fingerprint" // HMAC-SHA256 for content fingerprints
)

// WrappedKey is a tenant key as stored: encrypted under a master key.
type WrappedKey struct {
	TenantID    int64
	Purpose     string
	Version     int
	MasterKeyID string
	Wrapped     []byte
	CreatedAt   time.Time
}

// KeyStore persists wrapped keys. The storage adapters implement it.
type KeyStore interface {
	// TenantKeys returns every wrapped key of a tenant.
	TenantKeys(ctx context.Context, tenantID int64) ([]WrappedKey, error)
	// InsertKey stores a new key unless one with the same tenant, purpose and
	// version exists; it reports whether it inserted.
	InsertKey(ctx context.Context, k WrappedKey) (bool, error)
	// AllKeys returns every wrapped key of every tenant.
	AllKeys(ctx context.Context) ([]WrappedKey, error)
	// RewrapKey replaces a key's wrapping if it is still wrapped by
	// oldMasterID; it reports whether it replaced.
	RewrapKey(ctx context.Context, k WrappedKey, oldMasterID string) (bool, error)
}
