package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
)

func init() {
	register("backup", "write a consistent copy of the SQLite database while servers keep serving (PostgreSQL: see docs/backup.md)", runBackup)
}

// runBackup copies the embedded database with VACUUM INTO: it reads one
// snapshot inside a read transaction, so the copy is consistent (every
// committed transaction or none of it, the audit log with its head) while
// writers carry on, and it is compacted and free of the WAL. The copy is
// checked before it gets its final name, so a file called FILE is a good
// backup.
func runBackup(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("backup", "backup --out FILE\n\nKeep beside it, elsewhere: the master key ring, the audit signing key and the published checkpoints (docs/backup.md).", s)
	c.bind(fs, false)
	out := fs.String("out", "", "file to write the backup to (must not exist)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	kind, src := c.engine()
	if kind != "sqlite" {
		return errors.New("backup copies the embedded SQLite database; for PostgreSQL use pg_dump or pg_basebackup as docs/backup.md describes")
	}
	if *out == "" {
		fs.Usage()
		return errUsage
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("database %s: %w", src, err)
	}
	if _, err := os.Lstat(*out); err == nil {
		return fmt.Errorf("%s exists; backups are never overwritten", *out)
	}
	tmp := *out + ".partial"
	os.Remove(tmp) // a leftover of an interrupted run
	// Not query_only: SQLite counts writing the copy as a write. The source
	// is only read, in one read transaction.
	// The copy holds everything the database does: readable by its owner
	// only, like the database. VACUUM INTO fills an empty file it is given.
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	db, err := sql.Open("sqlite", sqliteDSN(src))
	if err != nil {
		os.Remove(tmp)
		return err
	}
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, tmp)
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	db.Close()
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("copy database: %w", err)
	}
	if err := stripBucketKeys(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	sum, err := checkSQLiteFile(ctx, tmp)
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, *out)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(s.out, "backup written to %s: %s\n", *out, sum)
	fmt.Fprintln(s.out, "not in it (keep them apart, see docs/backup.md): the master key ring, the audit signing key, the published checkpoints")
	fmt.Fprintln(s.out, "nor the retention keys and order keys: a restore takes them from the live database, so data erased since stays erased (docs/compliance/retention.md)")
	return nil
}

func sqliteDSN(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?_pragma=busy_timeout(10000)"
}

// checkSQLiteFile runs SQLite's integrity check on a database file and
// describes it (schema version, audit log size).
func checkSQLiteFile(ctx context.Context, path string) (string, error) {
	db, err := sql.Open("sqlite", sqliteDSN(path)+"&_pragma=query_only(1)")
	if err != nil {
		return "", err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return "", fmt.Errorf("%s: integrity check: %w", filepath.Base(path), err)
	}
	if res != "ok" {
		return "", fmt.Errorf("%s fails SQLite's integrity check: %s", filepath.Base(path), res)
	}
	var version, size int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&version); err != nil {
		return "", fmt.Errorf("%s is not a yuncang database: %w", filepath.Base(path), err)
	}
	if err := db.QueryRowContext(ctx, `SELECT size FROM audit_head WHERE id = 1`).Scan(&size); err != nil {
		return "", fmt.Errorf("%s: audit log head: %w", filepath.Base(path), err)
	}
	return fmt.Sprintf("schema version %d, %d audit records", version, size), nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
