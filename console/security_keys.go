package console

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/httpapi"
)

// The signed-in person's security keys: list, register (after a fresh
// step-up, so a stolen session cannot add its own key), remove.

// keysPage is the security keys pages' data.
type keysPage struct {
	Keys []keyRow
}

type keyRow struct {
	ID       int64
	Label    string
	Created  string
	LastUsed string
}

func (c *Console) keysList(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	keys, err := c.store.SecurityKeys(r.Context(), a.UserID)
	if err != nil {
		return err
	}
	d := &keysPage{}
	for _, k := range keys {
		row := keyRow{ID: k.ID, Label: k.Label, Created: k.CreatedAt.In(c.zone).Format("2006-01-02 15:04")}
		if !k.LastUsedAt.IsZero() {
			row.LastUsed = k.LastUsedAt.In(c.zone).Format("2006-01-02 15:04")
		}
		d.Keys = append(d.Keys, row)
	}
	p := c.newPage(r, "keys.title", d)
	switch r.URL.Query().Get("done") {
	case "added":
		p.Flash = "keys.added"
	case "removed":
		p.Flash = "keys.removed"
	}
	return c.render(w, http.StatusOK, "keys_list", p)
}

// keysNew shows the registration form (its policy asks for the step-up).
func (c *Console) keysNew(w http.ResponseWriter, r *http.Request) error {
	return c.render(w, http.StatusOK, "keys_new", c.newPage(r, "keys.new_title", nil))
}

// keysBegin starts a registration: the creation options as JSON for
// navigator.credentials.create, the challenge kept for this session.
func (c *Console) keysBegin(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	rp, ku, err := c.ownKeys(r, a)
	if err != nil {
		return err
	}
	opts, data, err := rp.BeginRegistration(ku,
		webauthn.WithExclusions(webauthn.Credentials(ku.WebAuthnCredentials()).CredentialDescriptors()),
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementDiscouraged, UserVerification: protocol.VerificationPreferred}),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation))
	if err != nil {
		return yuncang.Internal(err, "begin webauthn registration")
	}
	c.ceremonies.put("register", cookieValue(r, httpapi.SessionCookie), ceremony{userID: a.UserID, data: *data, expires: time.Now().Add(ceremonyTTL)})
	return writeJSON(w, opts)
}

// keysRegister finishes a registration: the authenticator's response to
// this session's challenge, with the key pressed, stored with its label.
func (c *Console) keysRegister(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	label := strings.TrimSpace(r.PostFormValue("label"))
	if label == "" || utf8.RuneCountInString(label) > 60 {
		return yuncang.Invalid("label", "must be 1 to 60 characters")
	}
	cer, ok := c.ceremonies.take("register", cookieValue(r, httpapi.SessionCookie))
	if !ok || cer.userID != a.UserID {
		return errNoCeremony
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(r.PostFormValue("key_response")))
	if err != nil {
		return yuncang.Invalid("key_response", "is not a security key response")
	}
	rp, ku, err := c.ownKeys(r, a)
	if err != nil {
		return err
	}
	cred, err := rp.CreateCredential(ku, cer.data, parsed)
	if err != nil || !cred.Flags.UserPresent {
		return yuncang.Invalid("key_response", "was not accepted: not this challenge's, not this site's, or the key was not pressed")
	}
	k := &yuncang.SecurityKey{UserID: a.UserID, CredentialID: cred.ID, PublicKey: cred.PublicKey, SignCount: cred.Authenticator.SignCount,
		AAGUID: cred.Authenticator.AAGUID, Flags: cred.Flags.MsgpByte(), Label: label, CreatedAt: c.now()}
	for _, t := range cred.Transport {
		k.Transports = append(k.Transports, string(t))
	}
	ev := httpapi.ActorEvent(r, yuncang.EventSecurityKeyAdd)
	ev.At = c.now()
	if err := c.store.AddSecurityKey(r.Context(), k, ev); err != nil {
		return err
	}
	return seeOther(w, r, pageLink(r, "/security-keys")+queryJoin(r)+"done=added")
}

// keysRemove removes one of the person's own keys.
func (c *Console) keysRemove(w http.ResponseWriter, r *http.Request) error {
	a := yuncang.ActorFromContext(r.Context())
	id, err := strconv.ParseInt(r.PathValue("key"), 10, 64)
	if err != nil || id <= 0 {
		return yuncang.Invalid("key", "is not a security key id")
	}
	ev := httpapi.ActorEvent(r, yuncang.EventSecurityKeyRemove)
	ev.At = c.now()
	if err := c.store.RemoveSecurityKey(r.Context(), a.UserID, id, ev); err != nil {
		return err
	}
	return seeOther(w, r, pageLink(r, "/security-keys")+queryJoin(r)+"done=removed")
}

// queryJoin is "&" after a link that has a query already, else "?".
func queryJoin(r *http.Request) string {
	if tenantParam(r) != "" {
		return "&"
	}
	return "?"
}

// hasKeys reports whether the account has a registered security key.
func (c *Console) hasKeys(r *http.Request, userID int64) bool {
	keys, err := c.store.SecurityKeys(r.Context(), userID)
	return err == nil && len(keys) > 0
}

// ownKeys is the relying party and the signed-in person with their keys.
func (c *Console) ownKeys(r *http.Request, a *yuncang.Actor) (*webauthn.WebAuthn, keyUser, error) {
	rp, err := c.relyingParty(r)
	if err != nil {
		return nil, keyUser{}, err
	}
	ku, err := c.keyUserOf(r.Context(), &yuncang.User{ID: a.UserID, Username: a.Username})
	return rp, ku, err
}
