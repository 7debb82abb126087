package sqlstore

import (
	"fmt"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/vault"
)

// A path that meets erased recipient data (a label, a manifest, a binding
// of an order whose key retention destroyed) answers a conflict, not 500.
func TestErasedIsAConflict(t *testing.T) {
	if code := yuncang.ErrorCode(wrapf(fmt.Errorf("open: %w", vault.ErrErased), "open phone of order %d", 7)); code != yuncang.ECONFLICT {
		t.Fatalf("erased data: %s", code)
	}
	if code := yuncang.ErrorCode(wrapf(vault.ErrDecrypt, "open phone")); code != yuncang.EINTERNAL {
		t.Fatalf("a ciphertext that does not open: %s", code)
	}
}
