package console

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

// Security keys (WebAuthn): the relying party, and the ceremonies in
// flight. A ceremony's challenge is kept here, server-side, under a key
// derived from the cookie it is bound to (the session for registration
// and step-up, the pre-session for sign-in), used once, for two minutes.
// (Kept in this process's memory: a deployment with several servers
// routes a browser to one of them, or the ceremony fails and is retried.)

// ceremonyTTL is how long a begun ceremony may take to finish.
const ceremonyTTL = 2 * time.Minute

// RelyingParty configures WebAuthn for deployments; without it the RP ID
// and origin are taken from the request's host, for loopback only.
type RelyingParty struct {
	ID      string   // YUNCANG_WEBAUTHN_RPID, e.g. console.example.com
	Origins []string // YUNCANG_WEBAUTHN_ORIGINS, e.g. https://console.example.com
}

// ceremony is one begun registration or assertion.
type ceremony struct {
	userID  int64
	data    webauthn.SessionData
	expires time.Time
}

type ceremonies struct {
	mu sync.Mutex
	m  map[[32]byte]ceremony
}

func ceremonyKey(kind, cookie string) [32]byte {
	return sha256.Sum256([]byte("yuncang webauthn " + kind + "\x00" + cookie))
}

func (cs *ceremonies) put(kind, cookie string, c ceremony) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if cs.m == nil {
		cs.m = map[[32]byte]ceremony{}
	}
	now := time.Now()
	for k, v := range cs.m {
		if now.After(v.expires) {
			delete(cs.m, k)
		}
	}
	cs.m[ceremonyKey(kind, cookie)] = c
}

// get returns the ceremony and keeps it.
func (cs *ceremonies) get(kind, cookie string) (ceremony, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c, ok := cs.m[ceremonyKey(kind, cookie)]
	if !ok || time.Now().After(c.expires) || cookie == "" {
		return ceremony{}, false
	}
	return c, true
}

// take returns and forgets the ceremony (a challenge answers once).
func (cs *ceremonies) take(kind, cookie string) (ceremony, bool) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	k := ceremonyKey(kind, cookie)
	c, ok := cs.m[k]
	delete(cs.m, k)
	if !ok || time.Now().After(c.expires) || cookie == "" {
		return ceremony{}, false
	}
	return c, true
}

// errNoCeremony refuses an answer to no (or an expired, used or another
// session's) challenge.
var errNoCeremony = yuncang.Invalid("key_response", "answers no security key challenge of this session (missing, used or expired); try again")

// relyingParty returns the WebAuthn relying party for the request: the
// configured one, or for localhost (the demo) the host itself. A loopback
// IP address cannot be an RP ID; the demo is opened at localhost for keys.
func (c *Console) relyingParty(r *http.Request) (*webauthn.WebAuthn, error) {
	cfg := &webauthn.Config{RPDisplayName: "yuncang", RPID: c.rp.ID, RPOrigins: c.rp.Origins}
	if cfg.RPID == "" {
		host := r.Host
		if h, _, err := net.SplitHostPort(r.Host); err == nil {
			host = h
		}
		switch ip := net.ParseIP(host); {
		case ip != nil && ip.IsLoopback():
			// Browsers (and the WebAuthn rules) take no IP address as RP ID.
			return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "security keys need a domain name: open the console at http://localhost instead of %s", host)
		case host != "localhost" && !strings.HasSuffix(host, ".localhost"):
			return nil, yuncang.Errorf(yuncang.EFORBIDDEN, "security keys need YUNCANG_WEBAUTHN_RPID and YUNCANG_WEBAUTHN_ORIGINS on this server")
		}
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		cfg.RPID, cfg.RPOrigins = host, []string{scheme + "://" + r.Host}
	}
	w, err := webauthn.New(cfg)
	if err != nil {
		return nil, yuncang.Internal(err, "webauthn relying party")
	}
	return w, nil
}

