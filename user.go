package yuncang

import (
	"context"
	"time"
)

// Roles. Platform roles belong to the warehouse operator (TenantID 0);
// merchant roles belong to one tenant.
const (
	RolePlatformAdmin   = "platform_admin"
	RoleMerchantAdmin   = "merchant_admin"
	RoleMerchantStaff   = "merchant_staff"
	RoleOperator        = "operator"
	RoleCustomerService = "customer_service"
	RoleAuditor         = "auditor"
	RoleCarrier         = "carrier" // machine client
)

// Roles lists every role, for validation and for the authorization matrix.
var Roles = []string{RolePlatformAdmin, RoleMerchantAdmin, RoleMerchantStaff,
	RoleOperator, RoleCustomerService, RoleAuditor, RoleCarrier}

// IsMerchantRole reports whether the role belongs to a tenant's own staff.
func IsMerchantRole(role string) bool {
	return role == RoleMerchantAdmin || role == RoleMerchantStaff
}

// ValidRole reports whether role is one of Roles.
func ValidRole(role string) bool {
	for _, r := range Roles {
		if r == role {
			return true
		}
	}
	return false
}

// User statuses.
const (
	UserActive   = "active"
	UserDisabled = "disabled"
)

// User is a staff account or machine client.
type User struct {
	ID          int64
	TenantID    int64 // 0 for platform staff
	Username    string
	Role        string
	Status      string
	CreatedAt   time.Time
	LastLoginAt time.Time
}

// Validate checks a user before it is created.
func (u *User) Validate() error {
	if err := validCode("username", u.Username); err != nil {
		return err
	}
	if !ValidRole(u.Role) {
		return Invalid("role", "is not a known role")
	}
	if IsMerchantRole(u.Role) && u.TenantID == 0 {
		return Invalid("tenant", "is required for merchant roles")
	}
	if !IsMerchantRole(u.Role) && u.TenantID != 0 {
		return Invalid("tenant", "must be empty for platform roles")
	}
	if u.Status == "" {
		u.Status = UserActive
	}
	return nil
}

// Credential kinds.
const (
	CredentialSession  = "session"   // from a password login
	CredentialAPIToken = "api_token" // for machine clients
)

// Credential is a bearer secret's stored form: only its hash is kept.
type Credential struct {
	ID        int64
	UserID    int64
	Kind      string
	TokenHash []byte
	Label     string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastUsed  time.Time
}

// UserService stores accounts and their credentials.
type UserService interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	UserByID(ctx context.Context, id int64) (*User, error)
	// UserForLogin returns the user and its password hash.
	UserForLogin(ctx context.Context, username string) (*User, string, error)
	Users(ctx context.Context, tenantID int64) ([]*User, error)
	TouchLogin(ctx context.Context, userID int64, at time.Time) error
	CreateCredential(ctx context.Context, c *Credential) error
	// CredentialByHash returns an unexpired credential and its user.
	CredentialByHash(ctx context.Context, hash []byte, now time.Time) (*Credential, *User, error)
	DeleteCredential(ctx context.Context, id int64) error
}
