package yuncang

import (
	"context"
	"time"
)

// Roles. Platform roles belong to the warehouse operator (TenantID 0);
// merchant roles belong to one tenant.
const (
	RolePlatformAdmin       = "platform_admin"
	RoleSecurityOfficer     = "security_officer"
	RoleWarehouseSupervisor = "warehouse_supervisor"
	RoleOperator            = "operator" // receiving, picking, packing, label printing
	RoleCustomerService     = "customer_service"
	RoleMerchantAdmin       = "merchant_admin"
	RoleMerchantStaff       = "merchant_staff"
	RoleAuditor             = "auditor" // regulators too: read-only, never personal data
	RoleCarrier             = "carrier" // machine client
)

// Roles lists every role, for validation and for the authorization matrix.
var Roles = []string{RolePlatformAdmin, RoleSecurityOfficer, RoleWarehouseSupervisor, RoleOperator,
	RoleCustomerService, RoleMerchantAdmin, RoleMerchantStaff, RoleAuditor, RoleCarrier}

// CanRevealPI reports whether the role may reveal a recipient's personal
// data (one at a time, for a stated purpose). Separation of duties: no role
// that administers accounts can reveal.
func CanRevealPI(role string) bool {
	return role == RoleCustomerService || role == RoleMerchantStaff
}

// CanAdminAccounts reports whether the role creates, changes or offboards accounts.
func CanAdminAccounts(role string) bool {
	switch role {
	case RolePlatformAdmin, RoleSecurityOfficer, RoleWarehouseSupervisor, RoleMerchantAdmin:
		return true
	}
	return false
}

// GrantNeedsApproval reports whether giving an account the role needs a
// second person's approval: the role can reveal personal data, resolve
// virtual numbers (carrier clients) or administer accounts.
func GrantNeedsApproval(role string) bool {
	return CanRevealPI(role) || CanAdminAccounts(role) || role == RoleCarrier
}

// RequiresTOTP reports whether every login of the role needs a second
// factor: those that can reveal or administer accounts, and auditors, who
// read the audit log and the security ledger as administrators do.
func RequiresTOTP(role string) bool {
	return CanRevealPI(role) || CanAdminAccounts(role) || role == RoleAuditor
}

// IsWarehouseScoped reports whether the role works only in the warehouses
// its account is assigned to.
func IsWarehouseScoped(role string) bool {
	return role == RoleOperator || role == RoleWarehouseSupervisor
}

// CanManage reports whether an administrator of role admin may create,
// change or offboard an account of role target. Warehouse and tenant scope
// are checked separately.
func CanManage(admin, target string) bool {
	switch admin {
	case RolePlatformAdmin:
		return target != RoleMerchantStaff // merchant staff belong to their merchant admin
	case RoleSecurityOfficer:
		return target != RolePlatformAdmin && target != RoleSecurityOfficer && !IsMerchantRole(target)
	case RoleWarehouseSupervisor:
		return target == RoleOperator
	case RoleMerchantAdmin:
		return target == RoleMerchantStaff
	}
	return false
}

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
	// UserPending: created, waiting for a second person to approve the
	// role it was created with; it cannot log in or enrol until then.
	UserPending = "pending"
)

// Employment types. Temporary staff and contractor accounts always have an
// end date, within the temporary-account maximum.
const (
	EmploymentPermanent  = "permanent"
	EmploymentTemporary  = "temporary"
	EmploymentContractor = "contractor"
	EmploymentMachine    = "machine" // carrier and integration clients
)

// User is a staff account or machine client.
type User struct {
	ID             int64
	TenantID       int64 // 0 for platform staff
	Username       string
	Role           string
	Status         string
	DisabledReason string
	EmploymentType string
	EndAt          time.Time // zero: no end date
	ManagerID      int64     // merchant staff: the merchant admin whose authority they act under
	CreatedBy      int64
	Warehouses     []int64 // warehouse scope for warehouse-scoped roles
	Shift          Shift
	HasTOTP        bool
	CreatedAt      time.Time
	LastLoginAt    time.Time
	LastActiveAt   time.Time // last authenticated request
	ReviewedAt     time.Time // last access review
}

// InWarehouse reports whether the user may act in the warehouse. Roles that
// are not warehouse-scoped may act in every warehouse.
func (u *User) InWarehouse(id int64) bool {
	if !IsWarehouseScoped(u.Role) {
		return true
	}
	for _, w := range u.Warehouses {
		if w == id {
			return true
		}
	}
	return false
}

// Validate checks a user before it is created.
func (u *User) Validate() error {
	var p Problems
	p.Check(validCode("username", u.Username))
	if !ValidRole(u.Role) {
		// The rules below depend on the role: name it alone.
		p.Add("role", "is not a known role")
		return p.Err()
	}
	if IsMerchantRole(u.Role) && u.TenantID == 0 {
		p.Add("tenant", "is required for merchant roles")
	}
	if !IsMerchantRole(u.Role) && u.TenantID != 0 {
		p.Add("tenant", "must be empty for platform roles")
	}
	if u.Status == "" {
		u.Status = UserActive
	}
	employment := true
	switch u.EmploymentType {
	case "":
		u.EmploymentType = EmploymentPermanent
		if u.Role == RoleCarrier {
			u.EmploymentType = EmploymentMachine
		}
	case EmploymentPermanent, EmploymentTemporary, EmploymentContractor, EmploymentMachine:
	default:
		p.Add("employment_type", "must be permanent, temporary, contractor or machine")
		employment = false
	}
	if employment && (u.EmploymentType == EmploymentMachine) != (u.Role == RoleCarrier) {
		p.Add("employment_type", "machine accounts are exactly the carrier clients")
	}
	if HasBoundedTerm(u.EmploymentType) && u.EndAt.IsZero() {
		p.Add("end_at", "is required for temporary staff and contractors")
	}
	if IsWarehouseScoped(u.Role) && len(u.Warehouses) == 0 {
		p.Add("warehouses", "at least one warehouse is required for this role")
	}
	if !IsWarehouseScoped(u.Role) && len(u.Warehouses) > 0 {
		p.Add("warehouses", "this role is not warehouse-scoped")
	}
	if u.Role == RoleMerchantStaff && u.ManagerID == 0 {
		p.Add("manager", "merchant staff act under a merchant admin")
	}
	p.Check(u.Shift.Validate())
	return p.Err()
}

