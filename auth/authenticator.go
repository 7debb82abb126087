package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/yuncang/yuncang"
)

// Sealer encrypts staff secrets (TOTP seeds) at rest; the vault implements it.
type Sealer interface {
	Seal(ctx context.Context, tenantID int64, aad, plaintext []byte) ([]byte, error)
	Open(ctx context.Context, tenantID int64, aad, ciphertext []byte) ([]byte, error)
}

// Store is what authentication needs from storage.
type Store interface {
	yuncang.UserService
	yuncang.DeviceService
	yuncang.EventService
	FailureStore
	TenantByID(ctx context.Context, id int64) (*yuncang.Tenant, error)
}

// Policy holds the authentication settings.
type Policy struct {
	SessionTTL   time.Duration // absolute session lifetime
	IdleTimeout  time.Duration // a session unused this long ends
	StepUpWindow time.Duration // how fresh a second factor must be for sensitive actions
	Inactivity   time.Duration // accounts unused this long stop working
	TempMaxDays  int           // the longest a temporary or contractor account may run
	ShiftZone    *time.Location
	// CarrierTokenTTL is a carrier token's lifetime unless the request names
	// a shorter one; CarrierTokenMaxTTL is the most a request may ask for.
	CarrierTokenTTL    time.Duration
	CarrierTokenMaxTTL time.Duration
}

// DefaultPolicy is the policy unless configured otherwise.
func DefaultPolicy() Policy {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600) // China has no DST; tzdata may be absent
	}
	return Policy{SessionTTL: 8 * time.Hour, IdleTimeout: 30 * time.Minute, StepUpWindow: 5 * time.Minute,
		Inactivity: 30 * 24 * time.Hour, TempMaxDays: 30, ShiftZone: loc,
		CarrierTokenTTL: 24 * time.Hour, CarrierTokenMaxTTL: 7 * 24 * time.Hour}
}

// Authenticator logs people in and resolves bearer tokens to actors.
type Authenticator struct {
	Store   Store
	Sealer  Sealer
	Now     func() time.Time
	Policy  Policy
	Lockout *Lockout
}

// New returns an authenticator with the default policy and lockout (see
// DefaultLockout), its failure counts kept in store for every server.
func New(store Store, sealer Sealer) *Authenticator {
	return &Authenticator{
		Store:   store,
		Sealer:  sealer,
		Now:     time.Now,
		Policy:  DefaultPolicy(),
		Lockout: DefaultLockout(store),
	}
}

// LoginRequest is what a person presents to log in.
type LoginRequest struct {
	Username, Password, TOTP string
	// Device is the enrolled device the request came from, its signature
	// already verified by the caller (nil if none).
	Device *yuncang.Device
	Source string // client address
	// Console makes the session the web console's: it is accepted only as
	// the console's cookie, never as an API bearer token.
	Console bool
	// Key, when set, is the second factor instead of the one-time code: it
	// verifies a security key's assertion for the account whose password
	// was right (nil error: the key was pressed). It is always checked when
	// set, even where no second factor would be required.
	Key KeyCheck
}

// KeyCheck verifies a security key (WebAuthn) assertion for u; the caller
// holds the ceremony's challenge.
type KeyCheck func(ctx context.Context, u *yuncang.User) error

// Session is a successful login.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      *yuncang.User
	NewSource bool // first login from this address or device
}

var errBadLogin = yuncang.Errorf(yuncang.EUNAUTHORIZED, "username, password or one-time code is wrong, or the account cannot log in")

// errTOTPRequired tells a client to ask for the one-time code.
var errTOTPRequired = &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "totp", Message: "a one-time code from your authenticator is required"}

// event records a security event; failures to record are returned so that
// callers fail closed.
func (a *Authenticator) event(ctx context.Context, u *yuncang.User, kind, outcome, source string, deviceID int64, detail string) error {
	e := &yuncang.Event{At: a.Now(), Kind: kind, Outcome: outcome, Source: source, DeviceID: deviceID, Detail: detail}
	if u != nil {
		e.UserID, e.Username, e.Role, e.TenantID = u.ID, u.Username, u.Role, u.TenantID
	}
	return a.Store.RecordEvent(ctx, e)
}