// keyUser is an account as WebAuthn sees it: its user handle is the
// account id (no personal data), its credentials its registered keys.
type keyUser struct {
	u    *yuncang.User
	keys []*yuncang.SecurityKey
}

func (k keyUser) WebAuthnID() []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(k.u.ID))
}
func (k keyUser) WebAuthnName() string        { return k.u.Username }
func (k keyUser) WebAuthnDisplayName() string { return k.u.Username }
func (k keyUser) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, 0, len(k.keys))
	for _, key := range k.keys {
		var ts []protocol.AuthenticatorTransport
		for _, t := range key.Transports {
			ts = append(ts, protocol.AuthenticatorTransport(t))
		}
		out = append(out, webauthn.Credential{ID: key.CredentialID, PublicKey: key.PublicKey, Transport: ts,
			Flags:         webauthn.CredentialFlagsFromMsgpByte(key.Flags),
			Authenticator: webauthn.Authenticator{AAGUID: key.AAGUID, SignCount: key.SignCount}})
	}
	return out
}

// keyUserOf loads the account's keys.
func (c *Console) keyUserOf(ctx context.Context, u *yuncang.User) (keyUser, error) {
	keys, err := c.store.SecurityKeys(ctx, u.ID)
	return keyUser{u: u, keys: keys}, err
}

// beginAssertion starts a key assertion for u (its own keys only, the key
// press required) and keeps the challenge under kind and cookie.
func (c *Console) beginAssertion(w http.ResponseWriter, r *http.Request, u *yuncang.User, kind, cookie string) error {
	rp, err := c.relyingParty(r)
	if err != nil {
		return err
	}
	ku, err := c.keyUserOf(r.Context(), u)
	if err != nil {
		return err
	}
	if len(ku.keys) == 0 {
		return yuncang.Errorf(yuncang.ENOTFOUND, "no security key is registered to this account")
	}
	opts, data, err := rp.BeginLogin(ku, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return yuncang.Internal(err, "begin webauthn assertion")
	}
	c.ceremonies.put(kind, cookie, ceremony{userID: u.ID, data: *data, expires: time.Now().Add(ceremonyTTL)})
	return writeJSON(w, opts)
}

// checkAssertion is the auth.KeyCheck of a finished assertion: the
// ceremony begun under kind and cookie, for this account, answered by one
// of its keys with the key pressed; the key's sign count is recorded.
func (c *Console) checkAssertion(r *http.Request, kind, cookie, response string) auth.KeyCheck {
	return func(ctx context.Context, u *yuncang.User) error {
		cer, ok := c.ceremonies.take(kind, cookie)
		if !ok || cer.userID != u.ID {
			return errNoCeremony
		}
		parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(response))
		if err != nil {
			return yuncang.Invalid("key_response", "is not a security key response")
		}
		rp, err := c.relyingParty(r)
		if err != nil {
			return err
		}
		ku, err := c.keyUserOf(ctx, u)
		if err != nil {
			return err
		}
		cred, err := rp.ValidateLogin(ku, cer.data, parsed)
		if err != nil || !parsed.Response.AuthenticatorData.Flags.HasUserPresent() {
			return &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "key", Message: "the security key was not accepted"}
		}
		for _, k := range ku.keys {
			if string(k.CredentialID) == string(cred.ID) {
				return c.store.UseSecurityKey(ctx, u.ID, k.ID, cred.Authenticator.SignCount, c.now())
			}
		}
		return &yuncang.Error{Code: yuncang.EUNAUTHORIZED, Field: "key", Message: "the security key was not accepted"}
	}
}

func writeJSON(w http.ResponseWriter, v any) error {
	w.Header().Set("Content-Type", "application/json")
	return json.NewEncoder(w).Encode(v)
}

// cookieValue is the cookie a ceremony is bound to.
func cookieValue(r *http.Request, name string) string {
	if ck, err := r.Cookie(name); err == nil {
		return strings.TrimSpace(ck.Value)
	}
	return ""
}