// HasBoundedTerm reports whether accounts of the employment type must end
// within the temporary-account maximum: temporary staff and contractors
// alike (a contractor is an outsider with a contract end, not a permanent hire).
func HasBoundedTerm(employment string) bool {
	return employment == EmploymentTemporary || employment == EmploymentContractor
}

// Usable reports why the account cannot act at now, or "" if it can. It is
// checked on every login and every request, so an expiry takes effect at
// that instant without waiting for a background job.
func (u *User) Usable(now time.Time, inactivity time.Duration) string {
	switch {
	case u.Status == UserPending:
		return "pending approval"
	case u.Status != UserActive:
		return "disabled"
	case !u.EndAt.IsZero() && !now.Before(u.EndAt):
		return "expired"
	case inactivity > 0 && u.EmploymentType != EmploymentMachine && now.Sub(u.lastSeen()) > inactivity:
		return "inactive"
	}
	return ""
}

func (u *User) lastSeen() time.Time {
	t := u.CreatedAt
	for _, x := range []time.Time{u.LastLoginAt, u.LastActiveAt} {
		if x.After(t) {
			t = x
		}
	}
	return t
}

// Credential kinds.
const (
	CredentialSession  = "session"   // from a password login to the API
	CredentialConsole  = "console"   // from a sign-in to the web console: its cookie, never a bearer token
	CredentialAPIToken = "api_token" // for machine clients
)

// IsSession reports whether a credential kind is a person's session (API or
// console), which idles out and can step up, as opposed to an API token.
func IsSession(kind string) bool { return kind == CredentialSession || kind == CredentialConsole }

// Credential is a bearer secret's stored form: only its hash is kept.
type Credential struct {
	ID          int64
	UserID      int64
	Kind        string
	TokenHash   []byte
	Label       string
	Scopes      []string // API tokens: what the token may do
	DeviceID    int64    // the enrolled device a session was opened on, if any
	Source      string   // the address a session was opened from
	SteppedUpAt time.Time
	CreatedAt   time.Time
	ExpiresAt   time.Time
	LastUsed    time.Time
}

// UserUpdate changes an account; nil fields are left alone.
type UserUpdate struct {
	Role       *string
	Warehouses *[]int64
	Shift      *Shift
	EndAt      *time.Time
	ManagerID  *int64
	Reviewed   bool
}

// UserService stores accounts and their credentials.
type UserService interface {
	CreateUser(ctx context.Context, u *User, passwordHash string) error
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByUsername(ctx context.Context, username string) (*User, error)
	// ResetCredentials takes away the password and second factor and
	// revokes every session and token, audited.
	ResetCredentials(ctx context.Context, userID int64, ev *Event) error
	// UserForLogin returns the user and its password hash.
	UserForLogin(ctx context.Context, username string) (*User, string, error)
	// Users lists a tenant's accounts (0: platform staff).
	Users(ctx context.Context, tenantID int64) ([]*User, error)
	AllUsers(ctx context.Context) ([]*User, error)
	UpdateUser(ctx context.Context, id int64, up UserUpdate) error
	SetPassword(ctx context.Context, id int64, hash string) error
	TouchLogin(ctx context.Context, userID int64, at time.Time) error
	// TouchActive records an authenticated request at most once a minute.
	TouchActive(ctx context.Context, userID, credentialID int64, at time.Time) error
	// Disable disables the account and deletes every credential it has, in
	// one transaction with its audit event: the very next request with any
	// of them fails.
	Disable(ctx context.Context, userID int64, reason string, at time.Time, ev *Event) error
	// DisableExpired disables accounts not seen since inactiveBefore and
	// temporary accounts past their end; it returns them.
	DisableExpired(ctx context.Context, now time.Time, inactiveBefore time.Time) ([]*User, error)

	// ActivatePending makes a pending account (created under four eyes)
	// active, with its audit event.
	ActivatePending(ctx context.Context, userID int64, ev *Event) error

	SetTOTP(ctx context.Context, userID int64, sealedSecret []byte) error
	TOTPSecret(ctx context.Context, userID int64) ([]byte, int64, error)
	// UseTOTPStep records the time step of an accepted code; it fails with
	// ECONFLICT if that step or a later one was already used (replay).
	UseTOTPStep(ctx context.Context, userID, step int64) error

	CreateCredential(ctx context.Context, c *Credential) error
	// CredentialByHash returns an unexpired credential and its user.
	CredentialByHash(ctx context.Context, hash []byte, now time.Time) (*Credential, *User, error)
	Credentials(ctx context.Context, userID int64) ([]*Credential, error)
	CredentialByID(ctx context.Context, id int64) (*Credential, error)
	StepUp(ctx context.Context, credentialID int64, at time.Time) error
	DeleteCredential(ctx context.Context, id int64) error

	// KnownSource reports whether the user has logged in from this source
	// (kind "addr" or "device") before; RememberSource records it.
	KnownSource(ctx context.Context, userID int64, kind, value string) (bool, error)
	RememberSource(ctx context.Context, userID int64, kind, value string, at time.Time) error
}