// Login checks password, account state, device, shift and (where required)
// the one-time code, and opens a session. Every refusal looks the same to
// the caller except the request for a one-time code, which is only made
// after the password was right.
func (a *Authenticator) Login(ctx context.Context, req LoginRequest) (*Session, error) {
	now := a.Now()
	switch locked, err := a.Lockout.Check(ctx, req.Username, req.Source, now); {
	case err != nil:
		return nil, err
	case locked == LockedSource:
		a.event(ctx, nil, yuncang.EventLockout, yuncang.OutcomeDenied, req.Source, 0, "source locked out")
		return nil, yuncang.Errorf(yuncang.ERATELIMITED, "too many failed logins from this address; try again later")
	case locked == LockedAccount:
		u, _ := a.Store.UserByUsername(ctx, req.Username)
		a.event(ctx, u, yuncang.EventLockout, yuncang.OutcomeDenied, req.Source, 0, "account locked out")
		return nil, yuncang.Errorf(yuncang.ERATELIMITED, "too many failed logins for this account; try again later")
	}
	u, hash, err := a.Store.UserForLogin(ctx, req.Username)
	if err != nil && yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		return nil, err
	}
	if u == nil || hash == "" {
		VerifyPassword(dummyHash, req.Password)
		return nil, a.fail(ctx, nil, req, "unknown account or no password")
	}
	ok, err := VerifyPassword(hash, req.Password)
	if err != nil {
		return nil, yuncang.Internal(err, "verify password")
	}
	if !ok {
		return nil, a.fail(ctx, u, req, "wrong password")
	}
	if why := a.unusable(ctx, u, now); why != "" {
		return nil, a.fail(ctx, u, req, "account "+why)
	}
	var device *yuncang.Device
	if req.Device != nil {
		if device, err = a.device(req.Device, u); err != nil {
			a.event(ctx, u, yuncang.EventLoginFailure, yuncang.OutcomeDenied, req.Source, 0, "device not enrolled for this account")
			return nil, err
		}
	}
	deviceID := int64(0)
	if device != nil {
		deviceID = device.ID
	}

	// A new address or device, or a login outside the shift that policy
	// lets through, needs the second factor even where it is not mandatory.
	newSource, err := a.isNewSource(ctx, u, req.Source, device)
	if err != nil {
		return nil, err
	}
	outsideShift := !u.Shift.Contains(now, a.Policy.ShiftZone)
	if outsideShift && u.Shift.Mode != yuncang.ShiftStepUp {
		a.event(ctx, u, yuncang.EventOutsideShift, yuncang.OutcomeDenied, req.Source, deviceID, "login outside shift")
		return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "outside your shift")
	}
	needTOTP := yuncang.RequiresTOTP(u.Role) || newSource || outsideShift
	stepped := time.Time{}
	switch {
	case req.Key != nil:
		if err := req.Key(ctx, u); err != nil {
			if yuncang.ErrorCode(err) == yuncang.EINTERNAL {
				return nil, err
			}
			return nil, a.fail(ctx, u, req, "security key not accepted")
		}
		stepped = now
	case needTOTP:
		if !u.HasTOTP {
			a.event(ctx, u, yuncang.EventLoginFailure, yuncang.OutcomeDenied, req.Source, deviceID, "second factor required but not enrolled")
			return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "a second factor is required but none is enrolled; ask an administrator")
		}
		if req.TOTP == "" {
			return nil, errTOTPRequired
		}
		if err := a.checkTOTP(ctx, u, req.TOTP); err != nil {
			return nil, a.fail(ctx, u, req, "wrong or reused one-time code")
		}
		stepped = now
	}
	if err := a.Lockout.Succeed(ctx, req.Username, req.Source); err != nil {
		return nil, err
	}
	token, th := NewToken(false)
	kind := yuncang.CredentialSession
	if req.Console {
		kind = yuncang.CredentialConsole
	}
	c := &yuncang.Credential{UserID: u.ID, Kind: kind, TokenHash: th, ExpiresAt: now.Add(a.Policy.SessionTTL),
		DeviceID: deviceID, Source: req.Source, SteppedUpAt: stepped}
	if err := a.Store.CreateCredential(ctx, c); err != nil {
		return nil, err
	}
	if err := a.Store.TouchLogin(ctx, u.ID, now); err != nil {
		return nil, err
	}
	if err := a.rememberSource(ctx, u, req.Source, device, now); err != nil {
		return nil, err
	}
	if newSource {
		if err := a.event(ctx, u, yuncang.EventNewSource, yuncang.OutcomeAlert, req.Source, deviceID, "first login from this address or device; second factor taken"); err != nil {
			return nil, err
		}
	}
	if outsideShift {
		if err := a.event(ctx, u, yuncang.EventOutsideShift, yuncang.OutcomeAlert, req.Source, deviceID, "login outside shift allowed after second factor"); err != nil {
			return nil, err
		}
	}
	if err := a.event(ctx, u, yuncang.EventLogin, yuncang.OutcomeOK, req.Source, deviceID, ""); err != nil {
		return nil, err
	}
	return &Session{Token: token, ExpiresAt: c.ExpiresAt, User: u, NewSource: newSource}, nil
}

