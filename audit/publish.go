package audit

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Publisher copies signed checkpoints to somewhere the database's
// administrators cannot write. A checkpoint that has left the database is
// what makes a later, consistent rewrite of the database detectable.
type Publisher interface {
	// Publish stores c.Note. Publishing the same note twice is not an error.
	Publish(c Checkpoint) error
	// List returns every published checkpoint in ascending size. Only Note
	// is authoritative; the other fields are read without checking the
	// signature, which Verify does.
	List() ([]Checkpoint, error)
}

// Errors from DirPublisher.Publish when a checkpoint for the same size is
// already there. ErrFork is the serious one: two different roots for one size
// mean two histories of the log, and both files are kept as evidence.
var (
	ErrCheckpointExists = errors.New("audit: a different checkpoint of this size and root is already published")
	ErrFork             = errors.New("audit: a checkpoint of this size with a different root is already published")
)

// DirPublisher publishes each checkpoint as its own write-once file,
// checkpoint-<size, 20 digits>.txt, in Dir. Dir is meant to be a mount the
// database host cannot rewrite: another machine, object storage with object
// lock, or a directory that a separate process ships elsewhere.
type DirPublisher struct {
	Dir string
}

const (
	publishPrefix = "checkpoint-"
	publishSuffix = ".txt"
)

func (p DirPublisher) path(size int64) string {
	return filepath.Join(p.Dir, fmt.Sprintf("%s%020d%s", publishPrefix, size, publishSuffix))
}

// Publish writes c.Note to a temporary file, syncs it, and links it into
// place. The link is the O_EXCL step: it fails if the name exists, so a
// published checkpoint is never overwritten, and because the content is
// complete and synced before the name appears, a crash cannot leave a short
// file that would later look like a fork.
func (p DirPublisher) Publish(c Checkpoint) error {
	if len(c.Note) == 0 {
		return fmt.Errorf("audit: publishing checkpoint %d: no signed note", c.Size)
	}
	final := p.path(c.Size)
	tmp, err := os.CreateTemp(p.Dir, ".tmp-"+publishPrefix+"*")
	if err != nil {
		return fmt.Errorf("audit: publishing checkpoint %d: %w", c.Size, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(c.Note)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("audit: publishing checkpoint %d: %w", c.Size, err)
	}
	if err := os.Link(tmp.Name(), final); err != nil {
		if errors.Is(err, os.ErrExist) {
			return p.compareExisting(final, c)
		}
		return fmt.Errorf("audit: publishing checkpoint %d: %w", c.Size, err)
	}
	// Best-effort read-only mode: it stops accidents, not an administrator.
	_ = os.Chmod(final, 0o444)
	return syncDir(p.Dir)
}

func (p DirPublisher) compareExisting(path string, c Checkpoint) error {
	old, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("audit: publishing checkpoint %d: reading existing: %w", c.Size, err)
	}
	if bytes.Equal(old, c.Note) {
		return nil
	}
	prev, perr := parseUnverified(old)
	if perr == nil && prev.Root == c.Root {
		return fmt.Errorf("%w: %s", ErrCheckpointExists, filepath.Base(path))
	}
	return fmt.Errorf("%w: %s holds root %s, refused %s", ErrFork, filepath.Base(path), prev.Root, c.Root)
}

// List reads every published checkpoint file.
func (p DirPublisher) List() ([]Checkpoint, error) {
	ents, err := os.ReadDir(p.Dir)
	if err != nil {
		return nil, fmt.Errorf("audit: listing checkpoints: %w", err)
	}
	var out []Checkpoint
	for _, e := range ents {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, publishPrefix) || !strings.HasSuffix(name, publishSuffix) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(p.Dir, name))
		if err != nil {
			return nil, fmt.Errorf("audit: reading %s: %w", name, err)
		}
		// An unreadable file is still returned, with only Note set, so that
		// Verify reports it instead of it vanishing from the evidence.
		c, _ := parseUnverified(b)
		c.Note = b
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size < out[j].Size })
	return out, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("audit: syncing %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("audit: syncing %s: %w", dir, err)
	}
	return nil
}
