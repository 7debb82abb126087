package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/yuncang/yuncang/guard"
	"github.com/yuncang/yuncang/sqlite"
	"github.com/yuncang/yuncang/storetest"
)

// BenchmarkGuardWindow: one guard decision's storage round trip (load,
// lock, save) on a SQLite file.
func BenchmarkGuardWindow(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "g.db"), storetest.NewMasterKeys(b, "k"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, sqlite.Migrations()); err != nil {
		b.Fatal(err)
	}
	state := make([]byte, 200)
	keys := []guard.Key{{TenantID: 1, Subject: 2}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := db.UpdateGuardWindows(ctx, keys, time.Now(), func(in [][]byte) ([][]byte, error) { return [][]byte{state}, nil }); err != nil {
			b.Fatal(err)
		}
	}
}