// fail counts a failed login and records it.
func (a *Authenticator) fail(ctx context.Context, u *yuncang.User, req LoginRequest, why string) error {
	now := a.Now()
	if err := a.Lockout.Fail(ctx, req.Username, req.Source, now); err != nil {
		return err // fail closed: a failure that cannot be counted is not let go
	}
	a.event(ctx, u, yuncang.EventLoginFailure, yuncang.OutcomeDenied, req.Source, 0, why)
	if locked, _ := a.Lockout.Check(ctx, req.Username, req.Source, now); locked == LockedAccount {
		a.event(ctx, u, yuncang.EventLockout, yuncang.OutcomeAlert, req.Source, 0, "account locked after repeated failures")
	}
	return errBadLogin
}

// unusable says why an account cannot act now ("" if it can): disabled,
// expired, inactive, its merchant ended, or its merchant admin's authority
// ended (merchant sub-accounts never outlive it).
func (a *Authenticator) unusable(ctx context.Context, u *yuncang.User, now time.Time) string {
	if why := u.Usable(now, a.Policy.Inactivity); why != "" {
		return why
	}
	if u.TenantID != 0 {
		t, err := a.Store.TenantByID(ctx, u.TenantID)
		if err != nil || t.Status != yuncang.TenantActive {
			return "merchant contract ended"
		}
	}
	if u.Role == yuncang.RoleMerchantStaff {
		m, err := a.Store.UserByID(ctx, u.ManagerID)
		if err != nil || m.Role != yuncang.RoleMerchantAdmin || m.TenantID != u.TenantID || m.Usable(now, a.Policy.Inactivity) != "" {
			return "merchant admin's authority ended"
		}
	}
	return ""
}

// device checks that a device whose signature was verified is active and
// one the user may use: in the user's scope, and an office desk only by
// the person it is assigned to.
func (a *Authenticator) device(d *yuncang.Device, u *yuncang.User) (*yuncang.Device, error) {
	if !d.Active() {
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "this device is not enrolled")
	}
	switch {
	case d.Kind == yuncang.DeviceOfficeDesk && d.AssignedTo != u.ID:
		return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "this office desk is assigned to someone else")
	case d.TenantID != 0 && d.TenantID != u.TenantID:
		return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "this device belongs to another merchant")
	case d.WarehouseID != 0 && (u.TenantID != 0 || !u.InWarehouse(d.WarehouseID)):
		return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "this device stands in a warehouse outside your scope")
	}
	return d, nil
}

func (a *Authenticator) isNewSource(ctx context.Context, u *yuncang.User, source string, d *yuncang.Device) (bool, error) {
	if u.LastLoginAt.IsZero() {
		return false, nil // the first login ever sets the baseline; TOTP rules still apply
	}
	known, err := a.Store.KnownSource(ctx, u.ID, "addr", source)
	if err != nil || !known {
		return !known, err
	}
	if d != nil {
		known, err = a.Store.KnownSource(ctx, u.ID, "device", fmt.Sprint(d.ID))
		return !known, err
	}
	return false, nil
}

func (a *Authenticator) rememberSource(ctx context.Context, u *yuncang.User, source string, d *yuncang.Device, now time.Time) error {
	if err := a.Store.RememberSource(ctx, u.ID, "addr", source, now); err != nil {
		return err
	}
	if d != nil {
		return a.Store.RememberSource(ctx, u.ID, "device", fmt.Sprint(d.ID), now)
	}
	return nil
}

