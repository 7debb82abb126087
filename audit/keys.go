package audit

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// VerifierFromSigner derives the public verifier key from a signer key, so
// a server configured with only the signer can still verify and publish
// its verifier. (The signer key is "PRIVATE+KEY+name+hash+base64(alg||seed)".)
func VerifierFromSigner(signerKey string) (string, error) {
	parts := strings.SplitN(strings.TrimSpace(signerKey), "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return "", errors.New("audit: signer key: malformed")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 { // 1: Ed25519
		return "", errors.New("audit: signer key: not an Ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(parts[2], pub)
}
