package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/yuncang/yuncang/audit"
)

func init() {
	register("restore", "replace the SQLite database with a backup (every server stopped); then 'audit resume' if checkpoints were published after it", runRestore)
}

// runRestore puts a backup in place of the embedded database. The database
// it replaces, with its WAL, is kept beside it under a .before-restore name:
// nothing is deleted, and a stale WAL can never be replayed into the
// restored file. It then says whether the audit log needs 'audit resume'.
func runRestore(ctx context.Context, args []string, s stdio) error {
	var c Config
	fs := newFlagSet("restore", "restore --from FILE [--force]\n\nStop every server first.", s)
	c.bind(fs, false)
	from := fs.String("from", "", "backup file written by 'yuncang backup'")
	force := fs.Bool("force", false, "replace an existing database (it is kept as DB.before-restore-TIME)")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	kind, dst := c.engine()
	if kind != "sqlite" {
		return errors.New("restore replaces the embedded SQLite database; for PostgreSQL use pg_restore as docs/backup.md describes, then 'yuncang audit resume'")
	}
	if *from == "" {
		fs.Usage()
		return errUsage
	}
	sum, err := checkSQLiteFile(ctx, *from)
	if err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil && !*force {
		return fmt.Errorf("%s exists: stop every server and pass --force to replace it (it is kept, not deleted)", dst)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	tmp := dst + ".restoring"
	if err := copyFile(*from, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		n, err := carryBucketKeys(ctx, dst, tmp)
		if err != nil {
			os.Remove(tmp)
			return fmt.Errorf("carrying the retention keys over from the live database: %w", err)
		}
		fmt.Fprintf(s.out, "%d retention keys carried over from the live database (keys erased since the backup stay erased)\n", n)
		if n, err = carryOrderKeys(ctx, dst, tmp); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("carrying the order keys over from the live database: %w", err)
		}
		fmt.Fprintf(s.out, "%d order keys carried over from the live database (orders shredded since the backup stay unreadable)\n", n)
	} else {
		fmt.Fprintln(s.out, "no live database: the backup holds no retention keys, so its recipient data is unreadable (docs/compliance/retention.md)")
	}
	if _, err := os.Stat(dst); err == nil {
		aside := dst + ".before-restore-" + time.Now().UTC().Format("20060102T150405")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(dst+suffix, aside+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				os.Remove(tmp)
				return fmt.Errorf("moving the old database aside: %w", err)
			}
		}
		fmt.Fprintf(s.out, "the replaced database is kept as %s\n", aside)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return err
	}
	fmt.Fprintf(s.out, "restored %s from %s: %s\n", dst, *from, sum)

	// Was the log checkpointed beyond the backup? Then say what to do.
	db, err := openStore(ctx, &c, nil, false)
	if err != nil {
		fmt.Fprintf(s.out, "note: %v (run 'yuncang migrate' if the backup predates this version)\n", err)
		return nil
	}
	defer db.Close()
	size, err := db.AuditSize(ctx)
	if err != nil {
		return err
	}
	pubs, _ := audit.DirPublisher{Dir: publishDir(&c)}.List()
	var beyond int64
	for _, p := range pubs {
		beyond = max(beyond, p.Size)
	}
	if beyond > size {
		fmt.Fprintf(s.out, "the audit log has %d records; checkpoints up to %d were published after this backup: before serving, run 'yuncang audit resume' with the signing key\n", size, beyond)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