// IssueAPIToken creates a token for a machine client, valid for ttl and
// limited to scopes. The token is returned once and stored only as a hash.
func (a *Authenticator) IssueAPIToken(ctx context.Context, userID int64, label string, scopes []string, ttl time.Duration) (string, *yuncang.Credential, error) {
	token, th := NewToken(true)
	c := &yuncang.Credential{UserID: userID, Kind: yuncang.CredentialAPIToken, TokenHash: th, Label: label, Scopes: scopes, ExpiresAt: a.Now().Add(ttl)}
	if err := a.Store.CreateCredential(ctx, c); err != nil {
		return "", nil, err
	}
	return token, c, nil
}

// Authenticate resolves a bearer token (and the device whose signature the
// caller verified, if any) to the actor behind them. It enforces, on every request, that
// the account can still act: offboarding, an end date or a merchant
// admin's departure take effect on the very next request.
func (a *Authenticator) Authenticate(ctx context.Context, token string, device *yuncang.Device, source string) (*yuncang.Actor, error) {
	if !LooksLikeToken(token) {
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "credential is invalid or expired")
	}
	now := a.Now()
	c, u, err := a.Store.CredentialByHash(ctx, HashToken(token), now)
	if err != nil {
		return nil, err
	}
	if why := a.unusable(ctx, u, now); why != "" {
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "credential is invalid or expired")
	}
	if yuncang.IsSession(c.Kind) && now.Sub(c.LastUsed) > a.Policy.IdleTimeout {
		a.Store.DeleteCredential(ctx, c.ID)
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "session ended after inactivity; log in again")
	}
	actor := &yuncang.Actor{UserID: u.ID, TenantID: u.TenantID, Username: u.Username, Role: u.Role, CredentialID: c.ID, Kind: c.Kind,
		Scopes: c.Scopes, Warehouses: u.Warehouses, Shift: u.Shift, SteppedUpAt: c.SteppedUpAt, ExpiresAt: c.ExpiresAt, Source: source}
	if device != nil {
		d, err := a.device(device, u)
		if err != nil {
			return nil, err
		}
		actor.Device = d
	}
	// A session opened on a station stays on that station.
	if c.DeviceID != 0 && actor.Device == nil {
		// Most often a client that signed its login and forgot to sign
		// this request: say so, rather than suggest another device.
		return nil, &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "X-Yuncang-Device",
			Message: fmt.Sprintf("this session was opened on device %d: sign every request with that device's key (the X-Yuncang-Device… headers; see 'yuncang device sign')", c.DeviceID)}
	}
	if c.DeviceID != 0 && actor.Device.ID != c.DeviceID {
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "this session belongs to another device")
	}
	if now.Sub(c.LastUsed) >= time.Minute {
		if err := a.Store.TouchActive(ctx, u.ID, c.ID, now); err != nil {
			return nil, err
		}
		if c.Kind == yuncang.CredentialAPIToken {
			if err := a.event(ctx, u, yuncang.EventTokenUse, yuncang.OutcomeOK, source, 0, "token "+c.Label); err != nil {
				return nil, err
			}
		}
	}
	return actor, nil
}

// StepUp takes a fresh second factor on the actor's session.
func (a *Authenticator) StepUp(ctx context.Context, actor *yuncang.Actor, code string) error {
	return a.stepUp(ctx, actor, func(ctx context.Context, u *yuncang.User) error {
		if !u.HasTOTP {
			return yuncang.Errorf(yuncang.EFORBIDDEN, "no second factor is enrolled; ask an administrator")
		}
		if err := a.checkTOTP(ctx, u, code); err != nil {
			return &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "totp", Message: "the one-time code is wrong or was already used"}
		}
		return nil
	})
}

// StepUpWithKey takes a security key's assertion (verified by check) as
// the fresh second factor on the actor's session, recorded exactly as a
// one-time code's step-up is.
func (a *Authenticator) StepUpWithKey(ctx context.Context, actor *yuncang.Actor, check KeyCheck) error {
	return a.stepUp(ctx, actor, func(ctx context.Context, u *yuncang.User) error {
		if err := check(ctx, u); err != nil {
			if c := yuncang.ErrorCode(err); c == yuncang.EINTERNAL || c == yuncang.EFORBIDDEN {
				return err
			}
			return &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "key", Message: "the security key was not accepted"}
		}
		return nil
	})
}

