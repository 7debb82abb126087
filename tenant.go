package yuncang

import (
	"context"
	"time"
)

// Tenant is a merchant (货主) whose goods are stored in the cloud warehouse.
// Every merchant-owned row is scoped by its tenant ID.
type Tenant struct {
	ID        int64
	Code      string // short unique code, e.g. "yiwu-toys"
	Name      string
	Status    string // TenantActive, or TenantEnded once the contract ends
	CreatedAt time.Time
}

// Tenant statuses. When a merchant's contract ends its accounts stop working.
const (
	TenantActive = "active"
	TenantEnded  = "ended"
)

// Validate checks a tenant before it is created.
func (t *Tenant) Validate() error {
	var p Problems
	p.Check(validCode("code", t.Code))
	if t.Name == "" {
		p.Add("name", "is required")
	} else if len(t.Name) > 200 {
		p.Add("name", "is longer than 200 bytes")
	}
	return p.Err()
}

// TenantService stores tenants.
type TenantService interface {
	// CreateTenant stores a tenant with its audit event (EventTenantCreate),
	// in one transaction; the event gains the target "tenant:N".
	CreateTenant(ctx context.Context, t *Tenant, ev *Event) error
	TenantByID(ctx context.Context, id int64) (*Tenant, error)
	TenantByCode(ctx context.Context, code string) (*Tenant, error)
	Tenants(ctx context.Context) ([]*Tenant, error)
}

// validCode accepts short identifiers of letters, digits, '-', '_' and '.'.
func validCode(field, s string) error {
	if s == "" {
		return Invalid(field, "is required")
	}
	if len(s) > 64 {
		return Invalid(field, "is longer than 64 characters")
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return Invalid(field, "may contain only letters, digits, '-', '_' and '.'")
		}
	}
	return nil
}
