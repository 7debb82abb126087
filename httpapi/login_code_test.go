package httpapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/yuncang/yuncang"
	"github.com/yuncang/yuncang/auth"
)

// TestLoginNeverIgnoresACode: an auditor logged in with "totp":"000000" or
// with no code at all (200): a code was not checked unless the role required
// one, and auditors' did not. Now auditors need their second factor like the
// other roles that read the audit log, and a code sent where none is needed
// is still checked (wrong: refused) or, with no factor to check it against,
// refused rather than ignored.
func TestLoginNeverIgnoresACode(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hash, err := auth.HashPassword(f.password)
	must(t, err)
	aud := &yuncang.User{Username: "auditor-2", Role: yuncang.RoleAuditor}
	must(t, f.db.CreateUser(ctx, aud, hash))
	secret, err := f.auth.EnrolTOTP(ctx, aud.ID)
	must(t, err)
	for _, code := range []string{"000000", ""} {
		if st, tok, field := f.login(t, "auditor-2", f.password, code); st != http.StatusUnauthorized || tok != "" {
			t.Fatalf("auditor with code %q: %d %s", code, st, field)
		}
	}
	code, err := auth.TOTPCode(secret, f.clock.Now())
	must(t, err)
	if st, tok, _ := f.login(t, "auditor-2", f.password, code); st != http.StatusOK || tok == "" {
		t.Fatalf("auditor with the right code: %d", st)
	}

	// An operator (no second factor required) with a factor enrolled: a
	// wrong code is refused, none is fine.
	op := &yuncang.User{Username: "op-2", Role: yuncang.RoleOperator, Warehouses: []int64{f.yw.ID}}
	must(t, f.db.CreateUser(ctx, op, hash))
	_, err = f.auth.EnrolTOTP(ctx, op.ID)
	must(t, err)
	if st, _, _ := f.login(t, "op-2", f.password, "000000"); st != http.StatusUnauthorized {
		t.Fatalf("operator with a wrong code: %d", st)
	}
	// And one with none enrolled: a code nothing can check is refused.
	op3 := &yuncang.User{Username: "op-3", Role: yuncang.RoleOperator, Warehouses: []int64{f.yw.ID}}
	must(t, f.db.CreateUser(ctx, op3, hash))
	if st, _, _ := f.login(t, "op-3", f.password, "000000"); st != http.StatusUnauthorized {
		t.Fatalf("operator without a factor, sending a code: %d", st)
	}
	if st, tok, _ := f.login(t, "op-3", f.password, ""); st != http.StatusOK || tok == "" {
		t.Fatalf("operator without a factor, no code: %d", st)
	}
}
