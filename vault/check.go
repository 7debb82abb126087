package vault

import (
	"context"
	"errors"
	"fmt"
)

// ErrKeyRing is wrapped by CheckKeys when the configured master key ring
// cannot unwrap a stored tenant key.
var ErrKeyRing = errors.New("vault: the master key ring does not unwrap the stored tenant keys")

// CheckKeys unwraps every stored tenant key with the configured master key
// ring, without caching or using them. A server started with the wrong ring
// would otherwise look healthy and fail every request that touches personal
// data; this is cheap (one AES-GCM open per key, no data is decrypted), so
// servers run it at start-up and on readiness checks. The error names the
// failing keys by tenant, purpose, version and master key id, never their
// material.
func (v *Vault) CheckKeys(ctx context.Context) (checked int, err error) {
	wks, err := v.store.AllKeys(ctx)
	if err != nil {
		return 0, fmt.Errorf("vault: list keys: %w", err)
	}
	var bad int
	var first error
	for _, wk := range wks {
		if _, err := v.unwrap(wk); err != nil {
			bad++
			if first == nil {
				first = err
			}
			continue
		}
		checked++
	}
	if bad > 0 {
		return checked, fmt.Errorf("%w: %d of %d keys fail (first: %v); is YUNCANG_MASTER_KEY the ring this database was written with?",
			ErrKeyRing, bad, len(wks), first)
	}
	return checked, nil
}
