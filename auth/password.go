package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/yuncang/yuncang"
)

// Argon2id parameters: OWASP's minimum (19 MiB, 2 passes, 1 lane) raised to
// 3 passes; about 25 ms per hash on the 2-core reference machine.
const (
	argonTime    = 3
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// HashPassword returns a PHC-format argon2id hash of the password.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: malformed password hash")

// VerifyPassword reports whether password matches the PHC hash, in time
// independent of where the bytes differ.
func VerifyPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is verified against when a username does not exist, so that a
// wrong username costs the same time as a wrong password.
var dummyHash, _ = HashPassword("yuncang-dummy-password-for-timing")

// commonPasswords are refused outright; the list is short on purpose: the
// length rule already excludes most of the leaked-password top lists.
var commonPasswords = []string{"password", "123456", "qwerty", "admin", "welcome", "iloveyou", "yuncang", "changeme", "letmein", "abc123"}

// CheckPasswordPolicy enforces the password rules: 12 to 128 characters,
// at least 6 distinct characters, not built on a common password or the
// username.
func CheckPasswordPolicy(username, password string) error {
	n := utf8.RuneCountInString(password)
	if n < 12 {
		return yuncang.Invalid("password", "must be at least 12 characters")
	}
	if n > 128 {
		return yuncang.Invalid("password", "must be at most 128 characters")
	}
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
	}
	if len(distinct) < 6 {
		return yuncang.Invalid("password", "must contain at least 6 different characters")
	}
	lower := strings.ToLower(password)
	if len(username) >= 3 && strings.Contains(lower, strings.ToLower(username)) {
		return yuncang.Invalid("password", "must not contain the username")
	}
	for _, c := range commonPasswords {
		if strings.Contains(lower, c) {
			return yuncang.Invalid("password", "must not be built on a common password")
		}
	}
	return nil
}