// stepUp checks a second factor with check (an EFORBIDDEN or internal
// error from it is returned as is; any other counts as a failed attempt)
// and records the step-up on the session.
func (a *Authenticator) stepUp(ctx context.Context, actor *yuncang.Actor, check KeyCheck) error {
	if !yuncang.IsSession(actor.Kind) {
		return yuncang.Errorf(yuncang.EFORBIDDEN, "API tokens cannot step up")
	}
	u, err := a.Store.UserByID(ctx, actor.UserID)
	if err != nil {
		return err
	}
	now := a.Now()
	if locked, err := a.Lockout.Check(ctx, u.Username, actor.Source, now); err != nil {
		return err
	} else if locked != "" {
		return yuncang.Errorf(yuncang.ERATELIMITED, "too many failed attempts; try again later")
	}
	if err := check(ctx, u); err != nil {
		if c := yuncang.ErrorCode(err); c == yuncang.EINTERNAL || c == yuncang.EFORBIDDEN {
			return err
		}
		if err := a.Lockout.Fail(ctx, u.Username, actor.Source, now); err != nil {
			return err
		}
		a.event(ctx, u, yuncang.EventStepUpFailure, yuncang.OutcomeDenied, actor.Source, 0, "")
		return err
	}
	if err := a.Store.StepUp(ctx, actor.CredentialID, now); err != nil {
		return err
	}
	actor.SteppedUpAt = now
	return a.event(ctx, u, yuncang.EventStepUp, yuncang.OutcomeOK, actor.Source, 0, "")
}

// SteppedUp reports whether the actor's second factor is fresh enough for
// a sensitive action.
func (a *Authenticator) SteppedUp(actor *yuncang.Actor) bool {
	return !actor.SteppedUpAt.IsZero() && a.Now().Sub(actor.SteppedUpAt) <= a.Policy.StepUpWindow
}

// InShift reports whether the actor is inside its shift window now.
func (a *Authenticator) InShift(actor *yuncang.Actor) bool {
	return actor.Shift.Contains(a.Now(), a.Policy.ShiftZone)
}

// totpAAD binds a sealed TOTP secret to its account.
func totpAAD(userID int64) []byte { return fmt.Appendf(nil, "users|%d|totp", userID) }

// EnrolTOTP gives the account a new TOTP secret and returns it (base32) for
// the authenticator app; it is shown once and stored only sealed. Only the
// operator's bootstrap (`yuncang user add`), the demo's own accounts and
// tests call it: over the API a person enrols their own factor (Redeem).
func (a *Authenticator) EnrolTOTP(ctx context.Context, userID int64) (string, error) {
	secret := NewTOTPSecret()
	sealed, err := a.Sealer.Seal(ctx, 0, totpAAD(userID), []byte(secret))
	if err != nil {
		return "", yuncang.Internal(err, "seal totp secret")
	}
	if err := a.Store.SetTOTP(ctx, userID, sealed); err != nil {
		return "", err
	}
	return secret, nil
}

// checkTOTP verifies a code and consumes its time step atomically, so the
// same code never works twice, even on two servers at once.
func (a *Authenticator) checkTOTP(ctx context.Context, u *yuncang.User, code string) error {
	sealed, last, err := a.Store.TOTPSecret(ctx, u.ID)
	if err != nil || sealed == nil {
		return yuncang.Errorf(yuncang.EUNAUTHORIZED, "no second factor")
	}
	secret, err := a.Sealer.Open(ctx, 0, totpAAD(u.ID), sealed)
	if err != nil {
		return yuncang.Internal(err, "open totp secret")
	}
	step, ok := CheckTOTP(string(secret), code, a.Now(), last)
	if !ok {
		return yuncang.Errorf(yuncang.EUNAUTHORIZED, "wrong code")
	}
	return a.Store.UseTOTPStep(ctx, u.ID, step)
}

// TempEndLimit is the latest end date a temporary or contractor account
// created now may have.
func (a *Authenticator) TempEndLimit() time.Time {
	return a.Now().Add(time.Duration(a.Policy.TempMaxDays) * 24 * time.Hour)
}
