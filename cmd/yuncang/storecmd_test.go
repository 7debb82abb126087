package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestStoreCommandsCheckBeforeOpening: a store command refuses a missing
// required flag or a stray argument with its usage (exit 2) before it opens
// the database, so no database is created or touched; a good call opens
// and closes it.
func TestStoreCommandsCheckBeforeOpening(t *testing.T) {
	db := useDB(t)
	dir := filepath.Dir(db)
	for _, args := range [][]string{
		{"waybill", "allocate"},
		{"carrier", "segment", "--carrier", "ZTO"},
		{"carrier", "link", "--carrier", "ZTO"},
		{"retention", "policy"},
		{"carrier", "list", "stray"},
		{"compliance", "register", "--format", "xml"},
	} {
		code, _, errOut := runCmd(t, "", args...)
		if code == 0 || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("%v touched the data directory: %v", args, entries)
		}
	}
	if code, _, errOut := runCmd(t, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errOut)
	}
	if code, _, errOut := runCmd(t, "", "carrier", "list"); code != 0 {
		t.Fatalf("carrier list: %d %s", code, errOut)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("the database: %v", err)
	}
}
