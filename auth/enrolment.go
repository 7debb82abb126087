package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/yuncang/yuncang"
)

// An enrolment code has two random parts, "p1.p2". The first part finds the
// enrolment, the second proves it; both are stored only as hashes. When a
// grant needs four eyes, the requester receives p1 and the approver p2, so
// that neither administrator alone can redeem the account they set up.

// NewEnrolmentPart returns one random part of an enrolment code (128 bits)
// and its stored hash.
func NewEnrolmentPart() (part string, hash []byte) {
	b := make([]byte, 16)
	rand.Read(b)
	part = base64.RawURLEncoding.EncodeToString(b)
	return part, HashToken(part)
}

// EnrolmentCode joins the two parts the person redeems.
func EnrolmentCode(p1, p2 string) string { return p1 + "." + p2 }

func splitEnrolmentCode(code string) (string, string, bool) {
	p1, p2, ok := strings.Cut(strings.TrimSpace(code), ".")
	return p1, p2, ok && len(p1) == 22 && len(p2) == 22
}

// EnrolmentStore is what redemption needs beyond the authenticator's store.
type EnrolmentStore interface {
	yuncang.EnrolmentService
}

// RedeemRequest is a person redeeming their enrolment code.
type RedeemRequest struct {
	Code string
	// Password is the new password (new account) or the current one
	// (second-factor reset: the code alone cannot take a factor over).
	Password string
	// Device is the enrolled device the request was signed by (verified
	// by the caller), nil if none.
	Device *yuncang.Device
	Source string
}

// Redeemed is the outcome: the new second factor, shown only to the redeemer.
type Redeemed struct {
	User       *yuncang.User
	Purpose    string
	TOTPSecret string
}

var errBadEnrolment = &yuncang.Error{Code: yuncang.EINVALID, Field: "code", Message: "the enrolment code is wrong, used or expired"}

// Redeem consumes an enrolment code: the person sets their own password
// (new accounts) and enrols their own second factor, whose secret goes only
// to them. Every refusal of the code looks the same, and failures count
// against the source address like failed logins, so codes cannot be
// guessed and accounts cannot be enumerated. Roles that reveal must enrol
// on an enrolled device they may use.
func (a *Authenticator) Redeem(ctx context.Context, es EnrolmentStore, req RedeemRequest) (*Redeemed, error) {
	now := a.Now()
	locked, err := a.Lockout.EnrolmentLocked(ctx, req.Source, now)
	if err != nil {
		return nil, err
	}
	if locked {
		a.event(ctx, nil, yuncang.EventLockout, yuncang.OutcomeDenied, req.Source, 0, "source locked out (enrolment)")
		return nil, yuncang.Errorf(yuncang.ERATELIMITED, "too many failed attempts from this address; try again later")
	}
	bad := func(u *yuncang.User, why string) error {
		if err := a.Lockout.FailEnrolment(ctx, req.Source, now); err != nil {
			return yuncang.Internal(err, "count a failed enrolment")
		}
		a.event(ctx, u, yuncang.EventEnrolmentRedeem, yuncang.OutcomeDenied, req.Source, 0, why)
		return errBadEnrolment
	}
	p1, p2, ok := splitEnrolmentCode(req.Code)
	if !ok {
		return nil, bad(nil, "malformed code")
	}
	e, err := es.EnrolmentByLookup(ctx, HashToken(p1), now)
	if err != nil {
		if yuncang.ErrorCode(err) != yuncang.ENOTFOUND {
			return nil, err
		}
		return nil, bad(nil, "unknown, used or expired code")
	}
	if subtle.ConstantTimeCompare(HashToken(p2), e.CheckHash) != 1 {
		return nil, bad(nil, "second part wrong")
	}
	u, hash, err := a.Store.UserForLogin(ctx, mustUsername(ctx, a, e.UserID))
	if err != nil || u.ID != e.UserID {
		return nil, bad(nil, "account gone")
	}
	if why := a.unusable(ctx, u, now); why != "" {
		return nil, bad(u, "account "+why)
	}
	deviceID := int64(0)
	if yuncang.CanRevealPI(u.Role) {
		if req.Device == nil {
			return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "this account can reveal personal data: enrol on an enrolled device")
		}
		d, err := a.device(req.Device, u)
		if err != nil {
			a.event(ctx, u, yuncang.EventEnrolmentRedeem, yuncang.OutcomeDenied, req.Source, 0, "device not enrolled for this account")
			return nil, err
		}
		deviceID = d.ID
	}
	newHash := ""
	switch e.Purpose {
	case yuncang.EnrolAccount:
		if err := CheckPasswordPolicy(u.Username, req.Password); err != nil {
			return nil, err
		}
		if newHash, err = HashPassword(req.Password); err != nil {
			return nil, yuncang.Internal(err, "hash password")
		}
	case yuncang.EnrolFactor:
		ok, err := VerifyPassword(hash, req.Password)
		if hash == "" || err != nil || !ok {
			return nil, bad(u, "factor reset without the account's password")
		}
	default:
		return nil, bad(u, "unknown purpose")
	}
	secret := NewTOTPSecret()
	sealed, err := a.Sealer.Seal(ctx, 0, totpAAD(u.ID), []byte(secret))
	if err != nil {
		return nil, yuncang.Internal(err, "seal totp secret")
	}
	ev := &yuncang.Event{At: now, UserID: u.ID, Username: u.Username, Role: u.Role, TenantID: u.TenantID, Kind: yuncang.EventEnrolmentRedeem,
		Outcome: yuncang.OutcomeOK, Source: req.Source, DeviceID: deviceID, Detail: e.Purpose + ": own credentials set by the person"}
	if err := es.RedeemEnrolment(ctx, e.ID, u.ID, newHash, sealed, now, ev); err != nil {
		if yuncang.ErrorCode(err) == yuncang.ECONFLICT {
			return nil, bad(u, "code used meanwhile")
		}
		return nil, err
	}
	u.HasTOTP = true
	return &Redeemed{User: u, Purpose: e.Purpose, TOTPSecret: secret}, nil
}

// mustUsername resolves an account id to its username ("" if it is gone),
// so that redemption reads the password hash the way a login does.
func mustUsername(ctx context.Context, a *Authenticator, id int64) string {
	u, err := a.Store.UserByID(ctx, id)
	if err != nil {
		return ""
	}
	return u.Username
}
