package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// Token prefixes make leaked secrets recognisable to secret scanners.
const (
	sessionPrefix = "ycs_"
	apiPrefix     = "yct_"
)

// NewToken returns a fresh bearer token and the hash under which it is stored.
func NewToken(apiToken bool) (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	prefix := sessionPrefix
	if apiToken {
		prefix = apiPrefix
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// LooksLikeToken cheaply rejects strings that cannot be one of our tokens.
func LooksLikeToken(s string) bool {
	return (strings.HasPrefix(s, sessionPrefix) || strings.HasPrefix(s, apiPrefix)) && len(s) == 4+43
}
