package vault

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"
)

// MasterKeys is the ring of key-encryption keys. The first key is active: it
// wraps new and rotated tenant keys. The others only unwrap.
type MasterKeys struct {
	active string
	keys   map[string][]byte
}

// ParseMasterKeys parses "id:base64key[,id:base64key...]". Each key is 32
// bytes (standard or URL base64). The first entry is the active key.
func ParseMasterKeys(spec string) (*MasterKeys, error) {
	m := &MasterKeys{keys: map[string][]byte{}}
	for _, part := range strings.Split(strings.TrimSpace(spec), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, b64, ok := strings.Cut(part, ":")
		if !ok || id == "" || len(id) > 32 {
			return nil, errors.New("master key entry must be id:base64key with an id of 1-32 characters")
		}
		key, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("master key %q: %w", id, err)
		}
		if _, dup := m.keys[id]; dup {
			return nil, fmt.Errorf("master key %q appears twice", id)
		}
		m.keys[id] = key
		if m.active == "" {
			m.active = id
		}
	}
	if m.active == "" {
		return nil, errors.New("no master key given")
	}
	return m, nil
}

// LoadMasterKeys reads the ring from a value or, if it is empty, from a file.
func LoadMasterKeys(value, file string) (*MasterKeys, error) {
	if value == "" && file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read master key file: %w", err)
		}
		value = string(b)
	}
	if value == "" {
		return nil, errors.New("no master key: set YUNCANG_MASTER_KEY or YUNCANG_MASTER_KEY_FILE")
	}
	return ParseMasterKeys(value)
}

// ActiveID returns the id of the active master key.
func (m *MasterKeys) ActiveID() string { return m.active }

// IDs returns the ids of all master keys, active first.
func (m *MasterKeys) IDs() []string {
	ids := []string{m.active}
	for id := range m.keys {
		if id != m.active {
			ids = append(ids, id)
		}
	}
	return ids
}

func decodeKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(s); err == nil {
			if len(k) != 32 {
				return nil, fmt.Errorf("key is %d bytes, want 32", len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("key is not valid base64")
}

// With returns a ring whose active key is m's and which can also unwrap with
// every key of others; it is how a new master key is introduced.
func (m *MasterKeys) With(others ...*MasterKeys) *MasterKeys {
	out := &MasterKeys{active: m.active, keys: map[string][]byte{}}
	for _, o := range others {
		for id, k := range o.keys {
			out.keys[id] = k
		}
	}
	for id, k := range m.keys {
		out.keys[id] = k
	}
	return out
}
