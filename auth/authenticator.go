package auth

import (
	"context"
	"time"

	"github.com/yuncang/yuncang"
)

// Authenticator logs people in and resolves bearer tokens to actors.
type Authenticator struct {
	Users      yuncang.UserService
	Now        func() time.Time
	SessionTTL time.Duration // absolute session lifetime
	PerAccount *Throttle
	PerSource  *Throttle
}

// New returns an authenticator with the default policy: 8-hour sessions,
// 5 failures per account or 20 per source address in 15 minutes lock it out.
func New(users yuncang.UserService) *Authenticator {
	return &Authenticator{
		Users:      users,
		Now:        time.Now,
		SessionTTL: 8 * time.Hour,
		PerAccount: NewThrottle(5, 15*time.Minute),
		PerSource:  NewThrottle(20, 15*time.Minute),
	}
}

// Session is a successful login.
type Session struct {
	Token     string
	ExpiresAt time.Time
	User      *yuncang.User
}

var errBadLogin = yuncang.Errorf(yuncang.EUNAUTHORIZED, "username or password is wrong")

// Login checks a password and opens a session. Every failure looks the same
// to the caller, whether the account exists or not.
func (a *Authenticator) Login(ctx context.Context, username, password, source string) (*Session, error) {
	now := a.Now()
	if locked, _ := a.PerSource.Locked(source, now); locked {
		return nil, yuncang.Errorf(yuncang.ERATELIMITED, "too many failed logins from this address; try again later")
	}
	if locked, _ := a.PerAccount.Locked(username, now); locked {
		return nil, yuncang.Errorf(yuncang.ERATELIMITED, "too many failed logins for this account; try again later")
	}
	u, hash, err := a.Users.UserForLogin(ctx, username)
	if err != nil && yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
		return nil, err
	}
	if u == nil || hash == "" {
		VerifyPassword(dummyHash, password)
		a.fail(username, source, now)
		return nil, errBadLogin
	}
	ok, err := VerifyPassword(hash, password)
	if err != nil {
		return nil, yuncang.Internal(err, "verify password")
	}
	if !ok || u.Status != yuncang.UserActive {
		a.fail(username, source, now)
		return nil, errBadLogin
	}
	a.PerAccount.Reset(username)
	token, th := NewToken(false)
	c := &yuncang.Credential{UserID: u.ID, Kind: yuncang.CredentialSession, TokenHash: th, ExpiresAt: now.Add(a.SessionTTL)}
	if err := a.Users.CreateCredential(ctx, c); err != nil {
		return nil, err
	}
	if err := a.Users.TouchLogin(ctx, u.ID, now); err != nil {
		return nil, err
	}
	return &Session{Token: token, ExpiresAt: c.ExpiresAt, User: u}, nil
}

func (a *Authenticator) fail(username, source string, now time.Time) {
	a.PerAccount.Fail(username, now)
	a.PerSource.Fail(source, now)
}

// IssueAPIToken creates a token for a machine client, valid for ttl. The
// token is returned once and stored only as a hash.
func (a *Authenticator) IssueAPIToken(ctx context.Context, userID int64, label string, ttl time.Duration) (string, *yuncang.Credential, error) {
	token, th := NewToken(true)
	c := &yuncang.Credential{UserID: userID, Kind: yuncang.CredentialAPIToken, TokenHash: th, Label: label, ExpiresAt: a.Now().Add(ttl)}
	if err := a.Users.CreateCredential(ctx, c); err != nil {
		return "", nil, err
	}
	return token, c, nil
}

// Authenticate resolves a bearer token to the actor behind it.
func (a *Authenticator) Authenticate(ctx context.Context, token string) (*yuncang.Actor, error) {
	if !LooksLikeToken(token) {
		return nil, yuncang.Errorf(yuncang.EUNAUTHORIZED, "credential is invalid or expired")
	}
	c, u, err := a.Users.CredentialByHash(ctx, HashToken(token), a.Now())
	if err != nil {
		return nil, err
	}
	return &yuncang.Actor{UserID: u.ID, TenantID: u.TenantID, Username: u.Username, Role: u.Role, CredentialID: c.ID, Kind: c.Kind}, nil
}
